package store

import (
	"context"
	"time"

	"gradjudge"
)

// progressRow is a row of progress.
type progressRow struct {
	CourseID        int64  `gorm:"primaryKey"`
	UserID          int64  `gorm:"primaryKey"`
	ExerciseID      string `gorm:"primaryKey"`
	Attempts        int
	BestScore       float64
	AttemptsToSolve *int
	SolvedAt        *time.Time
	LastAttemptAt   *time.Time
}

func (progressRow) TableName() string { return "progress" }

func (r progressRow) record() gradjudge.ExerciseRecord {
	ep := gradjudge.ExerciseProgress{ExerciseID: r.ExerciseID, Attempts: r.Attempts, BestScore: r.BestScore,
		SolvedAt: utcPtr(r.SolvedAt), LastAttemptAt: utcPtr(r.LastAttemptAt)}
	if r.AttemptsToSolve != nil {
		ep.AttemptsToSolve = *r.AttemptsToSolve
	}
	return gradjudge.ExerciseRecord{UserID: r.UserID, ExerciseProgress: ep}
}

// ProgressRecords implements gradjudge.ProgressService with two queries, whatever the number of
// users.
func (db *DB) ProgressRecords(ctx context.Context, courseID int64, userIDs []int64) (gradjudge.ProgressRecords, error) {
	const op = "store.ProgressRecords"
	recs := gradjudge.ProgressRecords{Exercises: []gradjudge.ExerciseRecord{}, Events: []gradjudge.MisconceptionEvent{}}
	if len(userIDs) == 0 {
		return recs, nil
	}
	var rows []progressRow
	q := db.read.WithContext(ctx).Where("course_id = ? AND user_id IN ?", courseID, userIDs)
	if err := q.Order("user_id, exercise_id").Find(&rows).Error; err != nil {
		return recs, dbError(op, "", err)
	}
	var events []misconceptionEventRow
	q = db.read.WithContext(ctx).Where("course_id = ? AND user_id IN ?", courseID, userIDs)
	if err := q.Order("at, id").Find(&events).Error; err != nil {
		return recs, dbError(op, "", err)
	}
	for _, r := range rows {
		recs.Exercises = append(recs.Exercises, r.record())
	}
	for _, e := range events {
		recs.Events = append(recs.Events, e.event())
	}
	return recs, nil
}
