package judge

import (
	"slices"

	"gradjudge/autograd"
	"gradjudge/exercises"
)

// ForwardValueWrong is the tag a wrong answer earns when the backward steps are right but build
// on a wrong forward value: the root of a chain of carried-forward numeric answers, or code whose
// only wrong results are forward values.
const ForwardValueWrong = "forward-value-wrong"

// diagnosis is what the wrong answers of one numeric submission point to.
type diagnosis struct {
	tags       [][]string // per quantity: the misconception tags its answer matches
	consistent []int      // per quantity: the earlier quantity whose wrong answer it builds on, or -1
	all        []string   // every tag, in the order found
	firstWrong int        // the first wrong quantity, forward then backward; -1 when all are right
	pair       bool       // two beliefs held together explain the answers
	singleFull bool       // single rules explain every wrong answer, none contradicted
	nearMiss   string     // feedback on a wrong local derivative no rule models; "" for none
}

func diagnose(in *exercises.Instance, got []autograd.Tensor, right []bool) diagnosis {
	n := len(right)
	d := diagnosis{tags: make([][]string, n), consistent: make([]int, n), firstWrong: -1}
	for i := range d.consistent {
		d.consistent[i] = -1
	}
	for _, i := range in.Exercise.Order {
		if !right[i] {
			d.firstWrong = i
			break
		}
	}
	if d.firstWrong < 0 {
		return d
	}
	// Carry-forward runs first: an answer that is right for the student's own upstream answers
	// shows the step itself was done right, so no bug rule may claim it.
	d.carryForward(in, got, right)
	d.matchRules(in, got, right)
	d.tagRoots(in)
	if len(d.all) == 0 {
		if m, ok := findLocalNearMiss(in, got, right, d); ok {
			d.nearMiss = m.feedback()
		}
	}
	return d
}

func (d *diagnosis) tag(i int, tag string) {
	if !slices.Contains(d.tags[i], tag) {
		d.tags[i] = append(d.tags[i], tag)
	}
	if !slices.Contains(d.all, tag) {
		d.all = append(d.all, tag)
	}
}

// fit is how well one prediction explains a submission: the wrong answers it matches that no
// prediction chosen before explains, and the answers it contradicts: where it predicts a wrong
// value the student did not give, or the right value where the student's is wrong. Between equal fits the one with fewer beliefs wins, then the lower
// exercises.Rank, then the one closer to the answers it explains (a rounded answer can match two
// predictions).
type fit struct {
	explains, contradicts int
	beliefs, rank         int
	miss                  float64 // the largest exercises.Tolerance.Miss of an explained answer
}

func (f fit) better(g fit) bool {
	switch {
	case f.explains != g.explains:
		return f.explains > g.explains
	case f.contradicts != g.contradicts:
		return f.contradicts < g.contradicts
	case f.beliefs != g.beliefs:
		return f.beliefs < g.beliefs
	case f.rank != g.rank:
		return f.rank < g.rank
	}
	return f.miss < g.miss
}

// matchRules explains the wrong answers with single rules. When they cannot do it fully (a wrong
// answer left unexplained, or a chosen rule contradicted by another answer), it tries single
// rules and pairs of rules held together, and takes that explanation only if it is full: a
// student with two misconceptions gives answers that neither explains alone, and a single rule
// matching a few of them by coincidence must not stand in for the pair; but a pair matching an
// unexplained answer by coincidence, while the rest contradict it, names nothing.
func (d *diagnosis) matchRules(in *exercises.Instance, got []autograd.Tensor, right []bool) {
	singles := in.Predictions()
	tags, full := cover(in, singles, got, right, d.explained(right))
	d.singleFull = full
	if !full {
		withPairs, fullPairs := cover(in, append(slices.Clone(singles), in.PairPredictions()...), got, right, d.explained(right))
		if fullPairs {
			tags = withPairs
		}
	}
	for _, t := range tags {
		for _, tag := range t.pred.Tags() {
			d.tag(t.answer, tag)
		}
		d.pair = d.pair || t.pred.Beliefs() > 1
	}
}

// explained returns, per answer, whether it is right or carried forward from the student's own
// earlier answers: explained already.
func (d *diagnosis) explained(right []bool) []bool {
	done := slices.Clone(right)
	for i, c := range d.consistent {
		done[i] = done[i] || c >= 0
	}
	return done
}

// tagging is one wrong answer explained by a prediction.
type tagging struct {
	answer int
	pred   exercises.Prediction
}

