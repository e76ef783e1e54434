package judge

import (
	"math"
	"slices"
	"testing"

	"gradjudge"
	"gradjudge/autograd"
	"gradjudge/exercises"
)

// TestForwardValueCarriedForward: over many seeds, a student who gets the first forward value wrong
// and computes everything after it correctly from their own value has every later wrong answer
// marked consistent, and earns forward-value-wrong when a backward answer builds on it.
func TestForwardValueCarriedForward(t *testing.T) {
	j := newJudge(t)
	checked := 0
	for _, e := range j.cat.All() {
		first := firstForwardStand(e)
		if first < 0 {
			continue
		}
		for seed := range uint64(50) {
			in, err := e.NewInstance(seed)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := carriedForward(in, first)
			if !ok {
				continue
			}
			checked++
			v := j.gradeNumbers(in, got)
			checkCarriedForward(t, in, first, v)
		}
	}
	if checked < 200 {
		t.Errorf("only %d submissions checked", checked)
	}
}

func firstForwardStand(e *exercises.Exercise) int {
	for _, i := range e.Order {
		if q := e.Quantities[i]; !q.Backward && q.Stands != "" {
			return i
		}
	}
	return -1
}

// carriedForward returns answers with quantity first too large by half its size plus 0.5 and every
// quantity after it recomputed from that value.
func carriedForward(in *exercises.Instance, first int) ([]autograd.Tensor, bool) {
	e := in.Exercise
	wrong := in.Answers[first].Clone()
	for k := range wrong.Data {
		wrong.Data[k] += 0.5 + 0.5*math.Abs(wrong.Data[k])
	}
	run, err := e.Graph.ForwardWith(in.Inputs, map[string]autograd.Tensor{e.Quantities[first].Stands: wrong})
	if err != nil {
		return nil, false
	}
	got := slices.Clone(in.Answers)
	after := false
	for _, i := range e.Order {
		if after {
			if got[i], err = e.Quantities[i].Expr.Eval(run, autograd.Application{}); err != nil {
				return nil, false
			}
		}
		after = after || i == first
	}
	got[first] = wrong
	return got, true
}

func checkCarriedForward(t *testing.T, in *exercises.Instance, first int, v gradjudge.Verdict) {
	t.Helper()
	e := in.Exercise
	backwardWrong := false
	for i, r := range v.Results {
		switch {
		case i == first && r.Status != gradjudge.StatusWrongAnswer:
			t.Errorf("%s seed %d: the wrong %s is %s", e.ID, in.Seed, r.ID, r.Status)
		case i != first && r.Status == gradjudge.StatusWrongAnswer && r.ConsistentWith == "":
			t.Errorf("%s seed %d: %s is not marked consistent: %s", e.ID, in.Seed, r.ID, r.Message)
		}
		backwardWrong = backwardWrong || (e.Quantities[i].Backward && r.Status == gradjudge.StatusWrongAnswer)
	}
	if backwardWrong != slices.Contains(v.Misconceptions, forwardValueWrong) {
		t.Errorf("%s seed %d: a backward answer wrong: %v, but misconceptions %v", e.ID, in.Seed, backwardWrong, v.Misconceptions)
	}
	if v.FirstWrong != e.Quantities[first].ID {
		t.Errorf("%s seed %d: first wrong %q, want %q", e.ID, in.Seed, v.FirstWrong, e.Quantities[first].ID)
	}
}

// TestReferenceThroughGrade: over many seeds, the reference answers sent through the public Grade
// path as JSON strings rounded to 3 significant figures are accepted.
func TestReferenceThroughGrade(t *testing.T) {
	j := newJudge(t)
	for _, e := range j.cat.All() {
		if e.Kind != gradjudge.KindNumeric {
			continue
		}
		for seed := range uint64(20) {
			in, _ := e.NewInstance(seed)
			v := j.GradeInstance(in, referenceAnswer(in))
			if v.Status != gradjudge.StatusAccepted || v.Score != 1 || len(v.Misconceptions) > 0 {
				t.Errorf("%s seed %d: %s %v", e.ID, seed, v.Status, v.Feedback)
			}
		}
	}
}
