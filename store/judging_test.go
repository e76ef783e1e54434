package store

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"gradjudge"
)

// TestWorkersJudge runs the queue end to end: submissions go in, workers judge each once, and
// verdicts, misconception events and progress come out.
func TestWorkersJudge(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		j := newFakeJudge()
		testWorkers(t, db, j, false)
		for _, c := range []struct {
			user     gradjudge.User
			exercise string
			x        string
			status   gradjudge.Status
			tags     int
		}{
			{f.ann, "e1", "2", gradjudge.StatusWrongAnswer, 1},
			{f.ann, "e1", "1", gradjudge.StatusAccepted, 0},
			{f.ann, "e2", "0.5", gradjudge.StatusPartial, 0},
			{f.ann, "e2", "?", gradjudge.StatusInvalid, 0},
			{f.bob, "e1", "3", gradjudge.StatusWrongAnswer, 2},
			{f.bob, "e2", "panic", gradjudge.StatusInternalError, 0},
			{f.bob, "e2", "err", gradjudge.StatusInternalError, 0},
		} {
			t.Run(c.user.Email+"/"+c.exercise+"/"+c.x, func(t *testing.T) {
				s := mustSubmit(t, db, c.user.ID, f.course.ID, c.exercise, numeric(c.x))
				s = waitDone(t, db, s.ID)
				if s.Verdict.Status != c.status || len(s.Verdict.Misconceptions) < c.tags || s.JudgedAt == nil {
					t.Errorf("verdict %+v", s.Verdict)
				}
			})
		}
		for x, want := range map[string]int{"2": 1, "1": 1, "?": 1, "panic": judgeMaxAttempts, "err": judgeMaxAttempts} {
			if got := j.callsFor(x); got != want {
				t.Errorf("judge called %d times for %q, want %d", got, x, want)
			}
		}
		p, err := db.testProgress(t.Context(), f.course.ID, f.ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		e1, e2 := p.Exercises[0], p.Exercises[1]
		if e1.Attempts != 2 || e1.BestScore != 1 || !e1.Solved() || e2.Attempts != 1 || e2.BestScore != 0.5 || e2.Solved() {
			t.Errorf("ann's progress %+v", p.Exercises)
		}
		if counts, err := db.JudgeFailures(t.Context()); err != nil || counts[failureFailed] != 2 || counts[failureCrashed] != 0 {
			t.Errorf("JudgeFailures %v, %v; want 2 failed (panic, err), 0 crashed", counts, err)
		}
		bob, err := db.testProgress(t.Context(), f.course.ID, f.bob.ID)
		if err != nil || len(bob.Misconceptions) != 2 {
			t.Errorf("bob's misconceptions %+v, %v; want chain-rule-add and relu-gate-ignored once each", bob.Misconceptions, err)
		}
	})
}

// TestRecordVerdictOnce records verdicts for one submission many times at once: one wins, and
// progress and events count it once.
func TestRecordVerdictOnce(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		s := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("2"))
		v := gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Misconceptions: []string{"chain-rule-add"}}
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 8 {
			wg.Go(func() {
				ok, err := db.recordVerdict(t.Context(), s, v)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if wins != 1 {
			t.Errorf("%d verdicts recorded, want 1", wins)
		}
		p, err := db.testProgress(t.Context(), f.course.ID, f.ann.ID)
		if err != nil || p.Exercises[0].Attempts != 1 || len(p.Misconceptions) != 1 {
			t.Errorf("progress %+v, %v; want one attempt and one event", p, err)
		}
	})
}