// cover explains the wrong answers with as few predictions as it can: it repeatedly picks the
// prediction that matches the most unexplained wrong answers (and contradicts the fewest others),
// and tags those answers with it. full reports whether every wrong answer was explained by
// predictions no other answer contradicts.
func cover(in *exercises.Instance, preds []exercises.Prediction, got []autograd.Tensor, right, done []bool) ([]tagging, bool) {
	wrong := make([]bool, len(right))
	for i, r := range right {
		wrong[i] = !r
	}
	var out []tagging
	full := true
	for {
		best, bestFit := -1, fit{}
		for k, p := range preds {
			if f := fitOf(in, p, got, done, wrong); f.explains > 0 && (best < 0 || f.better(bestFit)) {
				best, bestFit = k, f
			}
		}
		if best < 0 {
			return out, full && !slices.Contains(done, false)
		}
		full = full && bestFit.contradicts == 0
		for i := range done {
			if !done[i] && matches(in, preds[best], got, i) {
				out = append(out, tagging{i, preds[best]})
				done[i] = true
			}
		}
	}
}

func fitOf(in *exercises.Instance, p exercises.Prediction, got []autograd.Tensor, done, wrong []bool) fit {
	f := fit{beliefs: p.Beliefs(), rank: p.Rank()}
	for i, differs := range p.Differs {
		switch {
		case !differs && wrong[i] && p.Answers[i].Data != nil:
			f.contradicts++ // it predicts the right answer here, and the student's is wrong
		case !differs:
		case !matches(in, p, got, i):
			f.contradicts++
		case !done[i]:
			f.explains++
			f.miss = max(f.miss, in.Exercise.Quantities[i].Tolerance.Miss(got[i], p.Answers[i]))
		}
	}
	return f
}

// matches reports whether answer i is the prediction's wrong answer for quantity i.
func matches(in *exercises.Instance, p exercises.Prediction, got []autograd.Tensor, i int) bool {
	return p.Differs[i] && in.Exercise.Quantities[i].Tolerance.Accepts(got[i], p.Answers[i])
}

// carryForward marks each wrong answer that is right when recomputed from the student's own
// earlier wrong answers.
func (d *diagnosis) carryForward(in *exercises.Instance, got []autograd.Tensor, right []bool) {
	e := in.Exercise
	var earlier []int // wrong answers so far that can stand in for a value, gradient or local derivative
	for _, j := range e.Order {
		if right[j] {
			continue
		}
		if len(earlier) > 0 {
			if v, ok := replay(in, j, earlier, got); ok && e.Quantities[j].Tolerance.Accepts(got[j], v) {
				d.consistent[j] = source(in, j, earlier, got)
			}
		}
		if e.Quantities[j].Stands != "" {
			earlier = append(earlier, j)
		}
	}
}

// tagRoots tags the root of each chain of carried-forward answers forward-value-wrong when it is
// a forward value that a backward answer builds on.
func (d *diagnosis) tagRoots(in *exercises.Instance) {
	e := in.Exercise
	for j, c := range d.consistent {
		if c < 0 || !e.Quantities[j].Backward {
			continue
		}
		root := c
		for d.consistent[root] >= 0 {
			root = d.consistent[root]
		}
		if !e.Quantities[root].Backward {
			d.tag(root, ForwardValueWrong)
		}
	}
}

// source returns the latest of the earlier answers that quantity j depends on.
func source(in *exercises.Instance, j int, earlier []int, got []autograd.Tensor) int {
	q := in.Exercise.Quantities[j]
	for k := len(earlier) - 1; k >= 0; k-- {
		if v, ok := replay(in, j, earlier[k:k+1], got); ok && q.Tolerance.Separates(v, in.Answers[j]) {
			return earlier[k]
		}
	}
	return earlier[len(earlier)-1]
}

// replay recomputes quantity j with the student's answers to the quantities from standing in for
// the values, gradients and local derivatives they name. ok is false when nothing can be
// recomputed (an answer of the wrong shape, a value outside an operation's domain).
func replay(in *exercises.Instance, j int, from []int, got []autograd.Tensor) (autograd.Tensor, bool) {
	e := in.Exercise
	target := e.Quantities[j]
	values, grads, locals := map[string]autograd.Tensor{}, map[string]autograd.Tensor{}, map[autograd.Edge]autograd.Tensor{}
	for _, i := range from {
		switch q := e.Quantities[i]; {
		case !q.Backward:
			values[q.Stands] = got[i]
		case !target.Backward: // a forward value reads no gradient
		case q.Of == target.Of:
			grads[q.Stands] = got[i]
		case q.Local:
			locals[autograd.Edge{Of: q.Of, Wrt: q.Stands}] = got[i]
		}
	}
	if len(values)+len(grads)+len(locals) == 0 {
		return autograd.Tensor{}, false
	}
	run, err := e.Graph.ForwardWith(in.Inputs, values)
	if err != nil {
		return autograd.Tensor{}, false
	}
	var v autograd.Tensor
	if target.Backward {
		v, err = target.Expr.EvalWith(run, target.Of, grads, locals)
	} else {
		v, err = target.Expr.Eval(run, autograd.Application{})
	}
	return v, err == nil
}
