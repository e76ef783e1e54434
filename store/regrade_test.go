package store

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"gradjudge"
	"gradjudge/internal/regrade"
)

// versionJudge grades answer x by a table and stamps its version: the judge before and after an
// exercise is fixed.
type versionJudge struct {
	version string
	table   map[string]gradjudge.Verdict
}

func (j versionJudge) Grade(_ context.Context, _ string, _ uint64, a gradjudge.Answer) (gradjudge.Verdict, error) {
	var x string
	if err := json.Unmarshal(a.Fields["x"], &x); err != nil {
		return gradjudge.Verdict{}, err
	}
	v, ok := j.table[x]
	if !ok {
		return gradjudge.Verdict{}, fmt.Errorf("versionJudge: no verdict for %q", x)
	}
	v.ExerciseVersion = j.version
	return v, nil
}

var (
	wrongV   = gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Misconceptions: []string{"chain-rule-add"}}
	partialV = gradjudge.Verdict{Status: gradjudge.StatusPartial, Score: 0.5}
	rightV   = gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}
	// before the fix, answer "2" was judged wrong; the fixed exercise accepts it.
	judgeV1 = versionJudge{"v1", map[string]gradjudge.Verdict{"2": wrongV, "0.5": partialV, "1": rightV}}
	judgeV2 = versionJudge{"v2", map[string]gradjudge.Verdict{"2": rightV, "0.5": partialV, "1": rightV}}
)

// judged stores and judges answer x of user with judge j.
func judged(t *testing.T, db *DB, j versionJudge, userID, courseID int64, x string) gradjudge.Submission {
	t.Helper()
	s := mustSubmit(t, db, userID, courseID, "e1", numeric(x))
	v, err := j.Grade(t.Context(), "e1", 7, s.Answer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.recordVerdict(t.Context(), s, v); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRegrade(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		annWrong := judged(t, db, judgeV1, f.ann.ID, f.course.ID, "2")
		judged(t, db, judgeV1, f.ann.ID, f.course.ID, "0.5")
		judged(t, db, judgeV1, f.bob.ID, f.course.ID, "1")
		req := regrade.Request{ExerciseID: "e1", CourseID: f.course.ID, Version: "v2"}

		dry := req
		dry.DryRun = true
		run := regradeAll(t, db, judgeV2, dry)
		rep := mustReport(t, db, run.ID)
		if rep.Total != 3 || rep.Changed != 1 || rep.Up != 1 || rep.Moves["wrong_answer → accepted"] != 1 || len(rep.Grades) != 1 {
			t.Errorf("dry run report %+v", rep)
		}
		if s, _ := db.Submission(ctx, annWrong.ID); s.Verdict.Status != gradjudge.StatusWrongAnswer {
			t.Errorf("a dry run changed a verdict to %s", s.Verdict.Status)
		}

		run = regradeAll(t, db, judgeV2, req)
		rep = mustReport(t, db, run.ID)
		if rep.Total != 3 || rep.Done != 3 || rep.Changed != 1 || rep.Up != 1 || rep.Down != 0 {
			t.Errorf("report %+v", rep)
		}
		if len(rep.Grades) != 1 || rep.Grades[0].UserID != f.ann.ID || rep.Grades[0].Before.Score != 0.5 || rep.Grades[0].After.Score != 1 {
			t.Errorf("grade moves %+v: want ann's from 0.5 to 1", rep.Grades)
		}
		s, err := db.Submission(ctx, annWrong.ID)
		if err != nil || s.Verdict.Status != gradjudge.StatusAccepted || s.Verdict.ExerciseVersion != "v2" {
			t.Fatalf("regraded verdict %+v, %v", s.Verdict, err)
		}
		history, err := db.VerdictHistory(ctx, annWrong.ID)
		if err != nil || len(history) != 1 || history[0].Status != gradjudge.StatusWrongAnswer || history[0].ExerciseVersion != "v1" {
			t.Errorf("history %+v, %v; want the old wrong verdict", history, err)
		}
		p, err := db.testProgress(ctx, f.course.ID, f.ann.ID)
		if err != nil || p.Exercises[0].BestScore != 1 || p.Exercises[0].Attempts != 2 || p.Exercises[0].SolvedAt == nil || len(p.Misconceptions) != 0 {
			t.Errorf("ann's progress after the regrade %+v, %v; want solved, best 1, the tag gone", p, err)
		}

		again, err := db.StartRegrade(ctx, req)
		if err != nil || again.Total != 0 || again.ID == run.ID {
			t.Errorf("a second regrade: %+v, %v; want a new run with nothing to do", again, err)
		}
	})
}

