package code

import (
	"context"
	"maps"
	"slices"

	"gradjudge"
	"gradjudge/autograd"
	"gradjudge/exercises"
	"gradjudge/judge"
)

// ValidateCases checks a code exercise on seeds 0 … seeds−1 without building anything: the
// cases of each seed are drawn kink-free and the reference agrees with central differences on
// every one (newPlan), a simulated submission computing the reference is accepted, and one holding
// a built-in rule's belief is rejected and tagged with the rule's tag. Beliefs are required as
// exercises.applicableRules requires them of a numeric exercise, with seeds for samples: a required
// belief must change a result on every seed and be told apart from every required belief with
// another tag. A belief that is not required may earn the tag of one it cannot be told from.
func ValidateCases(ctx context.Context, e *exercises.Exercise, seeds int, rep *judge.ExerciseReport) {
	beliefs := codeBeliefs(e.Graph)
	var done []codeSeed
	for seed := uint64(0); seed < uint64(seeds) && ctx.Err() == nil; seed++ {
		p, err := newPlan(e, seed)
		if err != nil {
			rep.Fail("seed %d: %v", seed, err)
			continue
		}
		rep.Variants++
		rep.Draws += p.cases[0].Draws
		rep.Cases += len(p.cases)
		sim := newSimulation(p)
		rep.Expect(seed, "code computing the reference", sim.verdict(autograd.Application{}), "")
		for i := range e.Code.Bugs {
			bug := &e.Code.Bugs[i]
			rep.Expect(seed, "code returning "+bug.Name, sim.bugVerdict(bug), bug.Tag)
		}
		done = append(done, simulateBeliefs(sim, beliefs))
	}
	required := requiredBeliefs(beliefs, done)
	for i, app := range beliefs {
		if required[i] {
			rep.Required = append(rep.Required, app.Rule.Name)
		}
	}
	for _, s := range done {
		s.check(rep, beliefs, required)
	}
}

// codeSeed is what code following each belief got on one seed's cases.
type codeSeed struct {
	seed     uint64
	verdicts []gradjudge.Verdict // per belief; the zero Verdict where it changes no result
	alike    [][2]int            // pairs of beliefs with other tags that no case tells apart
}

func (s codeSeed) differs(i int) bool { return s.verdicts[i].Status != "" }

func simulateBeliefs(sim *simulation, beliefs []autograd.Application) codeSeed {
	s := codeSeed{seed: sim.p.cases[0].Seed, verdicts: make([]gradjudge.Verdict, len(beliefs))}
	preds := make([]prediction, len(beliefs))
	for i, app := range beliefs {
		if preds[i] = sim.predict(app); preds[i].differs {
			s.verdicts[i] = sim.verdict(app)
		}
	}
	s.alike = indistinct(beliefs, preds)
	return s
}

// requiredBeliefs decides which beliefs are required: those that change a result on at least
// exercises.RequiredPercent of the seeds and are told apart, as often, from each required one before them
// with another tag. beliefs come with the rules replacing one op's backward rule first.
func requiredBeliefs(beliefs []autograd.Application, seeds []codeSeed) []bool {
	enough := func(ok func(s codeSeed) bool) bool {
		n := 0
		for _, s := range seeds {
			if ok(s) {
				n++
			}
		}
		return len(seeds) > 0 && n*100 >= exercises.RequiredPercent*len(seeds)
	}
	required := make([]bool, len(beliefs))
	for i := range beliefs {
		required[i] = enough(func(s codeSeed) bool { return s.differs(i) })
		for k := range i {
			if required[i] && required[k] && beliefs[k].Rule.Tag != beliefs[i].Rule.Tag {
				required[i] = enough(func(s codeSeed) bool { return !slices.Contains(s.alike, [2]int{k, i}) })
			}
		}
	}
	return required
}

// check records one seed's outcome in rep.
func (s codeSeed) check(rep *judge.ExerciseReport, beliefs []autograd.Application, required []bool) {
	for i, v := range s.verdicts {
		name, tag := beliefs[i].Rule.Name, beliefs[i].Rule.Tag
		switch {
		case !s.differs(i) && required[i]:
			rep.Fail("seed %d: %s changes no result on any case: code following it would be accepted", s.seed, name)
		case !s.differs(i):
		case !required[i] && !slices.Contains(v.Misconceptions, tag) && s.taggedAlike(i, v, beliefs):
			rep.Checked++
			rep.Ambiguous++
		default:
			rep.Expect(s.seed, "code following "+name, v, tag)
		}
	}
	for _, pair := range s.alike {
		if required[pair[0]] && required[pair[1]] {
			rep.Fail("seed %d: no case tells %s apart from %s", s.seed, beliefs[pair[0]].Rule.Name, beliefs[pair[1]].Rule.Name)
		}
	}
}

// taggedAlike reports whether v carries the tag of a belief that no case tells apart from belief i.
func (s codeSeed) taggedAlike(i int, v gradjudge.Verdict, beliefs []autograd.Application) bool {
	return slices.ContainsFunc(s.alike, func(pair [2]int) bool {
		other := pair[0] + pair[1] - i
		return (pair[0] == i || pair[1] == i) && slices.Contains(v.Misconceptions, beliefs[other].Rule.Tag)
	})
}

