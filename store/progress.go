package store

import (
	"context"
	"database/sql"
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
// users. Rows are scanned by hand, not through GORM's reflection: a course page of 500 students
// reads some ten thousand of them.
func (db *DB) ProgressRecords(ctx context.Context, courseID int64, userIDs []int64) (gradjudge.ProgressRecords, error) {
	const op = "store.ProgressRecords"
	recs := gradjudge.ProgressRecords{Exercises: []gradjudge.ExerciseRecord{}, Events: []gradjudge.MisconceptionEvent{}}
	if len(userIDs) == 0 {
		return recs, nil
	}
	err := db.scanRows(ctx, func(rows *sql.Rows) error {
		var r progressRow
		err := rows.Scan(&r.UserID, &r.ExerciseID, &r.Attempts, &r.BestScore, &r.AttemptsToSolve, &r.SolvedAt, &r.LastAttemptAt)
		recs.Exercises = append(recs.Exercises, r.record())
		return err
	}, "SELECT user_id, exercise_id, attempts, best_score, attempts_to_solve, solved_at, last_attempt_at FROM progress WHERE course_id = ? AND user_id IN ? ORDER BY user_id, exercise_id", courseID, userIDs)
	if err != nil {
		return recs, dbError(op, "", err)
	}
	err = db.scanRows(ctx, func(rows *sql.Rows) error {
		var e misconceptionEventRow
		err := rows.Scan(&e.ID, &e.UserID, &e.CourseID, &e.ExerciseID, &e.Tag, &e.SubmissionID, &e.At)
		recs.Events = append(recs.Events, e.event())
		return err
	}, "SELECT id, user_id, course_id, exercise_id, tag, submission_id, at FROM misconception_events WHERE course_id = ? AND user_id IN ? ORDER BY at, id", courseID, userIDs)
	return recs, dbError(op, "", err)
}

// scanRows runs query on the read pool (GORM expands its slice arguments) and calls scan for
// every row.
func (db *DB) scanRows(ctx context.Context, scan func(*sql.Rows) error, query string, args ...any) error {
	rows, err := db.read.WithContext(ctx).Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
