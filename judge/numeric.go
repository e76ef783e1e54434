package judge

import (
	"encoding/json"
	"fmt"
	"sort"

	"gradjudge"
	"gradjudge/autograd"
	"gradjudge/exercises"
)

// TwoMistakes is the feedback line of an answer that two misconceptions held together explain.
const TwoMistakes = "Two separate mistakes together explain your answers, and fixing one alone will not make them right: both are explained below."

// readFields reads every asked quantity's answer, or returns the invalid verdict listing each field
// that could not be read (missing, empty, malformed, not finite, or not asked).
func readFields(e *exercises.Exercise, fields map[string]json.RawMessage) ([]autograd.Tensor, *gradjudge.Verdict) {
	got := make([]autograd.Tensor, len(e.Quantities))
	var bad []gradjudge.Result
	for i, q := range e.Quantities {
		raw, ok := fields[q.ID]
		msg := "no answer was given"
		if ok {
			got[i], msg = ParseField(raw)
		}
		if msg != "" {
			bad = append(bad, gradjudge.Result{ID: q.ID, Status: gradjudge.StatusInvalid, Message: msg})
		}
	}
	var unknown []string
	for id := range fields {
		if e.Quantity(id) < 0 {
			unknown = append(unknown, id)
		}
	}
	sort.Strings(unknown)
	for _, id := range unknown {
		bad = append(bad, gradjudge.Result{ID: id, Status: gradjudge.StatusInvalid,
			Message: fmt.Sprintf("this exercise asks no quantity %q", id)})
	}
	if bad != nil {
		v := invalidVerdict(bad)
		return nil, &v
	}
	return got, nil
}

// gradeNumbers grades readable answers: a result per quantity, the score, the diagnosis.
func (j *Judge) gradeNumbers(in *exercises.Instance, got []autograd.Tensor) gradjudge.Verdict {
	e := in.Exercise
	right := make([]bool, len(e.Quantities))
	nRight := 0
	for i, q := range e.Quantities {
		if right[i] = q.Tolerance.Accepts(got[i], in.Answers[i]); right[i] {
			nRight++
		}
	}
	d := diagnose(in, got, right)
	v := gradjudge.Verdict{Score: float64(nRight) / float64(len(right)), Misconceptions: d.all}
	switch nRight {
	case len(right):
		v.Status = gradjudge.StatusAccepted
	case 0:
		v.Status = gradjudge.StatusWrongAnswer
	default:
		v.Status = gradjudge.StatusPartial
	}
	for i := range e.Quantities {
		v.Results = append(v.Results, result(in, i, got[i], right[i], d))
	}
	if d.firstWrong >= 0 {
		v.FirstWrong = e.Quantities[d.firstWrong].ID
	}
	v.Feedback = j.feedback(in, d, nRight)
	return v
}

func result(in *exercises.Instance, i int, got autograd.Tensor, right bool, d diagnosis) gradjudge.Result {
	q := in.Exercise.Quantities[i]
	if right {
		return gradjudge.Result{ID: q.ID, Status: gradjudge.StatusAccepted, Message: "Right."}
	}
	r := gradjudge.Result{ID: q.ID, Status: gradjudge.StatusWrongAnswer, Tags: d.tags[i]}
	r.Message = "Wrong: " + HowFarOff(got, in.Answers[i], q.Tolerance, in.Exercise.Reveal) + "."
	if c := d.consistent[i]; c >= 0 {
		r.ConsistentWith = in.Exercise.Quantities[c].ID
		r.Message += fmt.Sprintf(" But it is right for your own answer to %s: fix that one and this follows.",
			in.Exercise.Quantities[c].Label)
	}
	if in.Exercise.Reveal {
		r.Message += " The expected answer is " + exercises.FormatTensor(in.Answers[i]) + "."
	}
	return r
}

func (j *Judge) feedback(in *exercises.Instance, d diagnosis, nRight int) []string {
	e := in.Exercise
	if d.firstWrong < 0 {
		return []string{"All answers are right."}
	}
	out := []string{fmt.Sprintf("%d of %d answers are right. Answers count when they are %s.",
		nRight, len(e.Quantities), e.Quantities[d.firstWrong].Tolerance)}
	out = append(out, fmt.Sprintf("The first wrong answer, going through the forward pass and then the backward pass, is %s: start there.",
		e.Quantities[d.firstWrong].Label))
	if d.pair {
		out = append(out, TwoMistakes)
	}
	if d.nearMiss != "" {
		out = append(out, d.nearMiss)
	}
	out = append(out, j.explain(d.all)...)
	return out
}
