package store

import (
	"sync"
	"testing"

	"gradjudge/internal/regrade"
)

// TestRegradeStartedTwiceAtOnce: two instructors (or two clicks) starting the same regrade at
// once get one run between them, so that no submission is judged again twice. Both used to find
// no unfinished run, each then creating its own with every submission in it.
func TestRegradeStartedTwiceAtOnce(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		for range 3 {
			judged(t, db, judgeV1, f.ann.ID, f.course.ID, "2")
		}
		const starts = 8
		for round := range 5 {
			req := regrade.Request{ExerciseID: "e1", CourseID: f.course.ID, Version: "v2", DryRun: round%2 == 0}
			runs := make([]regrade.Run, starts)
			errs := make([]error, starts)
			var wg sync.WaitGroup
			gate := make(chan struct{})
			for i := range starts {
				wg.Go(func() {
					<-gate
					runs[i], errs[i] = db.StartRegrade(t.Context(), req)
				})
			}
			close(gate)
			wg.Wait()
			for i := range starts {
				if errs[i] != nil || runs[i].ID != runs[0].ID || runs[i].Total != 3 {
					t.Fatalf("round %d, start %d: run %d of %d, %v; want run %d of 3 like the first", round, i, runs[i].ID, runs[i].Total, errs[i], runs[0].ID)
				}
			}
		}
	})
}
