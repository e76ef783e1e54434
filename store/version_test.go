package store

import (
	"testing"

	"gradjudge"
)

// TestVerdictExerciseVersion: the version a verdict was judged against is kept in the body and
// in a column of its own, on both databases; and a compile error costs no attempt.
func TestVerdictExerciseVersion(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		s := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("1"))
		v := gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1, ExerciseVersion: "3f2a9c0d1b2e4f5a/judge-1"}
		if ok, err := db.recordVerdict(t.Context(), s, v); !ok || err != nil {
			t.Fatalf("record: %v, %v", ok, err)
		}
		got, err := db.Submission(t.Context(), s.ID)
		if err != nil || got.Verdict == nil || got.Verdict.ExerciseVersion != v.ExerciseVersion {
			t.Fatalf("submission %+v, %v; want the verdict's version", got.Verdict, err)
		}
		col := queryStrings(t, db, "SELECT exercise_version FROM verdicts WHERE submission_id = $1", s.ID)
		if len(col) != 1 || col[0] != v.ExerciseVersion {
			t.Errorf("column exercise_version = %q, want %q", col, v.ExerciseVersion)
		}

		c := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("2"))
		if _, err := db.recordVerdict(t.Context(), c, gradjudge.Verdict{Status: gradjudge.StatusCompileError}); err != nil {
			t.Fatal(err)
		}
		p, err := db.testProgress(t.Context(), f.course.ID, f.ann.ID)
		if err != nil || p.Exercises[0].Attempts != 1 {
			t.Errorf("progress %+v, %v; want the compile error not counted", p, err)
		}
	})
}
