package app

import (
	"context"
	"fmt"

	"gradjudge"
	"gradjudge/exercises"
	"gradjudge/internal/policy"
)

// instances is the compiled side of a catalog (exercises.Catalog and exercises.Live): the
// answers and local derivatives behind a variant, which hints and revealed answers need.
type instances interface {
	Instance(id string, seed uint64) (*exercises.Instance, error)
}

// Help is what the policy adds to a student's feedback on an exercise.
type Help struct {
	// Hints are about the latest judged answer, in steps by the standing's hint level: the
	// misconception's explanation, then the first wrong answer, then the chain rule at that node
	// and its local derivatives worked out (those not asked). None of them is an asked answer.
	Hints []string
	// Answers are the expected answers of the current variant once the policy reveals them; nil
	// before.
	Answers []ExpectedAnswer
}

// ExpectedAnswer is the expected answer of one asked quantity.
type ExpectedAnswer struct {
	ID    string // the quantity's id
	Label string // as the student sees it, e.g. ∂L/∂w
	Value string // formatted as statements show numbers
}

// Help returns the visitor's hints and revealed answers on exercise id of the course. A catalog
// without compiled exercises gives only the explanations.
func (a *App) Help(ctx context.Context, v Visit, id string) (Help, error) {
	st, err := a.Standing(ctx, v, id)
	if err != nil {
		return Help{}, err
	}
	var h Help
	cat, compiled := a.d.Catalog.(instances)
	if st.State.Revealed && compiled {
		in, err := cat.Instance(id, st.Seed)
		if err != nil {
			return Help{}, err
		}
		for _, r := range in.ReferenceAnswers() {
			h.Answers = append(h.Answers, ExpectedAnswer{ID: r.ID, Label: r.Label, Value: r.Value})
		}
	}
	if st.State.Hint == policy.HintNone {
		return h, nil
	}
	last, err := a.d.Submissions.Submissions(ctx, gradjudge.SubmissionFilter{UserID: v.User.ID, CourseID: v.Course.ID,
		ExerciseID: id, Status: gradjudge.SubmissionDone, Limit: 1})
	if err != nil || len(last) == 0 || last[0].Verdict == nil {
		return h, err
	}
	var in *exercises.Instance
	if compiled {
		in, _ = cat.Instance(id, last[0].Seed) // no instance: the later steps are left out
	}
	h.Hints = a.hints(st.State.Hint, *last[0].Verdict, in)
	return h, nil
}

// hints are the hint steps up to level about verdict vd of instance in (nil: no compiled
// exercise).
func (a *App) hints(level policy.HintLevel, vd gradjudge.Verdict, in *exercises.Instance) []string {
	var out []string
	for _, m := range a.DescribeTags(vd.Misconceptions) {
		if m.Explanation != "" {
			out = append(out, m.Title+": "+m.Explanation)
		}
	}
	if level < policy.HintFirstWrong || vd.FirstWrong == "" || in == nil {
		return out
	}
	i := in.Exercise.Quantity(vd.FirstWrong)
	if i < 0 {
		return out
	}
	out = append(out, fmt.Sprintf("The first answer that goes wrong is %s: the ones before it are right.", in.Exercise.Quantities[i].Label))
	if level < policy.HintLocalDerivative {
		return out
	}
	if chain := in.ChainRule(vd.FirstWrong); chain != "" {
		out = append(out, "The chain rule here: "+chain+".")
	}
	for _, ld := range in.LocalDerivatives(vd.FirstWrong) {
		out = append(out, fmt.Sprintf("On the way back from the node that reads it: %s = %s here.", ld.Label, ld.Value))
	}
	return out
}
