package app

import (
	"context"

	"gradjudge"
)

// readRecords reads the records of students userIDs in the course that a roll-up over exercises
// counts: of that exercise alone when there is one (an exercise's drill-down reads a
// twenty-seventh of a course's records), else the course's (an IN list over most of a course's
// exercises would cost the database more than the few rows it leaves out). The roll-ups count
// only their outline's exercises, so both give the same pages.
func (a *App) readRecords(ctx context.Context, courseID int64, exercises []gradjudge.Exercise, userIDs []int64) (gradjudge.ProgressRecords, error) {
	if len(exercises) == 1 {
		return a.d.Progress.ExerciseRecords(ctx, courseID, exercises[0].ID, userIDs)
	}
	return a.d.Progress.ProgressRecords(ctx, courseID, userIDs)
}