// TestRestartJudgesEverything simulates a crash: submissions left queued, one left judging by a
// worker that died mid-job, and one whose verdict was committed before its job was marked
// complete. After a restart each is judged, and none twice, and the restart says at WARN that it
// took back a job a crash left running.
func TestRestartJudgesEverything(t *testing.T) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			cfg := Config{}
			if name == "sqlite" {
				cfg = withSQLite(t, cfg)
			} else {
				cfg = withPostgres(t, cfg)
			}
			cfg.Now = new(testClock).Now
			before := openTestDB(t, cfg)
			f := newFixture(t, before)
			queued := mustSubmit(t, before, f.ann.ID, f.course.ID, "e1", numeric("1"))
			interrupted := mustSubmit(t, before, f.ann.ID, f.course.ID, "e1", numeric("2"))
			recorded := mustSubmit(t, before, f.bob.ID, f.course.ID, "e1", numeric("0.5"))
			if _, err := before.startJudging(t.Context(), interrupted.ID); err != nil {
				t.Fatal(err)
			}
			// The dead worker had fetched the job: River marks it running and counts the attempt.
			if err := before.gorm.Exec("UPDATE river_job SET state = 'running', attempt = 1 WHERE id = ?", jobOf(t, before, interrupted.ID)).Error; err != nil {
				t.Fatal(err)
			}
			if _, err := before.recordVerdict(t.Context(), recorded, gradjudge.Verdict{Status: gradjudge.StatusPartial, Score: 0.5}); err != nil {
				t.Fatal(err)
			}
			before.Close() // the crash

			var logs syncLog
			cfg.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
			after := openTestDB(t, cfg)
			j := newFakeJudge()
			w := testWorkers(t, after, j, true)
			for _, id := range []int64{queued.ID, interrupted.ID, recorded.ID} {
				waitDone(t, after, id)
			}
			waitJobsCompleted(t, after, w, 0)
			if got := logs.String(); !strings.Contains(got, `"level":"WARN","msg":"took back the judging jobs of stopped workers","count":1`) {
				t.Errorf("the restart logged no WARN with the count of jobs taken back:\n%s", got)
			}
			for x, want := range map[string]int{"1": 1, "2": 1, "0.5": 0} {
				if got := j.callsFor(x); got != want {
					t.Errorf("judge called %d times for %q, want %d", got, x, want)
				}
			}
			var verdicts int
			if err := after.SQL().QueryRow("SELECT count(*) FROM verdicts").Scan(&verdicts); err != nil || verdicts != 3 {
				t.Errorf("%d verdicts (%v), want 3", verdicts, err)
			}
			p, err := after.testProgress(t.Context(), f.course.ID, f.ann.ID)
			if err != nil || p.Exercises[0].Attempts != 2 {
				t.Errorf("ann's progress %+v, %v; want 2 attempts", p.Exercises, err)
			}
		})
	}
}

// TestStopDrains stops the workers while a judging is in flight: Stop waits for it, and its
// verdict is recorded.
func TestStopDrains(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		j := newFakeJudge()
		w := testWorkers(t, db, j, false)
		s := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("block"))
		<-j.started
		stopped := make(chan error)
		go func() {
			requeued, err := w.Stop(context.Background())
			if len(requeued) > 0 {
				err = fmt.Errorf("requeued %v", requeued)
			}
			stopped <- err
		}()
		select {
		case err := <-stopped:
			t.Fatalf("Stop returned (%v) with a judging in flight", err)
		case <-time.After(50 * time.Millisecond): // a bounded look, not a wait for an event
		}
		close(j.release)
		if err := <-stopped; err != nil {
			t.Fatal(err)
		}
		got, err := db.Submission(t.Context(), s.ID)
		if err != nil || got.Status != gradjudge.SubmissionDone || got.Verdict.Status != gradjudge.StatusAccepted {
			t.Errorf("after Stop: %+v, %v; want judged", got, err)
		}
	})
}

// TestStopDeadline stops with a deadline that has passed: the judging is cancelled, its job goes
// back to the queue, and the next workers judge it.
func TestStopDeadline(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		j := newFakeJudge()
		w := testWorkers(t, db, j, false)
		s := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("block"))
		<-j.started
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if requeued, err := w.Stop(ctx); err != nil || !slices.Equal(requeued, []int64{s.ID}) {
			t.Errorf("Stop with an ended context: requeued %v, %v; want [%d], no error", requeued, err, s.ID)
		}
		// Queued or judging (the judging mark is written asynchronously on SQLite), never done.
		got, err := db.Submission(t.Context(), s.ID)
		if err != nil || got.Status == gradjudge.SubmissionDone {
			t.Fatalf("after a hard stop: %s, %v; want not done", got.Status, err)
		}
		close(j.release)
		testWorkers(t, db, j, false)
		if got := waitDone(t, db, s.ID); got.Verdict.Status != gradjudge.StatusAccepted {
			t.Errorf("verdict %+v", got.Verdict)
		}
		if n := j.callsFor("block"); n != 2 {
			t.Errorf("judge called %d times, want 2 (cancelled, then judged)", n)
		}
	})
}

func jobOf(t *testing.T, db *DB, submissionID int64) int64 {
	t.Helper()
	var id int64
	err := db.SQL().QueryRow("SELECT id FROM river_job WHERE CAST(args->>'submission_id' AS BIGINT) = " + itoa(submissionID)).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// waitJobsCompleted waits, bounded, until every job but left is completed. River completes jobs
// in the background after the verdict is recorded; its completion events, subscribed to before
// the first look at the table, wake each new look.
func waitJobsCompleted(t *testing.T, db *DB, w *Workers, left int) {
	t.Helper()
	events, unsubscribe := w.subscribe(river.EventKindJobCompleted)
	defer unsubscribe()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for {
		var open int
		if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM river_job WHERE state <> 'completed'").Scan(&open); err != nil {
			t.Fatal(err)
		}
		if open == left {
			return
		}
		select {
		case <-events:
		case <-ctx.Done():
			t.Fatalf("%d jobs not completed after 30 s", open)
		}
	}
}

// syncLog is a log buffer safe for concurrent writers.
type syncLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }

func (l *syncLog) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }
