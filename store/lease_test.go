package store

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/migrations"
)

// TestTakeBack leaves judging jobs running under workers that stopped beating, under a live one
// and under one that never registered, then sweeps once: each job of a stopped worker ends the
// way its submission needs, the others are left alone, and the sweep is logged at WARN.
func TestTakeBack(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		now := time.Now().UTC()
		registerWorker(t, db, "dead", now.Add(-time.Minute))
		registerWorker(t, db, "live", now)
		cases := []struct {
			name, x, worker string
			attempt         int
			judged          bool // a verdict was committed before the worker died
			wantState       string
		}{
			{"verdict committed", "1", "dead", 1, true, "completed"},
			{"attempts left", "2", "dead", 2, false, "available"},
			{"last attempt", "3", "dead", judgeMaxAttempts, false, "completed"},
			{"live worker", "4", "live", 1, false, "running"},
			{"never registered", "5", "ghost", 1, false, "running"},
		}
		subs := make([]gradjudge.Submission, len(cases))
		for i, c := range cases {
			subs[i] = mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric(c.x))
			if c.judged {
				if _, err := db.recordVerdict(t.Context(), subs[i], gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}); err != nil {
					t.Fatal(err)
				}
			}
			setRunning(t, db, jobOf(t, db, subs[i].ID), c.attempt, c.worker)
		}
		var logs bytes.Buffer
		n, err := db.takeBack(t.Context(), now.Add(-10*time.Second), slog.New(slog.NewJSONHandler(&logs, nil)))
		if err != nil || n != 3 {
			t.Fatalf("takeBack: %d jobs, %v; want 3", n, err)
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := jobState(t, db, subs[i].ID); got != c.wantState {
					t.Errorf("job state %q, want %q", got, c.wantState)
				}
			})
		}
		checkTakeBackLog(t, logs.String())
		checkQuarantined(t, db, f, subs[2].ID)
		j := newFakeJudge()
		w := testWorkers(t, db, j, false)
		waitDone(t, db, subs[1].ID)
		waitJobsCompleted(t, db, w, 2) // the live and the ghost worker's jobs stay running
		for x, want := range map[string]int{"1": 0, "2": 1, "3": 0} {
			if got := j.callsFor(x); got != want {
				t.Errorf("judge called %d times for %q, want %d", got, x, want)
			}
		}
	})
}

// checkQuarantined checks the final verdict of submission id, whose workers all died: an
// internal_error that the student can read, no attempt used, counted as crashed.
func checkQuarantined(t *testing.T, db *DB, f fixture, id int64) {
	t.Helper()
	s, err := db.Submission(t.Context(), id)
	if err != nil || s.Status != gradjudge.SubmissionDone || s.Verdict.Status != gradjudge.StatusInternalError ||
		len(s.Verdict.Feedback) != 1 || s.Verdict.Feedback[0] != GaveUpFeedback {
		t.Errorf("quarantined submission %+v, %v; want done with the final internal_error verdict", s, err)
	}
	counts, err := db.JudgeFailures(t.Context())
	if err != nil || counts[failureCrashed] != 1 || counts[failureFailed] != 0 {
		t.Errorf("JudgeFailures %v, %v; want 1 crashed, 0 failed", counts, err)
	}
	p, err := db.testProgress(t.Context(), f.course.ID, f.ann.ID)
	if err != nil || p.Exercises[0].Attempts != 1 { // the committed verdict only
		t.Errorf("progress %+v, %v; want 1 attempt", p.Exercises, err)
	}
}

// checkTakeBackLog checks the WARN line that tells an operator a worker died.
func checkTakeBackLog(t *testing.T, logs string) {
	t.Helper()
	var line struct {
		Level, Msg string
		Count      int
		Workers    []string
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(logs)), &line); err != nil {
		t.Fatalf("log %q: %v", logs, err)
	}
	if line.Level != "WARN" || line.Count != 3 || len(line.Workers) != 1 || line.Workers[0] != "dead" {
		t.Errorf("log %+v; want WARN, count 3, workers [dead]", line)
	}
}

// TestLeaseBeats checks that workers register, renew their heartbeat by their clock, register
// again when their row was forgotten, and leave the registry when stopped.
func TestLeaseBeats(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		w, err := db.StartWorkers(t.Context(), WorkerConfig{Judge: newFakeJudge(), Heartbeat: time.Hour,
			Now: func() time.Time { return clock }})
		if err != nil {
			t.Fatal(err)
		}
		for _, forget := range []bool{false, true} {
			if forget {
				db.gorm.Delete(&workerRow{ID: w.ID})
			}
			clock = clock.Add(time.Second)
			w.lease.tick()
			var row workerRow
			if err := db.gorm.First(&row, "id = ?", w.ID).Error; err != nil || !row.HeartbeatAt.Equal(clock) {
				t.Errorf("forgotten %v: worker row %+v, %v; want heartbeat %v", forget, row, err, clock)
			}
		}
		if _, err := w.Stop(t.Context()); err != nil {
			t.Fatal(err)
		}
		var n int64
		if db.gorm.Model(&workerRow{}).Count(&n); n != 0 {
			t.Errorf("%d workers registered after Stop, want 0", n)
		}
	})
}

func registerWorker(t *testing.T, db *DB, id string, beat time.Time) {
	t.Helper()
	if err := db.gorm.Create(&workerRow{ID: id, Host: "test", StartedAt: beat, HeartbeatAt: beat}).Error; err != nil {
		t.Fatal(err)
	}
}

// setRunning makes job id look fetched by worker for its attempt-th time.
func setRunning(t *testing.T, db *DB, id int64, attempt int, worker string) {
	t.Helper()
	by := "ARRAY[?]"
	if db.dialect == migrations.SQLite {
		by = "jsonb_array(?)"
	}
	err := db.gorm.Exec("UPDATE river_job SET state = 'running', attempt = ?, attempted_by = "+by+" WHERE id = ?", attempt, worker, id).Error
	if err != nil {
		t.Fatal(err)
	}
}

func jobState(t *testing.T, db *DB, submissionID int64) string {
	t.Helper()
	var state string
	if err := db.SQL().QueryRow("SELECT state FROM river_job WHERE id = " + itoa(jobOf(t, db, submissionID))).Scan(&state); err != nil {
		t.Fatal(err)
	}
	return state
}
