package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"gradjudge"
)

// hintUseRow is a row of hint_uses.
type hintUseRow struct {
	CourseID   int64  `gorm:"primaryKey"`
	UserID     int64  `gorm:"primaryKey"`
	ExerciseID string `gorm:"primaryKey"`
	Step       int    `gorm:"primaryKey"`
	RevealedAt time.Time
}

func (hintUseRow) TableName() string { return "hint_uses" }

// RecordHints records that the student was shown hint steps 1 to steps on the exercise now; a
// step shown before keeps the time it was first shown. Steps outside 1..gradjudge.MaxHintStep
// are EINVALID.
func (db *DB) RecordHints(ctx context.Context, courseID, userID int64, exerciseID string, steps int) error {
	const op = "store.RecordHints"
	if steps < 1 || steps > gradjudge.MaxHintStep {
		return gradjudge.Errorf(gradjudge.EINVALID, "hint steps %d: want 1 to %d", steps, gradjudge.MaxHintStep)
	}
	at := db.now()
	rows := make([]any, 0, 5*steps)
	values := ""
	for step := 1; step <= steps; step++ {
		if step > 1 {
			values += ", "
		}
		values += "(?, ?, ?, ?, ?)"
		rows = append(rows, courseID, userID, exerciseID, step, at)
	}
	err := db.write(ctx, func(tx *gorm.DB) ([]judgeArgs, error) {
		return nil, tx.Exec(`INSERT INTO hint_uses (course_id, user_id, exercise_id, step, revealed_at) VALUES `+values+`
			ON CONFLICT (course_id, user_id, exercise_id, step) DO NOTHING`, rows...).Error
	})
	return dbError(op, "", err)
}

// HintUses returns every hint step shown in the course, by student, exercise and step.
func (db *DB) HintUses(ctx context.Context, courseID int64) ([]gradjudge.HintUse, error) {
	var rows []hintUseRow
	err := db.read.WithContext(ctx).Where("course_id = ?", courseID).Order("user_id, exercise_id, step").Find(&rows).Error
	if err != nil {
		return nil, dbError("store.HintUses", "", err)
	}
	out := make([]gradjudge.HintUse, len(rows))
	for i, r := range rows {
		out[i] = gradjudge.HintUse{CourseID: r.CourseID, UserID: r.UserID, ExerciseID: r.ExerciseID, Step: r.Step, RevealedAt: utc(r.RevealedAt)}
	}
	return out, nil
}