// codeBeliefs returns every built-in rule followed everywhere that can change g's gradients, in
// exercises.Rank order, as exercises.applicableRules considers them.
func codeBeliefs(g *autograd.Graph) []autograd.Application {
	rules := autograd.BugRules()
	exercises.SortByRank(rules)
	var out []autograd.Application
	for _, r := range rules {
		if app := (autograd.Application{Rule: r}); app.Affects(g) {
			out = append(out, app)
		}
	}
	return out
}

// prediction is what code following one rule returns for each case: [function][result][case].
type prediction struct {
	got     [][][]autograd.Tensor
	differs bool // some result differs from the reference beyond the exercise's tolerance
}

// indistinct returns the pairs of differing predictions with different tags that match each other
// on every case, as diagnoseCode matches: code following one would earn both tags, or the other.
func indistinct(beliefs []autograd.Application, preds []prediction) [][2]int {
	var out [][2]int
	for i := range preds {
		for k := range i {
			if preds[i].differs && preds[k].differs && beliefs[i].Rule.Tag != beliefs[k].Rule.Tag &&
				preds[i].matches(preds[k]) {
				out = append(out, [2]int{k, i})
			}
		}
	}
	return out
}

func (p prediction) matches(q prediction) bool {
	tol := exercises.Tolerance{Rel: matchRel, Abs: matchAbs}
	for f := range p.got {
		for k := range p.got[f] {
			for c := range p.got[f][k] {
				if !tol.Accepts(p.got[f][k][c], q.got[f][k][c]) {
					return false
				}
			}
		}
	}
	return true
}

// simulation answers a plan's calls as code following a rule would, with the reference autograd:
// the judge's grading and diagnosis are then checked without building any code.
type simulation struct {
	p    *plan
	runs []*autograd.Run // per call: the forward pass it is answered from
	err  error
}

func newSimulation(p *plan) *simulation {
	s := &simulation{p: p, runs: make([]*autograd.Run, len(p.calls))}
	for i, c := range p.calls {
		if c.role == roleMain || c.role == roleRepeat {
			s.runs[i] = p.cases[c.cs].Run
			continue
		}
		inputs := maps.Clone(p.cases[c.cs].Inputs) // a zero-upstream call or a gradcheck probe
		for a, name := range p.code.Funcs[c.fn].Args {
			inputs[name] = c.args[a]
		}
		if s.runs[i], s.err = p.ex.Graph.Forward(inputs); s.err != nil {
			return s
		}
	}
	return s
}

// replies answers every call following app; ok is false when a result cannot be computed.
func (s *simulation) replies(app autograd.Application) ([]reply, bool) {
	return s.repliesWith(app, nil)
}

// repliesWith answers every call following app, with bug's expression (when not nil) in place of
// the result it is about.
func (s *simulation) repliesWith(app autograd.Application, bug *exercises.CodeBug) ([]reply, bool) {
	if s.err != nil {
		return nil, false
	}
	out := make([]reply, len(s.p.calls))
	for i, c := range s.p.calls {
		fn := s.p.code.Funcs[c.fn]
		r := reply{bad: make([]string, len(fn.Results)), changed: make([]bool, len(fn.Args))}
		for k, q := range fn.Results {
			if bug != nil && bug.Func == c.fn && bug.Result == k {
				q = bug.Expr
			}
			v, err := q.Eval(s.runs[i], app)
			if err != nil {
				return nil, false
			}
			r.results = append(r.results, v.Clone())
		}
		out[i] = r
	}
	return out, true
}

// verdict grades the replies of code following app as the judge grades a real run's.
func (s *simulation) verdict(app autograd.Application) gradjudge.Verdict {
	replies, ok := s.replies(app)
	if !ok {
		return gradjudge.Verdict{Status: gradjudge.StatusInternalError, Feedback: []string{"the reference cannot follow " + app.String()}}
	}
	return resultVerdict(s.p, gradeReplies(s.p, replies))
}

// bugVerdict grades the replies of code returning an author's wrong result.
func (s *simulation) bugVerdict(bug *exercises.CodeBug) gradjudge.Verdict {
	replies, ok := s.repliesWith(autograd.Application{}, bug)
	if !ok {
		return gradjudge.Verdict{Status: gradjudge.StatusInternalError, Feedback: []string{"the reference cannot compute " + bug.Name}}
	}
	return resultVerdict(s.p, gradeReplies(s.p, replies))
}

// predict returns the first-pass results of code following app.
func (s *simulation) predict(app autograd.Application) prediction {
	p := s.p
	pred := prediction{got: make([][][]autograd.Tensor, len(p.code.Funcs))}
	for f, fn := range p.code.Funcs {
		pred.got[f] = make([][]autograd.Tensor, len(fn.Results))
		for k, q := range fn.Results {
			for c, in := range p.cases {
				v, err := q.Eval(in.Run, app)
				if err != nil {
					return prediction{}
				}
				pred.got[f][k] = append(pred.got[f][k], v)
				pred.differs = pred.differs || p.code.Tolerance.Separates(v, p.calls[indexOf(p, f, c)].want[k])
			}
		}
	}
	return pred
}
