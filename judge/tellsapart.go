package judge

import (
	"slices"

	"gradjudge"
	"gradjudge/exercises"
)

// TellsApart returns the misconception tags that a right answer to the variant of numeric or
// choice exercise id for seed rules out, each once: the tags of the bug rules (followed
// everywhere) and author rules whose predictions differ from the right answers, or those of the
// wrong options; and forward-value-wrong where a forward value is asked together with a gradient.
// The learner model resolves a misconception on a right answer to such a variant. ENOTFOUND for
// an unknown exercise; EINVALID for a code exercise, whose cases judge/code's TellsApart reads;
// EINTERNAL for a badly authored one.
func (j *Judge) TellsApart(id string, seed uint64) ([]string, error) {
	e, err := j.cat.Lookup(id)
	if err != nil {
		return nil, err
	}
	if e.Kind == gradjudge.KindCode {
		return nil, gradjudge.Errorf(gradjudge.EINVALID, "exercise %s is a code exercise: its cases tell rules apart", id)
	}
	in, err := j.cat.Instance(id, seed)
	if err != nil {
		return nil, err
	}
	var tags []string
	for _, o := range in.Options {
		tags = AddTag(tags, o.Tag)
	}
	for _, p := range in.Predictions() {
		if !p.Slip {
			tags = AddTag(tags, p.Tag)
		}
	}
	backward := func(q exercises.Quantity) bool { return q.Backward }
	if slices.ContainsFunc(e.Quantities, backward) && slices.ContainsFunc(e.Quantities, func(q exercises.Quantity) bool { return !q.Backward }) {
		tags = AddTag(tags, ForwardValueWrong)
	}
	return tags, nil
}

// AddTag appends tag to tags unless it is empty or there already.
func AddTag(tags []string, tag string) []string {
	if tag == "" || slices.Contains(tags, tag) {
		return tags
	}
	return append(tags, tag)
}
