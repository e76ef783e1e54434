package web

import (
	"context"
	"html/template"

	"gradjudge"

	"gradjudge/internal/app"
	"gradjudge/internal/policy"
)

// hintSteps is how many steps of hints there are: the misconception's explanation, the first
// wrong answer, the local derivative there worked out.
const hintSteps = int(policy.HintLocalDerivative)

// standingView is what the exercise page says counts, from the core's Standing, and the help the
// student has asked for, from the core's Help.
type standingView struct {
	Rules     []string // the policy's sentences: "Attempt 2 of 5.", the dates, the hint rule
	Open      bool     // answers are taken now; before the opening the form is disabled
	Opens     string   // when it opens, while it is not open
	Practice  bool     // an answer now earns no credit (closed, or every attempt used)
	Attempted bool     // the student has a judged attempt, so a grade to show
	Grade     float64  // the course grade so far
	GradeRule string   // how the grade is computed, written next to it
	HintLevel int      // hint steps the student may see, 0 to HintSteps
	HintSteps int
	Asked     bool     // the student asked for the hints (?hints=1): Hints is their answer
	Hints     []string // through app.Help, which counts asking as evidence for the learner model
	// Explained: a hint explains a misconception the verdict on the page explains already, so it
	// is left out of Hints and pointed to instead.
	Explained bool
	Answers   []revealedAnswer
}

// revealedAnswer is one expected answer the policy reveals: a number, or a choice's right option
// typeset as the option shows it.
type revealedAnswer struct {
	app.ExpectedAnswer
	HTML template.HTML // the typeset option, for a choice exercise; empty for a number
}

// standing gathers what counts on exercise eid for the visitor. The core's Help is asked only when
// the student asks for hints (asking is itself evidence); revealed answers alone come from Answers.
func (h *Handler) standing(ctx context.Context, v visit, eid string, askHints bool) (*standingView, error) {
	st, err := h.App.Standing(ctx, v.app(), eid)
	if err != nil {
		return nil, err
	}
	sv := &standingView{Rules: st.Rules, Open: st.State.Open, Practice: st.State.Why != "", Attempted: len(st.Attempts) > 0,
		Grade: st.State.Grade.Score, GradeRule: st.State.Grade.Rule, HintLevel: int(st.State.Hint), HintSteps: hintSteps}
	if !sv.Open {
		sv.Opens = when(st.Policy.Opens)
	}
	sv.Asked = askHints && st.State.Hint > policy.HintNone
	switch {
	case sv.Asked:
		help, err := h.App.Help(ctx, v.app(), eid)
		if err != nil {
			return nil, err
		}
		sv.Hints = help.Hints
		sv.Answers, err = h.revealedAnswers(eid, help.Answers)
	case st.State.Revealed:
		var answers []app.ExpectedAnswer
		if answers, err = h.App.Answers(ctx, v.app(), eid); err == nil {
			sv.Answers, err = h.revealedAnswers(eid, answers)
		}
	}
	if err != nil {
		return nil, err
	}
	return sv, nil
}

// revealedAnswers typesets a choice exercise's revealed option as the choices are shown; numbers
// stay as they are.
func (h *Handler) revealedAnswers(eid string, answers []app.ExpectedAnswer) ([]revealedAnswer, error) {
	out := make([]revealedAnswer, 0, len(answers))
	for _, a := range answers {
		r := revealedAnswer{ExpectedAnswer: a}
		if h.App.Exercise(eid).Kind == gradjudge.KindChoice {
			html, err := h.statements.RenderInline(a.Value)
			if err != nil {
				return nil, err
			}
			r.HTML = html
		}
		out = append(out, r)
	}
	return out, nil
}

// withoutShown leaves out the hints that explain one of ms, the misconceptions the verdict on the
// page explains in its own box, so that a student does not read the same text twice.
func (sv *standingView) withoutShown(ms []gradjudge.Misconception) {
	kept := withoutExplanations(sv.Hints, ms)
	sv.Explained = len(kept) < len(sv.Hints)
	sv.Hints = kept
}
