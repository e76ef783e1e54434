package store

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"gradjudge"
)

// TestFinishDiscarded: a judging job River discarded unjudged (its rescuer, on the last attempt)
// leaves its submission with the final verdict instead of judging forever; a discarded job whose
// submission is judged changes nothing.
func TestFinishDiscarded(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		unjudged := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("1"))
		judged := mustSubmit(t, db, f.bob.ID, f.course.ID, "e1", numeric("2"))
		if _, err := db.recordVerdict(t.Context(), judged, gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer}); err != nil {
			t.Fatal(err)
		}
		for _, s := range []gradjudge.Submission{unjudged, judged} {
			err := db.gorm.Exec("UPDATE river_job SET state = 'discarded', attempt = ?, finalized_at = "+db.sqlNow()+" WHERE id = ?",
				judgeMaxAttempts, jobOf(t, db, s.ID)).Error
			if err != nil {
				t.Fatal(err)
			}
		}
		var logs bytes.Buffer
		if err := db.finishDiscarded(t.Context(), slog.New(slog.NewJSONHandler(&logs, nil))); err != nil {
			t.Fatal(err)
		}
		got := waitDone(t, db, unjudged.ID)
		if got.Verdict.Status != gradjudge.StatusInternalError || got.Verdict.Feedback[0] != GaveUpFeedback {
			t.Errorf("discarded submission's verdict %+v, want the final internal_error", got.Verdict)
		}
		if s, _ := db.Submission(t.Context(), judged.ID); s.Verdict.Status != gradjudge.StatusWrongAnswer {
			t.Errorf("judged submission's verdict became %+v", s.Verdict)
		}
		if counts, err := db.JudgeFailures(t.Context()); err != nil || counts[failureFailed] != 1 {
			t.Errorf("JudgeFailures %v, %v; want 1 failed", counts, err)
		}
		if !strings.Contains(logs.String(), `"level":"WARN"`) || !strings.Contains(logs.String(), `"count":1`) {
			t.Errorf("log %s; want a WARN with count 1", logs.String())
		}
	})
}
