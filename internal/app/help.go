package app

import (
	"context"
	"fmt"

	"gradjudge"
	"gradjudge/internal/policy"
)

// workedOut is the compiled side of a catalog (exercises.Catalog and exercises.Live): what hints
// and revealed answers need of a variant. A catalog without it gives only the explanations.
type workedOut interface {
	// WorkedHint returns asked quantity q's label, the chain rule at its node and its unasked
	// local derivatives worked out ("∂u/∂w = 2").
	WorkedHint(id string, seed uint64, q string) (label, chain string, locals []string, err error)
	// ExpectedAnswers returns the variant's expected answers, labels and values.
	ExpectedAnswers(id string, seed uint64) (labels, values []string, err error)
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
	Label string // as the student sees it, e.g. ∂L/∂w
	Value string // formatted as statements show numbers
}

// Help returns the visitor's hints and revealed answers on exercise id of the course, and
// records the hint steps it returns as shown (evidence for the learner model): call it only when
// the visitor asks for hints. Answers returns the revealed answers alone.
func (a *App) Help(ctx context.Context, v Visit, id string) (Help, error) {
	st, err := a.Standing(ctx, v, id)
	if err != nil {
		return Help{}, err
	}
	var h Help
	if h.Answers, err = a.revealed(st, id); err != nil {
		return Help{}, err
	}
	if st.State.Hint == policy.HintNone {
		return h, nil
	}
	last, err := a.d.Submissions.Submissions(ctx, gradjudge.SubmissionFilter{UserID: v.User.ID, CourseID: v.Course.ID,
		ExerciseID: id, Status: gradjudge.SubmissionDone, Limit: 1})
	if err != nil || len(last) == 0 || last[0].Verdict == nil {
		return h, err
	}
	h.Hints = a.explanations(*last[0].Verdict)
	level := policy.HintNone
	if len(h.Hints) > 0 {
		level = policy.HintMisconception
	}
	if cat, compiled := a.d.Catalog.(workedOut); compiled && st.State.Hint >= policy.HintFirstWrong && last[0].Verdict.FirstWrong != "" {
		worked := workedHints(cat, st.State.Hint, id, last[0].Seed, last[0].Verdict.FirstWrong)
		h.Hints = append(h.Hints, worked...)
		level = max(level, min(st.State.Hint, policy.HintLevel(len(worked)+1)))
	}
	return h, a.recordHints(ctx, v, id, level)
}

// Answers returns the expected answers of the visitor's variant of exercise id once the policy
// reveals them (none before), without hints: reading them is not asking for help.
func (a *App) Answers(ctx context.Context, v Visit, id string) ([]ExpectedAnswer, error) {
	st, err := a.Standing(ctx, v, id)
	if err != nil {
		return nil, err
	}
	return a.revealed(st, id)
}

// revealed returns the expected answers of the standing's variant when the policy reveals them.
func (a *App) revealed(st Standing, id string) ([]ExpectedAnswer, error) {
	cat, compiled := a.d.Catalog.(workedOut)
	if !st.State.Revealed || !compiled {
		return nil, nil
	}
	labels, values, err := cat.ExpectedAnswers(id, st.Seed)
	if err != nil {
		return nil, err
	}
	out := make([]ExpectedAnswer, 0, len(labels))
	for i := range labels {
		out = append(out, ExpectedAnswer{Label: labels[i], Value: values[i]})
	}
	return out, nil
}

// HintRecorder keeps the hint steps students are shown, evidence for the learner model (a right
// answer after hints counts for less); store.DB implements it.
type HintRecorder interface {
	// RecordHints records that the student was shown hint steps 1 to steps on the exercise.
	RecordHints(ctx context.Context, courseID, userID int64, exerciseID string, steps int) error
}

// recordHints records that Help showed a student hints up to level: every door that shows hints
// goes through Help, so every one records them. Staff trying an exercise are not learners.
func (a *App) recordHints(ctx context.Context, v Visit, id string, level policy.HintLevel) error {
	if level == policy.HintNone || a.d.Hints == nil || v.Role != gradjudge.CourseStudent {
		return nil
	}
	return a.d.Hints.RecordHints(ctx, v.Course.ID, v.User.ID, id, int(level))
}

// explanations are the first hint step: the explanation of each misconception the verdict shows.
func (a *App) explanations(vd gradjudge.Verdict) []string {
	var out []string
	for _, m := range a.DescribeTags(vd.Misconceptions) {
		if m.Explanation != "" {
			out = append(out, m.Title+": "+m.Explanation)
		}
	}
	return out
}

// workedHints are the later hint steps up to level about asked quantity q of a variant.
func workedHints(cat workedOut, level policy.HintLevel, id string, seed uint64, q string) []string {
	label, chain, locals, err := cat.WorkedHint(id, seed, q)
	if err != nil || label == "" {
		return nil
	}
	out := []string{fmt.Sprintf("The first answer that goes wrong is %s: the ones before it are right.", label)}
	if level < policy.HintLocalDerivative {
		return out
	}
	if chain != "" {
		out = append(out, "The chain rule here: "+chain+".")
	}
	for _, l := range locals {
		out = append(out, "On the way back from the node that reads it: "+l+" here.")
	}
	return out
}
