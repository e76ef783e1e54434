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
// reference on some case). A wrong forward value with every gradient right is
// forward-value-wrong: the backward steps are right, built on a wrong forward pass.
func diagnoseCode(p *plan, g grading) []string {
	var tags []string
	add := func(tag string) {
		if !slices.Contains(tags, tag) {
			tags = append(tags, tag)
		}
	}
	apps := applications(p.ex.Graph)
	forwardOnly := true
	for f, fn := range p.code.Funcs {
		for k, q := range fn.Results {
			if !g.wrong[f][k] {
				continue
			}
			forwardOnly = forwardOnly && !q.UsesGrad()
			for _, tag := range explain(p, q, g.got[f][k], apps) {
				add(tag)
			}
		}
	}
	if len(tags) == 0 && forwardOnly && anyWrong(g) && hasGradient(p) {
		add(judge.ForwardValueWrong)
	}
	return tags
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
		if !slices.Contains(tags, app.Rule.Tag) {
			tags = append(tags, app.Rule.Tag)
		}
	}
	return tags
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
