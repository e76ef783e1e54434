package store

import (
	"context"
	"encoding/json"

	"gorm.io/gorm"

	"gradjudge"
)

// Learner implements gradjudge.LearnerService.
func (db *DB) Learner(ctx context.Context, courseID, userID int64) (gradjudge.LearnerState, error) {
	if err := db.courseExists(ctx, courseID); err != nil {
		return gradjudge.LearnerState{}, dbError("store.Learner", "course", err)
	}
	st, err := db.learner(ctx, courseID, userID)
	return st, dbError("store.Learner", "", err)
}

// learner reads one student's model: empty when they have none yet.
func (db *DB) learner(ctx context.Context, courseID, userID int64) (gradjudge.LearnerState, error) {
	var rows []learnerModelRow
	if err := db.read.WithContext(ctx).Where("course_id = ? AND user_id = ?", courseID, userID).Find(&rows).Error; err != nil {
		return gradjudge.LearnerState{}, err
	}
	if len(rows) == 0 {
		return gradjudge.LearnerState{CourseID: courseID, UserID: userID}, nil
	}
	return rows[0].state()
}

// CourseLearners implements gradjudge.LearnerService, with two queries whatever the class's size.
func (db *DB) CourseLearners(ctx context.Context, courseID int64) ([]gradjudge.LearnerState, error) {
	const op = "store.CourseLearners"
	if err := db.courseExists(ctx, courseID); err != nil {
		return nil, dbError(op, "course", err)
	}
	var ids []int64
	err := db.read.WithContext(ctx).Model(&enrollmentRow{}).
		Where("course_id = ? AND role = ?", courseID, string(gradjudge.CourseStudent)).Order("user_id").Pluck("user_id", &ids).Error
	if err != nil {
		return nil, dbError(op, "", err)
	}
	var rows []learnerModelRow
	if len(ids) > 0 {
		if err := db.read.WithContext(ctx).Where("course_id = ? AND user_id IN ?", courseID, ids).Find(&rows).Error; err != nil {
			return nil, dbError(op, "", err)
		}
	}
	byUser := make(map[int64]learnerModelRow, len(rows))
	for _, r := range rows {
		byUser[r.UserID] = r
	}
	out := make([]gradjudge.LearnerState, len(ids))
	for i, id := range ids {
		r, ok := byUser[id]
		if !ok {
			out[i] = gradjudge.LearnerState{CourseID: courseID, UserID: id}
			continue
		}
		if out[i], err = r.state(); err != nil {
			return nil, dbError(op, "", err)
		}
	}
	return out, nil
}

func (db *DB) courseExists(ctx context.Context, courseID int64) error {
	return db.read.WithContext(ctx).Select("id").Take(&courseRow{}, courseID).Error
}

// MasteryParams implements gradjudge.LearnerService.
func (db *DB) MasteryParams(ctx context.Context, courseID int64) ([]gradjudge.MasteryParams, error) {
	var rows []masteryParamsRow
	if err := db.read.WithContext(ctx).Where("course_id = ?", courseID).Find(&rows).Error; err != nil || len(rows) == 0 {
		return nil, dbError("store.MasteryParams", "", err)
	}
	p, err := decodeParams(&rows[0].Params)
	return p, dbError("store.MasteryParams", "", err)
}

// SetMasteryParams implements gradjudge.LearnerService. The caller checks the parameters
// (mastery.Check).
func (db *DB) SetMasteryParams(ctx context.Context, courseID int64, params []gradjudge.MasteryParams) error {
	body, err := json.Marshal(params)
	if err != nil {
		return dbError("store.SetMasteryParams", "", err)
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Select("id").Take(&courseRow{}, courseID).Error; err != nil {
			return err
		}
		if err := tx.Where("course_id = ?", courseID).Delete(&masteryParamsRow{}).Error; err != nil || len(params) == 0 {
			return err
		}
		return tx.Create(&masteryParamsRow{CourseID: courseID, Params: string(body), FittedAt: db.now()}).Error
	})
	return dbError("store.SetMasteryParams", "course", err)
}

// ReplaceLearners replaces the learner models of the course's students in states (each with its
// UserID), in one transaction: after a fit, the course's verdicts are replayed under the new
// parameters. Students not in states keep theirs.
func (db *DB) ReplaceLearners(ctx context.Context, courseID int64, states []gradjudge.LearnerState) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		for _, st := range states {
			st.CourseID = courseID
			if err := writeLearner(tx, st, db.now()); err != nil {
				return err
			}
		}
		return nil
	})
	return dbError("store.ReplaceLearners", "", err)
}
