package store

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"gradjudge"
	"gradjudge/migrations"
)

// Learner is the learner model the store updates inside every verdict's transaction
// (mastery.Model). Evidence runs before the transaction, Update inside it.
type Learner interface {
	// Evidence says what verdict v on s tells the model; active are the student's active
	// misconception tags. It may take milliseconds when a right answer meets one of them.
	Evidence(s gradjudge.Submission, v gradjudge.Verdict, active []string) (gradjudge.LearnerEvidence, error)
	// Update applies ev to st under the course's fitted parameters and says whether st changed;
	// it is pure and takes microseconds.
	Update(fitted []gradjudge.MasteryParams, st *gradjudge.LearnerState, ev gradjudge.LearnerEvidence) bool
}

// learnerModelRow is a row of learner_models: one student's model in one course, as JSON.
type learnerModelRow struct {
	CourseID  int64 `gorm:"primaryKey"`
	UserID    int64 `gorm:"primaryKey"`
	Model     string
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

func (learnerModelRow) TableName() string { return "learner_models" }

func (r learnerModelRow) state() (gradjudge.LearnerState, error) {
	return decodeLearner(r.CourseID, r.UserID, &r.Model)
}

// decodeLearner reads a stored model; nil is a student with no model yet.
func decodeLearner(courseID, userID int64, model *string) (gradjudge.LearnerState, error) {
	st := gradjudge.LearnerState{}
	if model != nil {
		if err := json.Unmarshal([]byte(*model), &st); err != nil {
			return st, err
		}
	}
	st.CourseID, st.UserID = courseID, userID
	for i := range st.Concepts {
		st.Concepts[i].UpdatedAt = utc(st.Concepts[i].UpdatedAt)
	}
	for i := range st.Misconceptions {
		m := &st.Misconceptions[i]
		m.FirstShownAt, m.LastShownAt, m.ResolvedAt = utc(m.FirstShownAt), utc(m.LastShownAt), utcPtr(m.ResolvedAt)
	}
	return st, nil
}

// masteryParamsRow is a row of mastery_params: a course's fitted parameters, as JSON.
type masteryParamsRow struct {
	CourseID int64 `gorm:"primaryKey"`
	Params   string
	FittedAt time.Time
}

func (masteryParamsRow) TableName() string { return "mastery_params" }

func decodeParams(params *string) ([]gradjudge.MasteryParams, error) {
	var out []gradjudge.MasteryParams
	if params == nil {
		return nil, nil
	}
	return out, json.Unmarshal([]byte(*params), &out)
}

// learnerWrite is what a verdict's transaction needs to update the learner model.
type learnerWrite struct {
	model Learner
	ev    gradjudge.LearnerEvidence
	lock  string // appended to the read of the student's row: " FOR UPDATE" on PostgreSQL
}

// learnerEvidence asks the learner model, outside the verdict's transaction, what v on s tells
// it; nil without a learner model. A model that fails (the judge cannot say what the variant
// tells apart) loses only the resolution this answer would bring: the verdict is still recorded,
// and the failure logged.
func (db *DB) learnerEvidence(ctx context.Context, s gradjudge.Submission, v gradjudge.Verdict) *learnerWrite {
	if db.cfg.Learner == nil {
		return nil
	}
	var active []string
	if v.Status == gradjudge.StatusAccepted {
		st, err := db.learner(ctx, s.CourseID, s.UserID)
		if err != nil {
			db.cfg.Logger.WarnContext(ctx, "reading the learner model failed", "submission", s.ID, "err", err)
		}
		for _, m := range st.Misconceptions {
			if m.Active {
				active = append(active, m.Tag)
			}
		}
	}
	ev, err := db.cfg.Learner.Evidence(s, v, active)
	if err != nil {
		db.cfg.Logger.WarnContext(ctx, "the learner model's evidence is incomplete", "submission", s.ID, "err", err)
	}
	w := &learnerWrite{model: db.cfg.Learner, ev: ev}
	if db.dialect == migrations.Postgres {
		w.lock = " FOR UPDATE"
	}
	return w
}

// learnerRead is the one query a verdict's update of the learner model reads with.
type learnerRead struct {
	Model  *string
	Solved int64 // the exercise was solved before: the answer repeats a solved variant
	Params *string
}

// update applies the evidence of the verdict of s to the student's learner model in tx, with one
// read and one write. It runs before updateProgress, whose solved_at says whether s repeats a
// solved variant. Two first verdicts of a student racing on PostgreSQL both find no row: the
// one whose insert loses reads again, now locking the winner's row, and applies its evidence on
// top.
func (w *learnerWrite) update(tx *gorm.DB, s gradjudge.Submission) error {
	if w == nil || !w.ev.Graded {
		return nil
	}
	ev := w.ev
	ev.SubmissionID, ev.At = s.ID, s.CreatedAt
	for range 2 {
		var r learnerRead
		err := tx.Raw(`SELECT
				(SELECT model FROM learner_models WHERE course_id = ? AND user_id = ?`+w.lock+`) AS model,
				(SELECT COUNT(*) FROM progress WHERE course_id = ? AND user_id = ? AND exercise_id = ? AND solved_at IS NOT NULL) AS solved,
				(SELECT params FROM mastery_params WHERE course_id = ?) AS params`,
			s.CourseID, s.UserID, s.CourseID, s.UserID, s.ExerciseID, s.CourseID).Scan(&r).Error
		if err != nil {
			return err
		}
		st, err := decodeLearner(s.CourseID, s.UserID, r.Model)
		if err != nil {
			return err
		}
		fitted, err := decodeParams(r.Params)
		if err != nil {
			return err
		}
		ev.Repeat = r.Solved > 0
		if !w.model.Update(fitted, &st, ev) {
			return nil
		}
		if done, err := writeLearner(tx, st, r.Model != nil, s.CreatedAt); done || err != nil {
			return err
		}
	}
	return nil
}

// writeLearner stores st, changed at, updating the row when exists. done is false when a row it
// meant to insert exists already (inserted meanwhile by another transaction).
func writeLearner(tx *gorm.DB, st gradjudge.LearnerState, exists bool, at time.Time) (done bool, err error) {
	body, err := json.Marshal(st)
	if err != nil {
		return false, err
	}
	if exists {
		return true, tx.Exec(`UPDATE learner_models SET model = ?, updated_at = ? WHERE course_id = ? AND user_id = ?`,
			string(body), at, st.CourseID, st.UserID).Error
	}
	res := tx.Exec(`INSERT INTO learner_models (course_id, user_id, model, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (course_id, user_id) DO NOTHING`, st.CourseID, st.UserID, string(body), at)
	return res.RowsAffected == 1, res.Error
}
