// Package exercises is gradjudge's exercise catalog: one Markdown file per exercise with a TOML
// front matter (embedded in the binary), the misconception catalog, the loader that checks both,
// and the variant generator that derives each student's numbers from a seed.
//
// A variant is deterministic (the same seed gives the same numbers on every machine: PCG seeded
// with the seed and a hash of the exercise id), kink-free (no relu, abs, max or min argument
// within kink_margin of its kink), and discriminating: the right answers differ, beyond
// tolerance, from the answers every required bug rule predicts, and the required rules with
// different tags differ from each other. A numeric variant is also not guessable: no one number
// (all zeros where a ReLU is off) is accepted for every asked gradient, and a [minority] case is
// as rare as the author says. A seed whose draws never qualify (maxDraws) reports the exercise as
// badly authored. LessonSeed gives the lesson's own example where the file has one. Grading lives
// in judge/.
//
// # Exercise files
//
// catalog/ID.md starts with a TOML front matter between lines "+++"; the Markdown statement
// follows, with {{name}} placeholders for parameters. Keys (unknown keys are errors):
//
//	id, title, kind        kind is "numeric", "choice" or "code"
//	concepts               ids from misconceptions.toml's [[concept]] list
//	graph                  the program in the graph language (numeric and code)
//	[params]               one per graph input, plus extra names quantities use (a learning rate):
//	                       { min, max, step } draws from a grid; { values = [...] } from a list;
//	                       shape = [n] or [m, n] for vectors and matrices; onehot = n; nonzero
//	[[ask]]                id, label (as students see it), expr (e.g. "grad(L, w)"), tolerance
//	tolerance              default { rel, abs } for every ask; 1% or 0.0001 when absent
//	rules                  the built-in rules every variant must tell apart; when absent, those
//	                       whose belief changes an answer in most sample draws
//	[[bug]]                an author rule: ask, expr (the wrong answer), tag, optional name
//	positive               expressions that must exceed kink_margin in every variant
//	[minority]             numeric exercises: negative = expression, every = n: the expression is
//	                       below −kink_margin in the variant of seeds n−1, 2n−1, … and above
//	                       kink_margin in all others (a dead ReLU unit as a deliberate minority)
//	[lesson]               numeric exercises: a number per parameter, the lesson's own example,
//	                       the variant of LessonSeed
//	kink_margin            default 0.1
//	reveal                 feedback may show expected values (default false)
//	[[option]]             choice exercises: id, text, tag ("correct" or a misconception tag)
//	signature              code exercises: one Go declaration per line, "func Name(params) results",
//	                       over float64, []float64 and [][]float64
//	starter                code exercises: the code the student starts from
//	[funcs.NAME]           code exercises, one per declared function: args (the graph inputs passed,
//	                       in parameter order), results (the quantities returned, in order), and
//	                       optionally gradcheck = "F": the results must also match central
//	                       differences of the student's own F (see Code)
//	cases                  code exercises: cases per submission (default 16); case 1 is the variant
//	upstream               code exercises: the input holding the gradient from above; a call with
//	                       it zero must return zero gradients
//	tolerance              for code exercises defaults to 1e-6 relative or 1e-9 absolute
//	needs                  code exercises: expressions each of which some case of every seed makes
//	                       exceed kink_margin (the situations that catch a wrong program no rule
//	                       models)
//	[[bug]]                code exercises: func, result (its index), expr, tag: the author's own
//	                       wrong result
//
// A code exercise's solutions live in testdata/solutions/ID/*.go (see SolutionDir): the
// reference, which must be accepted, and known-wrong ones, each rejected with the tag its first
// line names.
//
// # Catalogs authors change
//
// LoadDir loads a directory laid out as the embedded catalog; a refused file is a *FileError
// naming the file, the line and the reason. Live serves a catalog that a Watcher replaces
// atomically when the directory's files change and the change passes the checks. Every exercise
// carries its file's content hash (Exercise.Hash), from which the judge makes the version a
// verdict records. Preview renders any exercise at any seed with its answers and the predicted
// wrong answers of its rules, for authors; ChainRule and LocalDerivatives work out hints.
package exercises
