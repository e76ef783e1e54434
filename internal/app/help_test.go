package app

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/exercises"
	"gradjudge/internal/policy"
	"gradjudge/judge"
	"gradjudge/store"
)

// TestHelpInSteps: after each wrong attempt the hints go one step further (the misconception, the
// first wrong answer, the local derivatives there), each step shown is recorded for the learner
// model (the staff's help is not), and after the due date the answers show.
func TestHelpInSteps(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	forEachDB(t, func(t *testing.T, cfg store.Config) {
		f := newFixtureStore(t, cfg, func(d *Deps) {
			d.Catalog, d.Policies, d.Hints = cat, d.Submissions.(*store.DB), d.Submissions.(*store.DB)
		})
		j, err := judge.New(cat, nil)
		if err != nil {
			t.Fatal(err)
		}
		w, err := f.db.StartWorkers(t.Context(), store.WorkerConfig{Judge: j, FetchPollInterval: 5 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { w.Stop(context.Background()) })
		ctx := t.Context()
		const ex = "fan-out"
		due := f.clock.t.Add(time.Hour)
		if err := f.db.SetExercisePolicy(ctx, f.course.ID, ex, policy.Policy{Due: due, HintsAfter: 1, RevealAfterDue: true}); err != nil {
			t.Fatal(err)
		}
		alice := f.visit(t, f.alice)
		in, err := cat.Instance(ex, gradjudge.VariantSeed(f.course.ID, f.alice.ID, ex))
		if err != nil {
			t.Fatal(err)
		}
		wrong := fanoutWrong(t, in)
		for step, want := range []string{"", "A node used twice", "The first answer that goes wrong is ∂L/∂u", "∂L/∂u = ∂L/∂p · ∂p/∂u + ∂L/∂q · ∂q/∂u"} {
			// Reading the answers is not asking for help: no hint step is recorded by it.
			ans, err := f.app.Answers(ctx, alice, ex)
			if uses, _ := f.db.HintUses(ctx, f.course.ID); err != nil || ans != nil || len(uses) != max(step-1, 0) {
				t.Errorf("after %d wrong attempts, reading the answers: %v, %v, hint steps recorded %d; want none shown, %d recorded", step, ans, err, len(uses), max(step-1, 0))
			}
			h, err := f.app.Help(ctx, alice, ex)
			text := strings.Join(h.Hints, "\n")
			if err != nil || (want == "") != (len(h.Hints) == 0) || !strings.Contains(text, want) || h.Answers != nil {
				t.Errorf("after %d wrong attempts: hints %q, answers %v, %v; want %q", step, h.Hints, h.Answers, err, want)
			}
			if uses, err := f.db.HintUses(ctx, f.course.ID); err != nil || len(uses) != step {
				t.Errorf("after %d wrong attempts: hint steps recorded %+v, %v; want %d", step, uses, err, step)
			}
			s, err := f.app.Submit(ctx, alice, SubmitRequest{ExerciseID: ex, Answer: wrong, Wait: 30 * time.Second})
			if err != nil || s.Verdict == nil || s.Verdict.FirstWrong != "dL_du" {
				t.Fatalf("submit: %+v, %v", s.Verdict, err)
			}
		}
		if _, err := f.app.Help(ctx, f.visit(t, f.inst), ex); err != nil {
			t.Fatal(err)
		}
		if uses, _ := f.db.HintUses(ctx, f.course.ID); len(uses) != 3 || uses[2].UserID != f.alice.ID {
			t.Errorf("after staff asked for help: %+v; want alice's 3 steps only", uses)
		}
		f.clock.t = due.Add(time.Second)
		h, err := f.app.Help(ctx, alice, ex)
		if err != nil || len(h.Answers) != len(in.Exercise.Quantities) || h.Answers[0].Value != exercises.FormatTensor(in.Answers[0]) {
			t.Errorf("after the due date: answers %+v, %v; want the variant's", h.Answers, err)
		}
		ans, err := f.app.Answers(ctx, alice, ex)
		if err != nil || !slices.Equal(ans, h.Answers) {
			t.Errorf("after the due date, Answers gives %+v, %v; want Help's %+v", ans, err, h.Answers)
		}
	})
}

// fanoutWrong is the answer to fan-out of a student who follows only one path out of u: right
// up to ∂L/∂u, which misses the other path.
func fanoutWrong(t *testing.T, in *exercises.Instance) gradjudge.Answer {
	t.Helper()
	for _, p := range in.Predictions() {
		if p.Name != "fanout-not-summed" {
			continue
		}
		fields := map[string]json.RawMessage{}
		for i, q := range in.Exercise.Quantities {
			v := in.Answers[i]
			if p.Answers[i].Data != nil {
				v = p.Answers[i]
			}
			b, _ := json.Marshal(v.Nested())
			fields[q.ID] = b
		}
		return gradjudge.Answer{Fields: fields}
	}
	t.Fatal("no fanout-not-summed prediction")
	return gradjudge.Answer{}
}
