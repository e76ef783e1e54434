package code

import (
	"slices"

	"gradjudge"
	"gradjudge/autograd"
	"gradjudge/exercises"
	"gradjudge/judge"
)

// TellsApart returns the misconception tags that code passing every case of code exercise e's
// variant for seed rules out: those of the beliefs that change a result on the cases, and
// forward-value-wrong where a function returns forward values together with gradients. No code is
// built: the cases are computed with the reference autograd. EINTERNAL for a badly authored one.
func TellsApart(e *exercises.Exercise, seed uint64) ([]string, error) {
	p, err := newPlan(e, seed)
	if err != nil {
		return nil, &gradjudge.Error{Code: gradjudge.EINTERNAL, Op: "code.TellsApart " + e.ID, Err: err}
	}
	sim := newSimulation(p)
	var tags []string
	for _, app := range codeBeliefs(e.Graph) {
		if sim.predict(app).differs {
			tags = judge.AddTag(tags, app.Rule.Tag)
		}
	}
	forward := slices.ContainsFunc(e.Code.Funcs, func(f exercises.CodeFunc) bool {
		return slices.ContainsFunc(f.Results, func(q *autograd.Quantity) bool { return !q.UsesGrad() })
	})
	if forward && hasGradient(p) {
		tags = judge.AddTag(tags, judge.ForwardValueWrong)
	}
	return tags, nil
}

// Variants tells which misconceptions a variant of any exercise of a catalog tells apart: code
// exercises by their cases (TellsApart), the others by the judge (judge.Judge.TellsApart). The
// learner model asks it.
type Variants struct {
	Catalog *exercises.Catalog
	Judge   *judge.Judge
}

// TellsApart returns the tags a right answer to the variant of exercise id for seed rules out.
func (v Variants) TellsApart(id string, seed uint64) ([]string, error) {
	e, err := v.Catalog.Lookup(id)
	if err != nil {
		return nil, err
	}
	if e.Kind == gradjudge.KindCode {
		return TellsApart(e, seed)
	}
	return v.Judge.TellsApart(id, seed)
}
