package store

import (
	"encoding/json"
	"testing"

	"gradjudge"
	"gradjudge/autograd"
	"gradjudge/exercises"
	"gradjudge/internal/mastery"
	"gradjudge/judge"
)

// TestSimulatedLearnersStored drives simulated students through real exercises, judged inline by
// the real judge, on each database: a student who answers right is shown mastering the chain rule
// within three right answers on it; a student who holds square-factor-dropped shows it, drops it
// after the feedback and has it resolved by their first right answer to a variant that tells it
// apart; a student who types random numbers never masters anything.
func TestSimulatedLearnersStored(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	j, err := judge.New(cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mastery.New(mastery.Config{Catalog: cat, Variants: j})
	if err != nil {
		t.Fatal(err)
	}
	forEachDB(t, Config{InlineJudge: j, Learner: m}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		s := simStudent{t: t, db: db, cat: cat, course: f.course.ID}
		learner := func(uid int64) gradjudge.LearnerState {
			st, err := db.Learner(t.Context(), f.course.ID, uid)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}

		for i, ex := range []string{"chain-rule-multiply", "local-times-local", "computational-graph"} {
			s.answer(f.ann.ID, ex, "")
			if i >= 2 && !m.Mastered(nil, learner(f.ann.ID), "chain-rule") {
				t.Errorf("after %d right answers on the chain rule: %+v", i+1, mastery.Mastery(nil, learner(f.ann.ID), "chain-rule"))
			}
		}

		const tag = "square-factor-dropped"
		if v := s.answer(f.bob.ID, "gradient-descent-step", tag); v.Status != gradjudge.StatusWrongAnswer {
			t.Fatalf("the belief's answer: %+v", v)
		}
		if st := learner(f.bob.ID); len(st.Misconceptions) != 1 || !st.Misconceptions[0].Active {
			t.Fatalf("after showing %s: %+v", tag, st.Misconceptions)
		}
		right := s.answer(f.bob.ID, "gradient-descent-step", "")
		if st := learner(f.bob.ID).Misconceptions[0]; st.Active || st.ResolvedBy != "gradient-descent-step" || st.ResolvedAt == nil {
			t.Errorf("after the right answer %+v: %+v", right.Status, st)
		}

		carl := mustUser(t, db, "carl@example.com", gradjudge.RoleStudent)
		for range 3 {
			for _, ex := range []string{"chain-rule-multiply", "local-times-local", "gradient-descent-step", "mse-batch"} {
				s.answer(carl.ID, ex, "random")
			}
		}
		for _, c := range learner(carl.ID).Concepts {
			if c.P >= mastery.MasteredAt {
				t.Errorf("a student typing random numbers: %+v", c)
			}
		}
	})
}

// simStudent submits answers to a course's exercises.
type simStudent struct {
	t      *testing.T
	db     *DB
	cat    *exercises.Catalog
	course int64
}

// answer submits user's answer to their variant of ex: the right one for belief "", random
// numbers for "random", else the answer of a student holding the belief; it returns the verdict.
func (s simStudent) answer(user int64, ex, belief string) gradjudge.Verdict {
	s.t.Helper()
	seed := gradjudge.VariantSeed(s.course, user, ex)
	in, err := s.cat.Instance(ex, seed)
	if err != nil {
		s.t.Fatal(err)
	}
	got := make([]autograd.Tensor, len(in.Answers))
	copy(got, in.Answers)
	for _, p := range in.Predictions() {
		if belief != "" && p.Tag == belief && !p.Slip {
			for i, a := range p.Answers {
				if a.Data != nil {
					got[i] = a
				}
			}
			break
		}
	}
	if belief == "random" {
		for i := range got {
			got[i] = got[i].Clone()
			for k := range got[i].Data {
				got[i].Data[k] = float64((int(seed)+i*7+k*13)%997-498) / 100
			}
		}
	}
	a := gradjudge.Answer{Fields: map[string]json.RawMessage{}}
	for i, q := range in.Exercise.Quantities {
		a.Fields[q.ID], _ = json.Marshal(got[i].Nested())
	}
	sub, _, err := s.db.CreateSubmission(s.t.Context(), gradjudge.Submission{UserID: user, CourseID: s.course, ExerciseID: ex,
		Kind: gradjudge.KindNumeric, Seed: seed, Answer: a})
	if err != nil || sub.Verdict == nil {
		s.t.Fatalf("submit %s: %+v, %v", ex, sub, err)
	}
	return *sub.Verdict
}
