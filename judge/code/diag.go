package code

import (
	"slices"

	"gradjudge/autograd"
	"gradjudge/exercises"
	"gradjudge/judge"
)

// matchRel and matchAbs say how close a student's result must be to a bug rule's prediction, on
// every case, for the rule to explain it. The student's code and the prediction both compute in
// float64, so they agree far more closely than this unless they follow different formulas.
const (
	matchRel = 1e-4
	matchAbs = 1e-7
)

// applications returns every bug rule as a belief, then as a slip at each node of g.
func applications(g *autograd.Graph) []autograd.Application {
	var apps []autograd.Application
	for _, r := range autograd.BugRules() {
		apps = append(apps, autograd.Application{Rule: r})
	}
	for _, r := range autograd.BugRules() {
		for _, name := range g.Names() {
			apps = append(apps, autograd.Application{Rule: r, At: name})
		}
	}
	return apps
}

// diagnoseCode returns the misconception tags that explain the wrong results: for each wrong
// result, the rules whose predictions it matches on every case (and which differ from the
// reference on some case), or when no single rule does, two rules held together (pair is then
// true). A wrong forward value with every gradient right is forward-value-wrong: the backward
// steps are right, built on a wrong forward pass.
func diagnoseCode(p *plan, g grading) (tags []string, pair bool) {
	add := func(tag string) {
		if !slices.Contains(tags, tag) {
			tags = append(tags, tag)
		}
	}
	apps := applications(p.ex.Graph)
	var pairs []autograd.Application // computed when a result needs them
	forwardOnly := true
	for f, fn := range p.code.Funcs {
		for k, q := range fn.Results {
			if !g.wrong[f][k] {
				continue
			}
			forwardOnly = forwardOnly && !q.UsesGrad()
			found := authorBugs(p, f, k, g.got[f][k])
			if len(found) == 0 {
				found = explain(p, q, g.got[f][k], apps)
			}
			if len(found) == 0 {
				if pairs == nil {
					pairs = exercises.PairApplications(p.ex.Graph)
				}
				found = explain(p, q, g.got[f][k], pairs)
				pair = pair || len(found) > 0
			}
			for _, tag := range found {
				add(tag)
			}
		}
	}
	if len(tags) == 0 && anyWrong(g) && hasGradient(p) && (forwardOnly || termLeftOut(p, g)) {
		add(judge.ForwardValueWrong)
	}
	return tags, pair
}

// termLeftOut reports whether every wrong result, on every case, is what the reference computes
// when one statement's sum has lost a term in the forward pass (z = w·x with the bias b left
// out), the backward steps being right: a wrong forward value shows through the gradients even
// when no forward value is returned.
func termLeftOut(p *plan, g grading) bool {
	for _, name := range p.ex.Graph.Names() {
		for term := range 2 {
			if replaysTermLeftOut(p, g, name, term) {
				return true
			}
		}
	}
	return false
}

// replaysTermLeftOut reports whether leaving term out of name's sum explains every wrong result.
func replaysTermLeftOut(p *plan, g grading, name string, term int) bool {
	tol := exercises.Tolerance{Rel: matchRel, Abs: matchAbs}
	for c, in := range p.cases {
		values, ok := in.Run.TermsLeftOut(name)
		if !ok {
			return false
		}
		run, err := p.ex.Graph.ForwardWith(in.Inputs, map[string]autograd.Tensor{name: values[term]})
		if err != nil {
			return false
		}
		for f, fn := range p.code.Funcs {
			for k, q := range fn.Results {
				if !g.wrong[f][k] {
					continue
				}
				v, err := q.Eval(run, autograd.Application{})
				if err != nil || g.got[f][k][c].Data == nil || !tol.Accepts(g.got[f][k][c], v) {
					return false
				}
			}
		}
	}
	return true
}

// explain returns the tags of the best-ranked predictions of q (exercises.Rank) that got matches
// on every case.
func explain(p *plan, q *autograd.Quantity, got []autograd.Tensor, apps []autograd.Application) []string {
	if slices.ContainsFunc(got, func(t autograd.Tensor) bool { return t.Data == nil }) {
		return nil // an unreadable or non-finite result matches no rule
	}
	best, tags := exercises.WorstRank, []string(nil)
	for _, app := range apps {
		rank := exercises.RankOf(app)
		if !app.Affects(p.ex.Graph) || rank > best || !predicts(p, q, got, app) {
			continue
		}
		if rank < best {
			best, tags = rank, nil
		}
		for _, r := range []*autograd.BugRule{app.Rule, app.Also} {
			if r != nil && !slices.Contains(tags, r.Tag) {
				tags = append(tags, r.Tag)
			}
		}
	}
	return tags
}

// authorBugs returns the tags of the author's wrong results for result k of function f that got
// matches on every case: an author's rule is the most specific explanation there is.
func authorBugs(p *plan, f, k int, got []autograd.Tensor) []string {
	if slices.ContainsFunc(got, func(t autograd.Tensor) bool { return t.Data == nil }) {
		return nil
	}
	var tags []string
	for _, b := range p.code.Bugs {
		if b.Func == f && b.Result == k && !slices.Contains(tags, b.Tag) && bugPredicts(p, b, got) {
			tags = append(tags, b.Tag)
		}
	}
	return tags
}

// bugPredicts reports whether got matches the author's wrong result on every case, and that
// result differs from the reference on at least one.
func bugPredicts(p *plan, b exercises.CodeBug, got []autograd.Tensor) bool {
	differs := false
	for c, in := range p.cases {
		v, err := b.Expr.Eval(in.Run, autograd.Application{})
		if err != nil || !(exercises.Tolerance{Rel: matchRel, Abs: matchAbs}).Accepts(got[c], v) {
			return false
		}
		differs = differs || p.code.Tolerance.Separates(v, p.calls[indexOf(p, b.Func, c)].want[b.Result])
	}
	return differs
}

// predicts reports whether got matches q under app on every case, and app's prediction differs
// from the reference on at least one.
func predicts(p *plan, q *autograd.Quantity, got []autograd.Tensor, app autograd.Application) bool {
	differs := false
	for c, in := range p.cases {
		v, err := q.Eval(in.Run, app)
		if err != nil || !(exercises.Tolerance{Rel: matchRel, Abs: matchAbs}).Accepts(got[c], v) {
			return false
		}
		ref, err := q.Eval(in.Run, autograd.Application{})
		differs = differs || (err == nil && p.code.Tolerance.Separates(v, ref))
	}
	return differs
}

func anyWrong(g grading) bool {
	for _, w := range g.wrong {
		if slices.Contains(w, true) {
			return true
		}
	}
	return false
}

func hasGradient(p *plan) bool {
	for _, fn := range p.code.Funcs {
		if slices.ContainsFunc(fn.Results, (*autograd.Quantity).UsesGrad) {
			return true
		}
	}
	return false
}
