package store

import (
	"context"
	"slices"
	"sync"
	"testing"

	"gradjudge"
)

// TestInlineJudging creates submissions with an inline judge: numeric answers come back done
// with their verdict, events and progress, and queue no job; code answers and answers the judge
// fails on go to the queue, where the workers judge them once.
func TestInlineJudging(t *testing.T) {
	j := newFakeJudge()
	forEachDB(t, Config{InlineJudge: j}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		for _, c := range []struct {
			name   string
			x      string
			status gradjudge.Status
			tags   int
		}{
			{"accepted", "1", gradjudge.StatusAccepted, 0},
			{"partial", "0.5", gradjudge.StatusPartial, 0},
			{"tagged twice, recorded once", "3", gradjudge.StatusWrongAnswer, 2},
			{"invalid", "?", gradjudge.StatusInvalid, 0},
		} {
			t.Run(c.name, func(t *testing.T) {
				s := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric(c.x))
				if s.Status != gradjudge.SubmissionDone || s.Verdict == nil || s.Verdict.Status != c.status || s.JudgedAt == nil {
					t.Fatalf("created %s with verdict %+v, want done and %s", s.Status, s.Verdict, c.status)
				}
				got, err := db.Submission(ctx, s.ID)
				if err != nil || got.Status != gradjudge.SubmissionDone || got.Verdict == nil || got.Verdict.Status != c.status ||
					len(got.Verdict.Misconceptions) != len(s.Verdict.Misconceptions) || !got.JudgedAt.Equal(*s.JudgedAt) {
					t.Errorf("stored %+v, %v; returned %+v", got, err, s)
				}
			})
		}
		if jobs := countJobs(t, db); jobs != 0 {
			t.Errorf("%d judging jobs after inline verdicts, want 0", jobs)
		}
		p, err := db.testProgress(ctx, f.course.ID, f.ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		// "?" is invalid: no attempt. "3" has tags chain-rule-add and relu-gate-ignored.
		if e1 := p.Exercises[0]; e1.Attempts != 3 || e1.BestScore != 1 || !e1.Solved() || len(p.Misconceptions) != 2 {
			t.Errorf("progress %+v, misconceptions %+v; want 3 attempts, solved, 2 events", p.Exercises, p.Misconceptions)
		}
		checkQueuedPaths(t, db, f, j)
	})
}

// checkQueuedPaths checks what an inline judge leaves to the queue: code, a judge error, a panic.
func checkQueuedPaths(t *testing.T, db *DB, f fixture, j *fakeJudge) {
	t.Helper()
	code := gradjudge.Answer{Code: "package main"}
	errCalls := j.callsFor("err") // j is shared by the databases' subtests
	queued := []gradjudge.Submission{
		mustSubmit(t, db, f.bob.ID, f.course.ID, "e3", code),
		mustSubmit(t, db, f.bob.ID, f.course.ID, "e1", numeric("err")),
		mustSubmit(t, db, f.bob.ID, f.course.ID, "e1", numeric("panic")),
	}
	for _, s := range queued {
		if s.Status != gradjudge.SubmissionQueued || s.Verdict != nil {
			t.Errorf("submission %d %s with %+v, want queued", s.ID, s.Status, s.Verdict)
		}
	}
	if jobs := countJobs(t, db); jobs != len(queued) {
		t.Errorf("%d judging jobs, want %d", jobs, len(queued))
	}
	testWorkers(t, db, acceptAll{}, false)
	for _, s := range queued {
		if got := waitDone(t, db, s.ID); got.Verdict.Status != gradjudge.StatusAccepted {
			t.Errorf("queued submission %d: verdict %+v, want the workers' accepted", s.ID, got.Verdict)
		}
	}
	if n := j.callsFor("err") - errCalls; n != 1 {
		t.Errorf("the inline judge was called %d times for a failing answer, want 1 (then the queue)", n)
	}
}

// acceptAll is a judge that accepts every answer.
type acceptAll struct{}

func (acceptAll) Grade(context.Context, string, uint64, gradjudge.Answer) (gradjudge.Verdict, error) {
	return gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}, nil
}

