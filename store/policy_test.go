package store

import (
	"testing"
	"time"

	"gradjudge"
	"gradjudge/internal/policy"
)

var policyDue = time.Date(2026, 12, 8, 17, 0, 0, 0, time.UTC)

func TestExercisePolicy(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		if p, err := db.ExercisePolicy(ctx, f.course.ID, "e1"); err != nil || p != (policy.Policy{}) {
			t.Fatalf("no policy set: %+v, %v; want the zero Policy", p, err)
		}
		full := policy.Policy{Opens: policyDue.Add(-7 * 24 * time.Hour), Due: policyDue, Late: policy.LatePenalty,
			LatePenaltyPerDay: 0.1, Close: policyDue.Add(72 * time.Hour), MaxAttempts: 5, Grade: policy.GradePenalisedBest,
			PenaltyPerWrong: 0.2, FreshVariantAfter: 3, HintsAfter: 2, RevealAfterDue: true}
		for _, want := range []policy.Policy{full, {MaxAttempts: 2, Grade: policy.GradeBest, Late: policy.LateNoCredit}} {
			if err := db.SetExercisePolicy(ctx, f.course.ID, "e1", want); err != nil {
				t.Fatal(err)
			}
			got, err := db.ExercisePolicy(ctx, f.course.ID, "e1")
			if err != nil || !samePolicy(got, want) {
				t.Errorf("got %+v, %v; want %+v", got, err, want)
			}
		}
		all, err := db.CoursePolicies(ctx, f.course.ID)
		if err != nil || len(all) != 1 || all["e1"].MaxAttempts != 2 {
			t.Errorf("course policies %+v, %v", all, err)
		}
		wantCode(t, db.SetExercisePolicy(ctx, f.course.ID, "e1", policy.Policy{MaxAttempts: -1}), gradjudge.EINVALID)
		wantCode(t, db.SetExercisePolicy(ctx, 9999, "e1", policy.Policy{}), gradjudge.ENOTFOUND)
	})
}

func samePolicy(a, b policy.Policy) bool {
	times := a.Opens.Equal(b.Opens) && a.Due.Equal(b.Due) && a.Close.Equal(b.Close)
	a.Opens, a.Due, a.Close, b.Opens, b.Due, b.Close = time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return times && a == b
}

func TestExtensions(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		if _, ok, err := db.Extension(ctx, f.course.ID, "e1", f.ann.ID); ok || err != nil {
			t.Fatalf("no extension: ok %v, %v", ok, err)
		}
		for _, due := range []time.Time{policyDue.Add(48 * time.Hour), policyDue.Add(24 * time.Hour)} {
			if err := db.SetExtension(ctx, f.course.ID, "e1", f.ann.ID, due, f.teacher.ID); err != nil {
				t.Fatal(err)
			}
			got, ok, err := db.Extension(ctx, f.course.ID, "e1", f.ann.ID)
			if !ok || err != nil || !got.Equal(due) {
				t.Errorf("extension %v, %v, %v; want %v", got, ok, err, due)
			}
		}
		if _, ok, _ := db.Extension(ctx, f.course.ID, "e1", f.bob.ID); ok {
			t.Error("bob has ann's extension")
		}
		if err := db.DeleteExtension(ctx, f.course.ID, "e1", f.ann.ID); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := db.Extension(ctx, f.course.ID, "e1", f.ann.ID); ok {
			t.Error("the extension outlived its deletion")
		}
		wantCode(t, db.SetExtension(ctx, f.course.ID, "e1", 9999, policyDue, f.teacher.ID), gradjudge.ENOTFOUND)
	})
}

// TestAttemptsAndGrade: a student's judged submissions come back in order with their verdicts,
// and the policy grades them; a compile error is no attempt and an unjudged submission not yet one.
func TestAttemptsAndGrade(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		verdicts := []gradjudge.Verdict{
			{Status: gradjudge.StatusWrongAnswer},
			{Status: gradjudge.StatusCompileError},
			{Status: gradjudge.StatusPartial, Score: 0.5},
			{Status: gradjudge.StatusAccepted, Score: 1},
		}
		for _, v := range verdicts {
			s := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric(string(v.Status)))
			if _, err := db.recordVerdict(ctx, s, v); err != nil {
				t.Fatal(err)
			}
		}
		mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("queued")) // not judged
		mustSubmit(t, db, f.bob.ID, f.course.ID, "e1", numeric("bob's"))
		got, err := db.Attempts(ctx, f.course.ID, f.ann.ID, "e1")
		if err != nil || len(got) != len(verdicts) {
			t.Fatalf("attempts %+v, %v; want %d", got, err, len(verdicts))
		}
		for i, a := range got {
			if a.Status != verdicts[i].Status || a.Score != verdicts[i].Score || a.At.IsZero() {
				t.Errorf("attempt %d = %+v, want %s", i, a, verdicts[i].Status)
			}
		}
		p := policy.Policy{Grade: policy.GradePenalisedBest, PenaltyPerWrong: 0.25}
		if g := p.GradeOf(got); g.Score != 0.5 || g.Attempt != 3 {
			t.Errorf("grade %+v: want 0.5 from attempt 3 (two wrong before it)", g)
		}
	})
}

// TestCourseWide reads the attempts of every student on an exercise in one go, as a policy change
// regrades them, and a course's extensions.
func TestCourseWide(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		for _, x := range []struct {
			user int64
			ex   string
			v    gradjudge.Verdict
		}{{f.ann.ID, "e1", gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer}}, {f.ann.ID, "e1", gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}},
			{f.ann.ID, "e2", gradjudge.Verdict{Status: gradjudge.StatusPartial, Score: 0.5}}, {f.bob.ID, "e1", gradjudge.Verdict{Status: gradjudge.StatusCompileError}}} {
			s := mustSubmit(t, db, x.user, f.course.ID, x.ex, numeric(string(x.v.Status)+x.ex))
			if _, err := db.recordVerdict(ctx, s, x.v); err != nil {
				t.Fatal(err)
			}
		}
		all, err := attemptsOf(db.read, f.course.ID, "e1", nil)
		if err != nil || len(all) != 2 || len(all[f.ann.ID]) != 2 || all[f.ann.ID][1].Score != 1 ||
			len(all[f.bob.ID]) != 1 || all[f.bob.ID][0].Status != gradjudge.StatusCompileError {
			t.Errorf("attempts on e1 %+v, %v", all, err)
		}
		some, err := attemptsOf(db.read, f.course.ID, "e2", []int64{f.bob.ID, f.ann.ID})
		if err != nil || len(some) != 1 || len(some[f.ann.ID]) != 1 {
			t.Errorf("attempts on e2: %+v, %v; want ann's one", some, err)
		}
		if err := db.SetExtension(ctx, f.course.ID, "e2", f.bob.ID, policyDue, f.teacher.ID); err != nil {
			t.Fatal(err)
		}
		ext, err := db.CourseExtensions(ctx, f.course.ID)
		if err != nil || len(ext) != 1 || !ext[f.bob.ID]["e2"].Equal(policyDue) {
			t.Errorf("course extensions %+v, %v", ext, err)
		}
	})
}
