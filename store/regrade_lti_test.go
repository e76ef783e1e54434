package store

import (
	"testing"
	"time"

	"github.com/riverqueue/river"

	"gradjudge"
	"gradjudge/internal/policy"
	"gradjudge/internal/regrade"
)

// TestRegradeReachesLMS: a regrade that moves a student's course grade (under the exercise's
// policy) queues the new grade in the LTI outbox once, in the regrade's transaction, even while
// the LMS refuses every send; a regrade that moves no grade, a job run twice and a dry run queue
// nothing. The grades a verdict sends follow the policy too.
func TestRegradeReachesLMS(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		p, _ := db.CreateLTIPlatform(ctx, ltiPlatform("https://lms", "c"))
		ann, _ := db.LTIUser(ctx, "https://lms", "sub-ann", "Ann", "")
		course, err := db.LTICourse(ctx, gradjudge.LTIContext{PlatformID: p.ID, ContextID: "ctx"}, "DL", ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		db.LTIEnroll(ctx, course.ID, ann.ID, gradjudge.CourseStudent)
		if err := db.SaveLTIResourceLink(ctx, gradjudge.LTIResourceLink{PlatformID: p.ID, ResourceLinkID: "rl", CourseID: course.ID,
			ExerciseID: "e1", LineItemURL: "https://lms/li/1"}); err != nil {
			t.Fatal(err)
		}
		pol := policy.Policy{Grade: policy.GradePenalisedBest, PenaltyPerWrong: 0.1}
		if err := db.SetExercisePolicy(ctx, course.ID, "e1", pol); err != nil {
			t.Fatal(err)
		}
		subs := []gradjudge.Submission{judged(t, db, judgeV1, ann.ID, course.ID, "2"), judged(t, db, judgeV1, ann.ID, course.ID, "2"),
			judged(t, db, judgeV1, ann.ID, course.ID, "0.5")}
		scores, _ := db.LTIScores(ctx, course.ID)
		if len(scores) != 3 || scores[0].ScoreGiven != 40 {
			t.Fatalf("outbox after three verdicts %+v; want 3 scores, the last 40 (0.5 less two wrong attempts' 20%%)", scores)
		}
		lmsDown(t, db) // every score so far was sent and refused for now

		dry := regrade.Request{ExerciseID: "e1", CourseID: course.ID, Version: "v2", DryRun: true}
		workRun(t, db, dry, subs)
		if again, _ := db.LTIScores(ctx, course.ID); len(again) != 3 {
			t.Fatalf("a dry run queued scores: %+v", again[0])
		}
		run := workRun(t, db, regrade.Request{ExerciseID: "e1", CourseID: course.ID, Version: "v2"}, append(subs, subs[0]))
		scores, _ = db.LTIScores(ctx, course.ID)
		if len(scores) != 4 {
			t.Fatalf("outbox after the regrade: %d scores, want one more (the first answer's grade change only)", len(scores))
		}
		got := scores[0]
		if got.ScoreGiven != 100 || got.State != gradjudge.LTIScorePending || got.Comment != "Regraded: accepted, score 100%." ||
			got.SubmissionID != subs[0].ID || !got.Timestamp.After(scores[1].Timestamp) {
			t.Errorf("the regraded grade %+v; want 100, pending, from the first submission, timestamped after the last", got)
		}
		if rep := mustReport(t, db, run.ID); len(rep.Grades) != 1 || rep.Grades[0].After.Score != 1 || rep.Grades[0].Before.Score != 0.4 {
			t.Errorf("report's grade moves %+v; want ann's 0.4 → 1", rep.Grades)
		}
		if scores[1].State != gradjudge.LTIScoreSuperseded {
			t.Errorf("the refused score of the last verdict is %s, want superseded by the regraded grade", scores[1].State)
		}
		if sent, _ := db.ClaimLTIScores(ctx, 10, time.Minute); len(sent) != 1 || sent[0].ID != got.ID {
			t.Errorf("claimable after the regrade: %+v; want the regraded grade", sent)
		}
	})
}

// workRun starts the regrade run of r and works the jobs of subs, in that order, as the workers
// would (a submission twice: a job run again after a crash); it returns the run.
func workRun(t *testing.T, db *DB, r regrade.Request, subs []gradjudge.Submission) regrade.Run {
	t.Helper()
	run, err := db.StartRegrade(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	w := &regradeWorker{db: db, judge: judgeV2}
	for _, s := range subs {
		if err := w.Work(t.Context(), &river.Job[regradeArgs]{Args: regradeArgs{RegradeID: run.ID, SubmissionID: s.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	return run
}

// lmsDown claims every pending score and records a refusal to be retried later, as the outbox
// sender does while the LMS is down.
func lmsDown(t *testing.T, db *DB) {
	t.Helper()
	claimed, err := db.ClaimLTIScores(t.Context(), 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range claimed {
		if err := db.FinishLTIScore(t.Context(), s.ID, gradjudge.LTIScorePending, "503 Service Unavailable", time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
}
