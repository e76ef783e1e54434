package store

import (
	"testing"

	"gradjudge"
	"gradjudge/internal/regrade"
)

// crashed stores answer a of user for exercise on variant seed and gives it up as its workers
// died on every attempt, as takeBack does: the answer is quarantined.
func crashed(t *testing.T, db *DB, userID, courseID int64, exercise string, seed uint64, a gradjudge.Answer) gradjudge.Submission {
	t.Helper()
	s := submitSeed(t, db, userID, courseID, exercise, seed, a)
	if ok, err := db.giveUp(t.Context(), s, failureCrashed, judgeMaxAttempts); !ok || err != nil {
		t.Fatalf("giveUp: %v, %v", ok, err)
	}
	return s
}

func submitSeed(t *testing.T, db *DB, userID, courseID int64, exercise string, seed uint64, a gradjudge.Answer) gradjudge.Submission {
	t.Helper()
	s, _, err := db.CreateSubmission(t.Context(), gradjudge.Submission{UserID: userID, CourseID: courseID, ExerciseID: exercise,
		Kind: testKind(exercise), Seed: seed, Answer: a})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// isRefused says whether s ended with the final quarantined verdict.
func isRefused(s gradjudge.Submission) bool {
	return s.Status == gradjudge.SubmissionDone && s.Verdict != nil && s.Verdict.Status == gradjudge.StatusInternalError &&
		len(s.Verdict.Feedback) == 1 && s.Verdict.Feedback[0] == QuarantinedFeedback
}

// TestQuarantinedAnswerRefused: once an answer crashed the workers on every attempt, the same
// answer sent again is stored done with the final quarantined verdict, queues no job and uses no
// attempt: the same code from anyone on any variant, the same numbers from the same student on
// the same variant. Other answers, and the same numbers on another student's variant, are
// judged as usual. The refusals are counted.
func TestQuarantinedAnswerRefused(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		poison := gradjudge.Answer{Code: "package solution\n\nfunc Backward() { for { _ = make([]byte, 1<<30) } }\n"}
		crashed(t, db, f.ann.ID, f.course.ID, "e3", 7, poison)
		crashed(t, db, f.ann.ID, f.course.ID, "e1", 7, numeric("4"))
		for _, c := range []struct {
			name     string
			user     int64
			exercise string
			seed     uint64
			answer   gradjudge.Answer
			refused  bool
		}{
			{"same code, same student", f.ann.ID, "e3", 7, poison, true},
			{"same code, another student and variant", f.bob.ID, "e3", 8, poison, true},
			{"other code", f.ann.ID, "e3", 7, gradjudge.Answer{Code: poison.Code + "// changed\n"}, false},
			{"same numbers, same variant", f.ann.ID, "e1", 7, numeric("4"), true},
			{"same numbers, another variant", f.bob.ID, "e1", 8, numeric("4"), false},
			{"other numbers", f.ann.ID, "e1", 7, numeric("1"), false},
		} {
			t.Run(c.name, func(t *testing.T) {
				jobs := countJobs(t, db)
				s := submitSeed(t, db, c.user, f.course.ID, c.exercise, c.seed, c.answer)
				if got := isRefused(s); got != c.refused {
					t.Errorf("refused %v, want %v: %+v", got, c.refused, s)
				}
				if queued := countJobs(t, db) - jobs; queued != map[bool]int{true: 0, false: 1}[c.refused] {
					t.Errorf("%d jobs queued", queued)
				}
				if got, err := db.Submission(t.Context(), s.ID); err != nil || isRefused(got) != c.refused {
					t.Errorf("stored %+v, %v", got, err)
				}
			})
		}
		counts, err := db.JudgeFailures(t.Context())
		if err != nil || counts[failureRefused] != 3 || counts[failureCrashed] != 2 {
			t.Errorf("JudgeFailures %v, %v; want 3 refused, 2 crashed", counts, err)
		}
		if p, err := db.testProgress(t.Context(), f.course.ID, f.ann.ID); err != nil || len(p.Exercises) != 0 && p.Exercises[0].Attempts != 0 {
			t.Errorf("progress %+v, %v; want no attempt used", p.Exercises, err)
		}
	})
}

// TestQuarantineInline: an inline-judged answer identical to a quarantined one is stored with the
// quarantined verdict, not the inline grade.
func TestQuarantineInline(t *testing.T) {
	forEachDB(t, Config{InlineJudge: newFakeJudge()}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		crashed(t, db, f.ann.ID, f.course.ID, "e1", 7, numeric("err"))
		if s := submitSeed(t, db, f.ann.ID, f.course.ID, "e1", 7, numeric("err")); !isRefused(s) {
			t.Errorf("inline-judged copy of a quarantined answer: %+v; want refused", s)
		}
		if s := submitSeed(t, db, f.ann.ID, f.course.ID, "e1", 7, numeric("1")); s.Verdict == nil || s.Verdict.Status != gradjudge.StatusAccepted {
			t.Errorf("another answer: %+v; want judged inline", s)
		}
	})
}

// TestQueuedCopyRefusedOnRetry: a copy of an answer queued before the answer was quarantined is
// refused when its job runs again (a retry, after its own worker died), without judging it.
func TestQueuedCopyRefusedOnRetry(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		copied := mustSubmit(t, db, f.bob.ID, f.course.ID, "e1", numeric("block"))
		crashed(t, db, f.bob.ID, f.course.ID, "e1", 7, numeric("block"))
		if err := db.gorm.Exec("UPDATE river_job SET attempt = 1 WHERE id = ?", jobOf(t, db, copied.ID)).Error; err != nil {
			t.Fatal(err)
		}
		j := newFakeJudge()
		testWorkers(t, db, j, false)
		if s := waitDone(t, db, copied.ID); !isRefused(s) {
			t.Errorf("retried copy: %+v; want refused", s)
		}
		if n := j.total.Load(); n != 0 {
			t.Errorf("judge called %d times, want 0", n)
		}
	})
}

// TestRegradeLiftsQuarantine: an instructor's regrade judges the quarantined answer and the
// refused copies again; once one is judged without crashing, the answer is no longer set aside
// and the next copy goes to the workers.
func TestRegradeLiftsQuarantine(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		first := crashed(t, db, f.ann.ID, f.course.ID, "e1", 7, numeric("2"))
		copied := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("2"))
		if !isRefused(copied) {
			t.Fatalf("copy %+v; want refused", copied)
		}
		regradeAll(t, db, judgeV2, regrade.Request{ExerciseID: "e1", Version: "v2", CourseID: f.course.ID})
		for _, id := range []int64{first.ID, copied.ID} {
			if s, err := db.Submission(t.Context(), id); err != nil || s.Verdict.Status != gradjudge.StatusAccepted {
				t.Errorf("submission %d after the regrade: %+v, %v; want accepted", id, s.Verdict, err)
			}
		}
		jobs := countJobs(t, db)
		if next := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("2")); isRefused(next) || countJobs(t, db) != jobs+1 {
			t.Errorf("copy after the regrade: %+v; want queued", next)
		}
		if p, err := db.testProgress(t.Context(), f.course.ID, f.ann.ID); err != nil || p.Exercises[0].Attempts != 2 {
			t.Errorf("progress %+v, %v; want the 2 regraded attempts", p.Exercises, err)
		}
	})
}
