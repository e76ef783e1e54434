package store

import (
	"context"

	"gorm.io/gorm"

	"gradjudge"
)

// Learner implements gradjudge.LearnerService.
func (db *DB) Learner(ctx context.Context, courseID, userID int64) (gradjudge.LearnerState, error) {
	list, err := db.learners(ctx, courseID, []int64{userID})
	if err != nil {
		return gradjudge.LearnerState{}, err
	}
	return list[0], nil
}

// CourseLearners implements gradjudge.LearnerService.
func (db *DB) CourseLearners(ctx context.Context, courseID int64) ([]gradjudge.LearnerState, error) {
	var ids []int64
	err := db.read.WithContext(ctx).Model(&enrollmentRow{}).
		Where("course_id = ? AND role = ?", courseID, string(gradjudge.CourseStudent)).Order("user_id").Pluck("user_id", &ids).Error
	if err != nil {
		return nil, dbError("store.CourseLearners", "", err)
	}
	return db.learners(ctx, courseID, ids)
}

// learners reads the learner models of users in the course with two queries, whatever their
// number.
func (db *DB) learners(ctx context.Context, courseID int64, userIDs []int64) ([]gradjudge.LearnerState, error) {
	const op = "store.Learner"
	if err := db.courseExists(ctx, courseID); err != nil {
		return nil, dbError(op, "course", err)
	}
	var cs []conceptMasteryRow
	var ms []misconceptionStatusRow
	if len(userIDs) > 0 {
		where := "course_id = ? AND user_id IN ?"
		if err := db.read.WithContext(ctx).Where(where, courseID, userIDs).Order("user_id, concept").Find(&cs).Error; err != nil {
			return nil, dbError(op, "", err)
		}
		if err := db.read.WithContext(ctx).Where(where, courseID, userIDs).Order("user_id, tag").Find(&ms).Error; err != nil {
			return nil, dbError(op, "", err)
		}
	}
	out := make([]gradjudge.LearnerState, len(userIDs))
	index := make(map[int64]int, len(userIDs))
	for i, id := range userIDs {
		out[i] = gradjudge.LearnerState{CourseID: courseID, UserID: id}
		index[id] = i
	}
	for _, r := range cs {
		st := &out[index[r.UserID]]
		st.Concepts = append(st.Concepts, r.mastery())
	}
	for _, r := range ms {
		st := &out[index[r.UserID]]
		st.Misconceptions = append(st.Misconceptions, r.status())
	}
	return out, nil
}

func (db *DB) courseExists(ctx context.Context, courseID int64) error {
	return db.read.WithContext(ctx).Select("id").Take(&courseRow{}, courseID).Error
}

// MasteryParams implements gradjudge.LearnerService.
func (db *DB) MasteryParams(ctx context.Context, courseID int64) ([]gradjudge.MasteryParams, error) {
	var rows []masteryParamsRow
	if err := db.read.WithContext(ctx).Where("course_id = ?", courseID).Order("concept").Find(&rows).Error; err != nil {
		return nil, dbError("store.MasteryParams", "", err)
	}
	return paramsOf(rows), nil
}

// SetMasteryParams implements gradjudge.LearnerService. The caller checks the parameters
// (mastery.Check); the database refuses values outside their ranges as an internal error.
func (db *DB) SetMasteryParams(ctx context.Context, courseID int64, params []gradjudge.MasteryParams) error {
	const op = "store.SetMasteryParams"
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Select("id").Take(&courseRow{}, courseID).Error; err != nil {
			return err
		}
		if err := tx.Where("course_id = ?", courseID).Delete(&masteryParamsRow{}).Error; err != nil {
			return err
		}
		if len(params) == 0 {
			return nil
		}
		rows := make([]masteryParamsRow, len(params))
		for i, p := range params {
			rows[i] = masteryParamsRow{CourseID: courseID, Concept: p.Concept, Prior: p.Prior, Learn: p.Learn,
				Guess: p.Guess, Slip: p.Slip, FittedAt: db.now()}
		}
		return tx.Create(&rows).Error
	})
	return dbError(op, "course", err)
}

// ReplaceLearners replaces the learner models of the course's students in states (each with its
// CourseID and UserID), in one transaction: after a fit, the course's verdicts are replayed
// under the new parameters. Students not in states keep theirs.
func (db *DB) ReplaceLearners(ctx context.Context, courseID int64, states []gradjudge.LearnerState) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		for _, st := range states {
			where := "course_id = ? AND user_id = ?"
			if err := tx.Where(where, courseID, st.UserID).Delete(&conceptMasteryRow{}).Error; err != nil {
				return err
			}
			if err := tx.Where(where, courseID, st.UserID).Delete(&misconceptionStatusRow{}).Error; err != nil {
				return err
			}
			if err := writeLearner(tx, courseID, st.UserID, st.Concepts, st.Misconceptions); err != nil {
				return err
			}
		}
		return nil
	})
	return dbError("store.ReplaceLearners", "", err)
}
