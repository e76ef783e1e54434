package mastery

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"gradjudge"
)

// fakeCourse is one course's submissions in memory, and what FitCourse stores.
type fakeCourse struct {
	subs   []gradjudge.Submission // by id
	params []gradjudge.MasteryParams
	states []gradjudge.LearnerState
	hints  []gradjudge.HintUse
}

func (f *fakeCourse) HintUses(context.Context, int64) ([]gradjudge.HintUse, error) {
	return f.hints, nil
}

func (f *fakeCourse) Course(_ context.Context, id int64) (gradjudge.Course, error) {
	if id != 1 {
		return gradjudge.Course{}, gradjudge.Errorf(gradjudge.ENOTFOUND, "course not found")
	}
	return gradjudge.Course{ID: 1}, nil
}

// Submissions pages newest first, as the store does.
func (f *fakeCourse) Submissions(_ context.Context, flt gradjudge.SubmissionFilter) ([]gradjudge.Submission, error) {
	var out []gradjudge.Submission
	for i := len(f.subs) - 1; i >= 0 && len(out) < flt.Limit; i-- {
		if s := f.subs[i]; flt.BeforeID == 0 || s.ID < flt.BeforeID {
			out = append(out, s)
		}
	}
	return out, nil
}

func (f *fakeCourse) SetMasteryParams(_ context.Context, _ int64, p []gradjudge.MasteryParams) error {
	f.params = p
	return nil
}

func (f *fakeCourse) ReplaceLearners(_ context.Context, _ int64, st []gradjudge.LearnerState) error {
	f.states = st
	return nil
}

// TestFitCourse fits a course of 80 simulated students answering e1 (concept a) eight times
// and e3 (concept b) once: a is fitted and stored, b keeps the defaults for too few answers, every
// student's model is recomputed, and the report says so. More than one page of submissions is read.
func TestFitCourse(t *testing.T) {
	m, _ := newFakeModel(t)
	truth := gradjudge.MasteryParams{Concept: "a", Prior: 0.3, Learn: 0.25, Guess: 0.1, Slip: 0.1}
	rng := rand.New(rand.NewPCG(3, 4))
	data := &fakeCourse{}
	for u := int64(1); u <= 80; u++ {
		known := rng.Float64() < truth.Prior
		for k := range 9 {
			ex, right := "e1", rng.Float64() < truth.Guess
			if known {
				right = rng.Float64() >= truth.Slip
			}
			if k == 8 {
				ex = "e3"
			}
			v := wrong
			if right {
				v = rightV
			}
			data.subs = append(data.subs, gradjudge.Submission{ID: int64(len(data.subs) + 1), UserID: u, ExerciseID: ex,
				Seed: uint64(k), CreatedAt: at(int(u)*10 + k), Verdict: &v})
			known = known || rng.Float64() < truth.Learn
		}
	}
	r, err := m.FitCourse(t.Context(), data, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Submissions != len(data.subs) || r.Students != 80 || r.Replayed != 80 || len(data.states) != 80 {
		t.Errorf("result %+v with %d states, want all %d submissions of 80 students read and replayed", r, len(data.states), len(data.subs))
	}
	if r.Saved != 1 || len(data.params) != 1 || data.params[0].Concept != "a" {
		t.Errorf("stored %+v, want the parameters of concept a only", data.params)
	}
	var out bytes.Buffer
	if err := r.Write(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"course 1: 720 judged submissions from 80 students", "defaults: too few", "held out, weighted by answers", "recomputed the models of 80 students"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if _, err := m.FitCourse(t.Context(), data, 2, true); gradjudge.ErrorCode(err) != gradjudge.ENOTFOUND {
		t.Errorf("unknown course: %v, want ENOTFOUND", err)
	}
}

var rightV = gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}