// TestInlineJudgingIdempotent sends one idempotency key from many goroutines at once with an
// inline judge: one submission, one verdict, one attempt, and everyone gets the judged submission.
// A retry after that is answered without asking the judge again.
func TestInlineJudgingIdempotent(t *testing.T) {
	j := newFakeJudge()
	forEachDB(t, Config{InlineJudge: j}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		in := gradjudge.Submission{UserID: f.ann.ID, CourseID: f.course.ID, ExerciseID: "e1", Kind: testKind("e1"), Answer: numeric("2"), IdempotencyKey: "retry"}
		const n = 16
		subs := make([]gradjudge.Submission, n)
		created := make([]bool, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				var err error
				if subs[i], created[i], err = db.CreateSubmission(t.Context(), in); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		wins := 0
		for i, s := range subs {
			if s.ID != subs[0].ID || s.Status != gradjudge.SubmissionDone || s.Verdict == nil || s.Verdict.Status != gradjudge.StatusWrongAnswer {
				t.Errorf("goroutine %d got %d %s %+v; want %d done, wrong_answer", i, s.ID, s.Status, s.Verdict, subs[0].ID)
			}
			if created[i] {
				wins++
			}
		}
		calls := j.total.Load()
		again, isNew, err := db.CreateSubmission(t.Context(), in)
		if err != nil || isNew || again.ID != subs[0].ID || again.Verdict == nil || j.total.Load() != calls {
			t.Errorf("a later retry: %d created=%v %v, judge called %d times; want %d, not created, not judged again",
				again.ID, isNew, err, j.total.Load()-calls, subs[0].ID)
		}
		p, err := db.testProgress(t.Context(), f.course.ID, f.ann.ID)
		if err != nil || wins != 1 || p.Exercises[0].Attempts != 1 || len(p.Misconceptions) != 1 || countJobs(t, db) != 0 {
			t.Errorf("%d created, progress %+v, %v; want 1 created, 1 attempt, 1 event, no job", wins, p, err)
		}
	})
}

// TestRoutedByExerciseKind checks that the exercise's kind, never the answer's content, decides
// where a submission is judged: an answer with a part its exercise does not take is refused, an
// answer to a code exercise goes to the code queue whatever it holds, and the inline judge sees
// only numeric and choice exercises. Without a catalog the kind is unknown: the code queue.
func TestRoutedByExerciseKind(t *testing.T) {
	t.Run("inline", func(t *testing.T) {
		forEachDB(t, Config{InlineJudge: newFakeJudge()}, checkInlineRouting)
	})
	t.Run("queue", func(t *testing.T) { forEachDB(t, Config{}, checkQueueRouting) })
}

// checkInlineRouting: stray parts refused, numeric judged inline, code queued for the code workers.
func checkInlineRouting(t *testing.T, db *DB) {
	both := gradjudge.Answer{Fields: numeric("1").Fields, Code: "xx"}
	f := newFixture(t, db)
	for _, c := range []struct {
		name     string
		exercise string
		answer   gradjudge.Answer
	}{
		{"numeric with code", "e1", both},
		{"numeric with choice", "e1", gradjudge.Answer{Fields: numeric("1").Fields, Choice: "a"}},
		{"code with fields", "e3", both},
		{"code without code", "e3", numeric("1")},
	} {
		_, _, err := db.CreateSubmission(t.Context(), gradjudge.Submission{UserID: f.ann.ID, CourseID: f.course.ID, ExerciseID: c.exercise, Kind: testKind(c.exercise), Answer: c.answer})
		if gradjudge.ErrorCode(err) != gradjudge.EINVALID {
			t.Errorf("%s: %v, want EINVALID", c.name, err)
		}
	}
	if s := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("1")); s.Status != gradjudge.SubmissionDone {
		t.Errorf("numeric answer %s, want judged inline", s.Status)
	}
	if s := mustSubmit(t, db, f.ann.ID, f.course.ID, "e3", gradjudge.Answer{Code: "package main"}); s.Status != gradjudge.SubmissionQueued {
		t.Errorf("code answer %s, want queued", s.Status)
	}
	if got, want := jobQueues(t, db), []string{QueueCode}; !slices.Equal(got, want) {
		t.Errorf("job queues %q, want %q", got, want)
	}
}

// checkQueueRouting: without an inline judge, each kind to its queue, an unlisted exercise to code.
func checkQueueRouting(t *testing.T, db *DB) {
	f := newFixture(t, db)
	mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("1"))
	mustSubmit(t, db, f.ann.ID, f.course.ID, "e3", gradjudge.Answer{Code: "package main"})
	mustSubmit(t, db, f.ann.ID, f.course.ID, "unlisted", numeric("1"))
	if got, want := jobQueues(t, db), []string{QueueNumeric, QueueCode, QueueCode}; !slices.Equal(got, want) {
		t.Errorf("job queues %q, want %q", got, want)
	}
}

// jobQueues lists the queue of every judging job, in insertion order.
func jobQueues(t *testing.T, db *DB) []string {
	t.Helper()
	return queryStrings(t, db, "SELECT queue FROM river_job ORDER BY id")
}