// TestRegradeResumes stops a regrade halfway, as a crash would, and resumes it: every submission
// is regraded once, its history has one entry, and the run finishes.
func TestRegradeResumes(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		var subs []gradjudge.Submission
		for range 3 {
			subs = append(subs, judged(t, db, judgeV1, f.ann.ID, f.course.ID, "2"), judged(t, db, judgeV1, f.bob.ID, f.course.ID, "2"))
		}
		req := regrade.Request{ExerciseID: "e1", Version: "v2"}
		run, err := db.StartRegrade(ctx, req)
		if err != nil || run.Total != len(subs) {
			t.Fatalf("start: %+v, %v", run, err)
		}
		// Half the jobs run (one of them twice, as after a crash between commit and completion);
		// then the process dies with the rest queued.
		w := &regradeWorker{db: db, judge: judgeV2}
		for _, s := range append(subs[:3], subs[0]) {
			if err := w.Work(ctx, &river.Job[regradeArgs]{Args: regradeArgs{RegradeID: run.ID, SubmissionID: s.ID}}); err != nil {
				t.Fatal(err)
			}
		}
		if done, total, _ := db.RegradeProgress(ctx, run.ID); done != 3 || total != 6 {
			t.Fatalf("halfway: %d of %d", done, total)
		}
		if ok, _ := db.FinishRegrade(ctx, run.ID); ok {
			t.Fatal("a run with work left finished")
		}

		resumed, err := db.StartRegrade(ctx, req)
		if err != nil || !resumed.Resumed || resumed.ID != run.ID {
			t.Fatalf("restart: %+v, %v; want run %d resumed", resumed, err, run.ID)
		}
		waitJobsCompleted(t, db, testWorkers(t, db, judgeV2, true), 0)
		if ok, err := db.FinishRegrade(ctx, run.ID); !ok || err != nil {
			t.Fatalf("finish: %v, %v", ok, err)
		}
		for _, s := range subs {
			h, err := db.VerdictHistory(ctx, s.ID)
			got, _ := db.Submission(ctx, s.ID)
			if err != nil || len(h) != 1 || got.Verdict.Status != gradjudge.StatusAccepted {
				t.Errorf("submission %d: history %d entries, verdict %s; want 1 and accepted", s.ID, len(h), got.Verdict.Status)
			}
		}
		if rep := mustReport(t, db, run.ID); rep.Changed != 6 || rep.FinishedAt == nil || len(rep.Grades) != 2 {
			t.Errorf("report %+v", rep)
		}
	})
}

// regradeAll starts a regrade run of r and works it to the end with judge j.
func regradeAll(t *testing.T, db *DB, j gradjudge.Judge, r regrade.Request) regrade.Run {
	t.Helper()
	run, err := db.StartRegrade(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	w := testWorkers(t, db, j, false)
	waitJobsCompleted(t, db, w, 0)
	if _, err := w.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.FinishRegrade(t.Context(), run.ID); !ok || err != nil {
		t.Fatalf("finish: %v, %v", ok, err)
	}
	return run
}

func mustReport(t *testing.T, db *DB, id int64) regrade.Report {
	t.Helper()
	rep, err := db.RegradeReport(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestRegradeJobsTakenBack: regrade jobs left running by a dead process go back to the queue at
// the next start, as judging jobs do.
func TestRegradeJobsTakenBack(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		judged(t, db, judgeV1, f.ann.ID, f.course.ID, "2")
		if _, err := db.StartRegrade(ctx, regrade.Request{ExerciseID: "e1", Version: "v2"}); err != nil {
			t.Fatal(err)
		}
		if err := db.gorm.Exec("UPDATE river_job SET state = 'running' WHERE kind = ?", regradeArgs{}.Kind()).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := db.takeBack(ctx, time.Time{}, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
			t.Fatal(err)
		}
		states := queryStrings(t, db, "SELECT CAST(state AS TEXT) FROM river_job WHERE kind = $1", regradeArgs{}.Kind())
		if len(states) != 1 || states[0] != "available" {
			t.Errorf("regrade jobs after the take-back: %v, want one available", states)
		}
	})
}
