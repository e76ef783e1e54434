package judge

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"gradjudge"
	"gradjudge/autograd"
	"gradjudge/exercises"
)

// ValidateSeeds is how many seeds `gradjudge exercises validate` checks per exercise.
const ValidateSeeds = 200

// maxExamples bounds the failures a report keeps per exercise.
const maxExamples = 5

// ValidateOptions says what Validate checks.
type ValidateOptions struct {
	// Seeds is how many seeds (0 … Seeds−1) each exercise is checked on: variants, and a code
	// exercise's cases and simulated submissions. 0 checks none.
	Seeds int
	// Solutions grades the shipped solutions of every code exercise on SolutionSeed through the
	// judge's CodeGrader, which builds and runs each. False skips them, and the report says so.
	Solutions bool
	// CodeCases checks a code exercise's cases and simulated submissions on Seeds seeds without
	// building anything (judge/code's ValidateCases). Nil: every code exercise fails validation,
	// saying that its cases were not checked.
	CodeCases func(ctx context.Context, e *exercises.Exercise, seeds int, rep *ExerciseReport)
}

// Report is the outcome of validating a catalog.
type Report struct {
	Seeds     int
	Solutions bool             // the code solutions were graded
	Exercises []ExerciseReport // in catalog order
	Elapsed   time.Duration
}

// ExerciseReport is the outcome of validating one exercise.
type ExerciseReport struct {
	ID   string
	Kind gradjudge.ExerciseKind
	// Required are the rules every variant must tell apart from the right answers; for a code
	// exercise, the beliefs its cases must tell apart on every seed.
	Required []string
	Variants int            // variants drawn
	Draws    int            // draws those variants took
	Cases    int            // code exercises: cases drawn and cross-checked with central differences
	Checked  int            // answer sets (or simulated and shipped code submissions) graded
	Tagged   map[string]int // tag → wrong answer sets rejected and tagged with it, as they should be
	// Ambiguous counts wrong answer sets that another rule's prediction matches just as well on
	// that variant, and that earned that rule's tag instead: a slip of one rule that coincides
	// with another rule (a dead ReLU makes many predictions equal). Required rules never do.
	Ambiguous int
	// Pairs is how simulated students holding two beliefs at once fared, and which pairs of rules
	// the variants tell apart (numeric exercises).
	Pairs     PairFigure
	Shipped   int // code exercises: solutions shipped in exercises.SolutionDir
	Solutions int // code exercises: shipped solutions built and graded as their first line says
	Failures  int
	Examples  []string // the first failures, each naming its seed
}

// OK reports whether every check of every exercise passed.
func (r Report) OK() bool {
	return !slices.ContainsFunc(r.Exercises, func(e ExerciseReport) bool { return e.Failures > 0 })
}

// Fail records a failed check, keeping the first maxExamples messages.
func (r *ExerciseReport) Fail(format string, args ...any) {
	r.Failures++
	if len(r.Examples) < maxExamples {
		r.Examples = append(r.Examples, fmt.Sprintf(format, args...))
	}
}

// Validate checks every exercise of the judge's catalog on seeds 0 … opt.Seeds−1. Each variant
// must be drawn (kink-free and discriminating); its reference answers, given exactly and rounded
// to three significant figures, must be accepted; and the answers of each prediction that differs
// from them (every built-in rule's belief and slips, every author rule) must be rejected and
// tagged with the prediction's tag; the answers of a student holding two beliefs that the
// variant can show are graded too, and counted in the report's pair figure. For a choice exercise the correct option must be accepted
// and every other one tagged. A code exercise is checked by validateCodeCases and, with
// opt.Solutions, validateSolutions. Exercises are checked by a fixed pool of workers.
func (j *Judge) Validate(ctx context.Context, opt ValidateOptions) Report {
	start := time.Now()
	all := j.cat.All()
	rep := Report{Seeds: opt.Seeds, Solutions: opt.Solutions, Exercises: make([]ExerciseReport, len(all))}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(all)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				rep.Exercises[i] = j.validateExercise(ctx, all[i], opt)
			}
		}()
	}
	for i := range all {
		next <- i
	}
	close(next)
	wg.Wait()
	rep.Elapsed = time.Since(start)
	return rep
}

func (j *Judge) validateExercise(ctx context.Context, e *exercises.Exercise, opt ValidateOptions) ExerciseReport {
	rep := ExerciseReport{ID: e.ID, Kind: e.Kind, Tagged: map[string]int{}}
	for _, r := range e.Required {
		rep.Required = append(rep.Required, r.Name)
	}
	for _, r := range e.AuthorRules {
		rep.Required = append(rep.Required, r.Name)
	}
	if e.Kind == gradjudge.KindCode {
		rep.Shipped = len(e.Code.Solutions)
		if opt.CodeCases == nil {
			rep.Fail("its cases were not checked: no code case validator was given")
		} else {
			opt.CodeCases(ctx, e, opt.Seeds, &rep)
		}
		if opt.Solutions {
			j.validateSolutions(ctx, e, &rep)
		}
		return stopped(ctx, rep)
	}
	for seed := uint64(0); seed < uint64(opt.Seeds) && ctx.Err() == nil; seed++ {
		in, err := e.NewInstance(seed)
		if err != nil {
			rep.Fail("%v", err)
			continue
		}
		rep.Variants++
		rep.Draws += in.Draws
		if e.Kind == gradjudge.KindChoice {
			j.checkChoice(in, &rep)
		} else {
			j.checkNumeric(in, &rep)
			j.checkPairs(in, &rep)
		}
	}
	return stopped(ctx, rep)
}

