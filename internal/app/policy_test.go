package app

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/internal/policy"
	"gradjudge/store"
)

// rightOrWrong accepts the numeric answer x = "right" and rejects every other.
type rightOrWrong struct{}

func (rightOrWrong) Grade(_ context.Context, _ string, _ uint64, a gradjudge.Answer) (gradjudge.Verdict, error) {
	if string(a.Fields["x"]) == `"right"` {
		return gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}, nil
	}
	return gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer}, nil
}

// policyFixture is a fixture whose App reads policies from its store, with workers judging.
func policyFixture(t *testing.T, cfg store.Config) *fixture {
	t.Helper()
	f := newFixtureStore(t, cfg, func(d *Deps) { d.Policies = d.Submissions.(*store.DB) })
	w, err := f.db.StartWorkers(t.Context(), store.WorkerConfig{Judge: rightOrWrong{}, FetchPollInterval: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Stop(context.Background()) })
	return f
}

func answerX(x string) gradjudge.Answer {
	return gradjudge.Answer{Fields: map[string]json.RawMessage{"x": json.RawMessage(`"` + x + `"`)}}
}

// submitJudged submits x and waits for its verdict.
func (f *fixture) submitJudged(t *testing.T, v Visit, x, key string) gradjudge.Submission {
	t.Helper()
	s, err := f.app.Submit(t.Context(), v, SubmitRequest{ExerciseID: "num", Answer: answerX(x), IdempotencyKey: key, Wait: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != gradjudge.SubmissionDone {
		t.Fatalf("submission %d still %s", s.ID, s.Status)
	}
	return s
}

// TestFreshVariantAfterWrongAttempts: the second wrong attempt moves the student to a new
// variant, which the exercise shows and the next answer is judged on; a retry of that second
// attempt with its idempotency key replays it instead of conflicting with the new seed.
func TestFreshVariantAfterWrongAttempts(t *testing.T) {
	forEachDB(t, func(t *testing.T, cfg store.Config) {
		f := policyFixture(t, cfg)
		ctx := t.Context()
		if err := f.db.SetExercisePolicy(ctx, f.course.ID, "num", policy.Policy{FreshVariantAfter: 2, MaxAttempts: 4, HintsAfter: 1}); err != nil {
			t.Fatal(err)
		}
		alice := f.visit(t, f.alice)
		base := gradjudge.VariantSeed(f.course.ID, f.alice.ID, "num")
		first := f.submitJudged(t, alice, "wrong", "")
		st, err := f.app.Standing(ctx, alice, "num")
		if err != nil || first.Seed != base || st.Seed != base || st.State.Hint != policy.HintMisconception || st.State.Next != 2 {
			t.Fatalf("after one wrong attempt: seed %d, standing %+v, %v; want the first variant, a hint, attempt 2 next", first.Seed, st, err)
		}
		second := f.submitJudged(t, alice, "wrong", "try-2")
		v, err := f.app.Variant(ctx, alice, "num")
		if err != nil || v.Seed == base || v.Seed != policy.VariantSeed(base, 1) {
			t.Fatalf("after two wrong attempts: variant seed %d, %v; want round 1's", v.Seed, err)
		}
		retry, err := f.app.Submit(ctx, alice, SubmitRequest{ExerciseID: "num", Answer: answerX("wrong"), IdempotencyKey: "try-2"})
		if err != nil || retry.ID != second.ID {
			t.Errorf("the retry of the second attempt: submission %d, %v; want %d replayed", retry.ID, err, second.ID)
		}
		third := f.submitJudged(t, alice, "right", "")
		if third.Seed != v.Seed {
			t.Errorf("the third attempt was judged on seed %d, want the fresh variant's %d", third.Seed, v.Seed)
		}
		if st, _ := f.app.Standing(ctx, alice, "num"); st.State.Grade.Score != 1 || st.State.Grade.Attempt != 3 {
			t.Errorf("grade %+v, want 1 from attempt 3", st.State.Grade)
		}
		bob := f.visit(t, f.bob)
		if st, _ := f.app.Standing(ctx, bob, "num"); st.Seed != gradjudge.VariantSeed(f.course.ID, f.bob.ID, "num") {
			t.Error("bob's variant moved with alice's attempts")
		}
	})
}

// TestPolicyDatesAndExtension: nothing is taken before the exercise opens; after the due date
// the page says answers no longer count, except for the student with an extension.
func TestPolicyDatesAndExtension(t *testing.T) {
	forEachDB(t, func(t *testing.T, cfg store.Config) {
		f := policyFixture(t, cfg)
		ctx := t.Context()
		now := f.clock.t
		p := policy.Policy{Opens: now.Add(time.Hour), Due: now.Add(48 * time.Hour)}
		if err := f.db.SetExercisePolicy(ctx, f.course.ID, "num", p); err != nil {
			t.Fatal(err)
		}
		alice, bob := f.visit(t, f.alice), f.visit(t, f.bob)
		_, err := f.app.Submit(ctx, alice, SubmitRequest{ExerciseID: "num", Answer: answerX("right")})
		wantCode(t, "before the opening", err, gradjudge.EFORBIDDEN)

		if err := f.db.SetExtension(ctx, f.course.ID, "num", f.alice.ID, now.Add(96*time.Hour), f.inst.ID); err != nil {
			t.Fatal(err)
		}
		f.clock.t = now.Add(48*time.Hour + time.Second) // one second after the due date
		for _, tc := range []struct {
			name string
			v    Visit
			why  policy.NoCredit
		}{{"alice, extended", alice, ""}, {"bob", bob, policy.AfterDue}} {
			st, err := f.app.Standing(ctx, tc.v, "num")
			if err != nil || st.State.Why != tc.why || len(st.Rules) == 0 {
				t.Errorf("%s: standing %+v, %v; want why %q", tc.name, st.State, err, tc.why)
			}
		}
		s := f.submitJudged(t, bob, "right", "")
		if st, _ := f.app.Standing(ctx, bob, "num"); st.State.Grade.Score != 0 || s.Verdict.Status != gradjudge.StatusAccepted {
			t.Errorf("bob's late right answer: verdict %s, grade %+v; want accepted and no credit", s.Verdict.Status, st.State.Grade)
		}
		f.submitJudged(t, alice, "right", "")
		if st, _ := f.app.Standing(ctx, alice, "num"); st.State.Grade.Score != 1 {
			t.Errorf("alice's right answer one second after the course's due date, within her extension: grade %+v, want 1", st.State.Grade)
		}
		if g, err := f.app.Gradebook(ctx, f.visit(t, f.inst)); err != nil || g.Grades["num"].ByUser[f.alice.ID] != 1 || g.Grades["num"].ByUser[f.bob.ID] != 0 {
			t.Errorf("gradebook %+v, %v; want alice 1 (extended), bob 0 (one second late)", g.Grades["num"], err)
		}
	})
}

// TestNoPolicies: without Deps.Policies every exercise has the zero policy and the first variant.
func TestNoPolicies(t *testing.T) {
	f := newFixture(t, nil)
	st, err := f.app.Standing(t.Context(), f.visit(t, f.alice), "num")
	if err != nil || st.Policy != (policy.Policy{}) || st.Seed != gradjudge.VariantSeed(f.course.ID, f.alice.ID, "num") || st.State.Next != 1 {
		t.Errorf("standing %+v, %v", st, err)
	}
}

// TestGradebookFollowsPolicy: the gradebook grades each exercise by its policy and says the rule;
// a student's extension counts; the progress pages and the dashboard show the same grades.
func TestGradebookFollowsPolicy(t *testing.T) {
	forEachDB(t, func(t *testing.T, cfg store.Config) {
		f := policyFixture(t, cfg)
		ctx := t.Context()
		now := f.clock.t
		p := policy.Policy{Due: now.Add(time.Hour), Grade: policy.GradePenalisedBest, PenaltyPerWrong: 0.1}
		if err := f.db.SetExercisePolicy(ctx, f.course.ID, "num", p); err != nil {
			t.Fatal(err)
		}
		if err := f.db.SetExtension(ctx, f.course.ID, "num", f.bob.ID, now.Add(3*time.Hour), f.inst.ID); err != nil {
			t.Fatal(err)
		}
		alice, bob := f.visit(t, f.alice), f.visit(t, f.bob)
		f.submitJudged(t, alice, "wrong", "")
		f.submitJudged(t, alice, "right", "")
		f.clock.t = now.Add(2 * time.Hour) // after the due date; bob's is later
		f.submitJudged(t, bob, "right", "")
		f.submitJudged(t, alice, "right", "")
		g, err := f.app.Gradebook(ctx, f.visit(t, f.inst))
		if err != nil {
			t.Fatal(err)
		}
		num := g.Grades["num"]
		if num.Rule != "best attempt, −10% per earlier wrong attempt; nothing after the due date" ||
			num.ByUser[f.alice.ID] != 0.9 || num.ByUser[f.bob.ID] != 1 {
			t.Errorf("grades of num %+v: want alice 0.9 (one wrong before), bob 1 (extended)", num)
		}
		if _, ok := g.Grades["pick"]; !ok || g.Grades["pick"].Rule != "best attempt" {
			t.Errorf("an exercise without a policy: %+v", g.Grades["pick"])
		}
		// The progress pages, the dashboard and the gradebook's rows show the same grades.
		for _, p := range g.Students {
			if got, want := p.Exercises[0].Grade, num.ByUser[p.UserID]; got != want {
				t.Errorf("gradebook row of user %d: grade %v, want %v", p.UserID, got, want)
			}
		}
		if p, err := f.app.Progress(ctx, alice, f.alice.ID); err != nil || p.Exercises[0].Grade != 0.9 || p.Exercises[0].BestScore != 1 ||
			p.Concepts[0].MeanGrade != 0.45 {
			t.Errorf("alice's progress %+v, %v; want the grade 0.9 beside the best score 1, the concept's mean grade 0.45", p, err)
		}
		st, err := f.app.Stats(ctx, f.visit(t, f.inst))
		if err != nil || st.Exercises[0].MeanGrade != 0.95 || st.Exercises[1].MeanGrade != 0 {
			t.Errorf("dashboard %+v, %v; want num's mean grade 0.95 (alice 0.9, bob 1)", st.Exercises, err)
		}
	})
}

// TestPolicyAdmin: the staff read a policy, only instructors change it, and an extension needs a
// due date to extend and a student to extend it for.
func TestPolicyAdmin(t *testing.T) {
	forEachDB(t, func(t *testing.T, cfg store.Config) {
		f := policyFixture(t, cfg)
		ctx := t.Context()
		inst, alice := f.visit(t, f.inst), f.visit(t, f.alice)
		due := f.clock.t.Add(24 * time.Hour)
		wantCode(t, "a student sets a policy", f.app.SetExercisePolicy(ctx, alice, "num", policy.Policy{}), gradjudge.EFORBIDDEN)
		wantCode(t, "a bad policy", f.app.SetExercisePolicy(ctx, inst, "num", policy.Policy{MaxAttempts: -1}), gradjudge.EINVALID)
		wantCode(t, "an exercise the course lacks", f.app.SetExercisePolicy(ctx, inst, "nope", policy.Policy{}), gradjudge.ENOTFOUND)
		wantCode(t, "an extension without a due date", f.app.SetExtension(ctx, inst, "num", f.alice.ID, due), gradjudge.EINVALID)
		if err := f.app.SetExercisePolicy(ctx, inst, "num", policy.Policy{Due: due, MaxAttempts: 3}); err != nil {
			t.Fatal(err)
		}
		if p, err := f.app.ExercisePolicy(ctx, inst, "num"); err != nil || p.MaxAttempts != 3 || !p.Due.Equal(due) {
			t.Errorf("policy %+v, %v", p, err)
		}
		_, err := f.app.ExercisePolicy(ctx, alice, "num")
		wantCode(t, "a student reads the policy", err, gradjudge.EFORBIDDEN)
		if all, err := f.app.CoursePolicies(ctx, inst); err != nil || all["num"].MaxAttempts != 3 {
			t.Errorf("the course's policies %+v, %v", all, err)
		}
		_, err = f.app.CoursePolicies(ctx, alice)
		wantCode(t, "a student reads the course's policies", err, gradjudge.EFORBIDDEN)
		wantCode(t, "an extension before the due date", f.app.SetExtension(ctx, inst, "num", f.alice.ID, due.Add(-time.Hour)), gradjudge.EINVALID)
		wantCode(t, "an extension past year 9999", f.app.SetExtension(ctx, inst, "num", f.alice.ID, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)), gradjudge.EINVALID)
		if exts, err := f.app.Extensions(ctx, inst, "num"); err != nil || len(exts) != 0 {
			t.Errorf("extensions after refusals: %+v, %v; want none stored", exts, err)
		}
		wantCode(t, "a due date past year 9999", f.app.SetExercisePolicy(ctx, inst, "num", policy.Policy{Due: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}), gradjudge.EINVALID)
		wantCode(t, "an extension for a non-student", f.app.SetExtension(ctx, inst, "num", f.eve.ID, due.Add(time.Hour)), gradjudge.ENOTFOUND)
		if err := f.app.SetExtension(ctx, inst, "num", f.alice.ID, due.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.app.Standing(ctx, alice, "num"); !st.Policy.Due.Equal(due.Add(time.Hour)) {
			t.Errorf("alice's due date %v, want the extension", st.Policy.Due)
		}
		if exts, err := f.app.Extensions(ctx, inst, "num"); err != nil || len(exts) != 1 || exts[0].UserID != f.alice.ID || !exts[0].Due.Equal(due.Add(time.Hour)) {
			t.Errorf("extensions %+v, %v; want alice's alone", exts, err)
		}
		_, err = f.app.Extensions(ctx, alice, "num")
		wantCode(t, "a student lists the extensions", err, gradjudge.EFORBIDDEN)
		if err := f.app.DeleteExtension(ctx, inst, "num", f.alice.ID); err != nil {
			t.Fatal(err)
		}
		if exts, err := f.app.Extensions(ctx, inst, "num"); err != nil || len(exts) != 0 {
			t.Errorf("extensions after the removal: %+v, %v", exts, err)
		}
		if st, _ := f.app.Standing(ctx, alice, "num"); !st.Policy.Due.Equal(due) {
			t.Errorf("alice's due date %v after the extension's removal, want the course's", st.Policy.Due)
		}
		noPolicies := newFixture(t, nil)
		wantCode(t, "no policies configured", noPolicies.app.SetExercisePolicy(ctx, noPolicies.visit(t, noPolicies.inst), "num", policy.Policy{}), gradjudge.EINTERNAL)
	})
}

// TestAuthorPreview: only instructors and admins preview the catalog with its answers, and a
// catalog that cannot show answers says so.
func TestAuthorPreview(t *testing.T) {
	f := newFixture(t, nil)
	_, err := f.app.AuthorPreview(f.alice, "num", 1)
	wantCode(t, "a student previews", err, gradjudge.EFORBIDDEN)
	_, err = f.app.AuthorPreview(f.inst, "num", 1)
	wantCode(t, "a catalog without answers", err, gradjudge.EINTERNAL)
}
