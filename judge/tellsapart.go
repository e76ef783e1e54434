package judge

import (
	"slices"

	"gradjudge"
	"gradjudge/autograd"
	"gradjudge/exercises"
)

// TellsApart returns the misconception tags that a right answer to the variant of exercise id for
// seed rules out, each once: for a numeric exercise the tags of the bug rules (followed
// everywhere) and author rules whose predictions differ from the right answers, for a code
// exercise those of the beliefs that change a result on the variant's cases, for a choice
// exercise those of its wrong options; and forward-value-wrong where a forward value is asked
// together with a gradient. The learner model resolves a misconception on a right
// answer to such a variant. ENOTFOUND for an unknown exercise; EINTERNAL for a badly authored one.
func (j *Judge) TellsApart(id string, seed uint64) ([]string, error) {
	e, err := j.cat.Lookup(id)
	if err != nil {
		return nil, err
	}
	if e.Kind == gradjudge.KindCode {
		return codeTellsApart(e, seed)
	}
	in, err := j.cat.Instance(id, seed)
	if err != nil {
		return nil, err
	}
	var tags []string
	for _, o := range in.Options {
		tags = addTag(tags, o.Tag)
	}
	for _, p := range in.Predictions() {
		if !p.Slip {
			tags = addTag(tags, p.Tag)
		}
	}
	backward := func(q exercises.Quantity) bool { return q.Backward }
	if slices.ContainsFunc(e.Quantities, backward) && !all(e.Quantities, backward) {
		tags = addTag(tags, forwardValueWrong)
	}
	return tags, nil
}

func codeTellsApart(e *exercises.Exercise, seed uint64) ([]string, error) {
	p, err := newPlan(e, seed)
	if err != nil {
		return nil, &gradjudge.Error{Code: gradjudge.EINTERNAL, Op: "judge.TellsApart " + e.ID, Err: err}
	}
	sim := newSimulation(p)
	var tags []string
	for _, app := range codeBeliefs(e.Graph) {
		if sim.predict(app).differs {
			tags = addTag(tags, app.Rule.Tag)
		}
	}
	if hasGradient(p) && slices.ContainsFunc(e.Code.Funcs, func(f exercises.CodeFunc) bool {
		return !all(f.Results, (*autograd.Quantity).UsesGrad)
	}) {
		tags = addTag(tags, forwardValueWrong)
	}
	return tags, nil
}

func all[T any](s []T, f func(T) bool) bool {
	return !slices.ContainsFunc(s, func(x T) bool { return !f(x) })
}

func addTag(tags []string, tag string) []string {
	if tag == "" || slices.Contains(tags, tag) {
		return tags
	}
	return append(tags, tag)
}