// stopped records a validation cut short by ctx.
func stopped(ctx context.Context, rep ExerciseReport) ExerciseReport {
	if err := ctx.Err(); err != nil {
		rep.Fail("stopped: %v", err)
	}
	return rep
}

func (j *Judge) checkChoice(in *exercises.Instance, rep *ExerciseReport) {
	for _, o := range in.Options {
		v := j.gradeChoice(in, o.ID)
		rep.Expect(in.Seed, "option "+o.ID, v, o.Tag)
	}
}

func (j *Judge) checkNumeric(in *exercises.Instance, rep *ExerciseReport) {
	rep.Expect(in.Seed, "the reference answers", j.GradeInstance(in, referenceAnswer(in)), "")
	rep.Expect(in.Seed, "the reference answers to 3 significant figures", j.gradeNumbers(in, round3(in, in.Answers)), "")
	preds := in.Predictions()
	for k, p := range preds {
		answers := slices.Clone(in.Answers)
		for i, differs := range p.Differs {
			if differs {
				answers[i] = p.Answers[i]
			}
		}
		what := p.Name + "'s answers"
		if k%2 == 1 {
			answers, what = round3(in, answers), what+" to 3 significant figures"
		}
		v := j.gradeNumbers(in, answers)
		if v.Status != gradjudge.StatusAccepted && !slices.Contains(v.Misconceptions, p.Tag) && !required(in.Exercise, p) &&
			slices.ContainsFunc(preds, func(q exercises.Prediction) bool {
				return slices.Contains(v.Misconceptions, q.Tag) && !p.Distinct(q, in.Exercise)
			}) {
			rep.Checked++
			rep.Ambiguous++
			continue
		}
		rep.Expect(in.Seed, what, v, p.Tag)
	}
}

// required reports whether p is the belief of a required rule or an author rule.
func required(e *exercises.Exercise, p exercises.Prediction) bool {
	if p.Slip {
		return false
	}
	return slices.ContainsFunc(e.Required, func(r *autograd.BugRule) bool { return r.Name == p.Name }) ||
		slices.ContainsFunc(e.AuthorRules, func(r exercises.AuthorRule) bool { return r.Name == p.Name })
}

// Expect checks one verdict of seed's variant: accepted when tag is "", otherwise rejected and
// tagged with tag. what names the answer checked in a failure.
func (rep *ExerciseReport) Expect(seed uint64, what string, v gradjudge.Verdict, tag string) {
	rep.Checked++
	switch {
	case tag == "" && v.Status != gradjudge.StatusAccepted:
		rep.Fail("seed %d: %s: %s, want accepted (%v)", seed, what, v.Status, v.Feedback)
	case tag == "":
	case v.Status == gradjudge.StatusAccepted:
		rep.Fail("seed %d: %s: accepted, want rejected with %s", seed, what, tag)
	case !slices.Contains(v.Misconceptions, tag):
		rep.Fail("seed %d: %s: %s tagged %v, want %s (%v)", seed, what, v.Status, v.Misconceptions, tag, v.Feedback)
	default:
		rep.Tagged[tag]++
	}
}

// referenceAnswer is the reference answers as a student would submit them, through JSON.
func referenceAnswer(in *exercises.Instance) gradjudge.Answer {
	a := gradjudge.Answer{Fields: map[string]json.RawMessage{}}
	for i, q := range in.Exercise.Quantities {
		a.Fields[q.ID], _ = json.Marshal(in.Answers[i].Nested())
	}
	return a
}

// round3 rounds every element to three significant figures, where the quantity's tolerance is
// relative enough to allow it (not for counts, which have an absolute tolerance only).
func round3(in *exercises.Instance, ts []autograd.Tensor) []autograd.Tensor {
	out := make([]autograd.Tensor, len(ts))
	for i, t := range ts {
		out[i] = t.Clone()
		if in.Exercise.Quantities[i].Tolerance.Rel < 0.005 {
			continue
		}
		for k, v := range out[i].Data {
			out[i].Data[k], _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
		}
	}
	return out
}

// SolutionSeed is the variant the shipped solutions of a code exercise are graded on.
const SolutionSeed = 7

// validateSolutions grades every solution shipped with a code exercise on SolutionSeed through
// the judge's code grader, building each: the reference must be accepted with a full score and
// each known-wrong one rejected with its tag.
func (j *Judge) validateSolutions(ctx context.Context, e *exercises.Exercise, rep *ExerciseReport) {
	if len(e.Code.Solutions) == 0 || e.Code.Solutions[0].Tag != "" {
		rep.Fail("no reference solution in %s/%s", exercises.SolutionDir, e.ID)
	}
	for _, s := range e.Code.Solutions {
		v, err := j.Grade(ctx, e.ID, SolutionSeed, gradjudge.Answer{Code: s.Source})
		if err != nil {
			rep.Fail("seed %d: solution %s.go: %v", SolutionSeed, s.Name, err)
			continue
		}
		if s.Tag == "" && v.Status == gradjudge.StatusAccepted && v.Score != 1 {
			v.Status = gradjudge.StatusPartial // accepted means every case right
		}
		n := rep.Failures
		rep.Expect(SolutionSeed, "solution "+s.Name+".go", v, s.Tag)
		if rep.Failures == n {
			rep.Solutions++
		}
	}
}
