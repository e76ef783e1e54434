package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"gradjudge"
)

// Learner is the learner model the store updates inside every verdict's transaction
// (mastery.Model). Evidence runs before the transaction, Update inside it.
type Learner interface {
	// Evidence says what verdict v on s tells the model; active are the student's active
	// misconception tags. It may take milliseconds when a right answer meets one of them.
	Evidence(s gradjudge.Submission, v gradjudge.Verdict, active []string) (gradjudge.LearnerEvidence, error)
	// Update applies ev to st under the course's fitted parameters and returns the entries it
	// changed; it is pure and takes microseconds.
	Update(fitted []gradjudge.MasteryParams, st *gradjudge.LearnerState, ev gradjudge.LearnerEvidence) ([]gradjudge.ConceptMastery, []gradjudge.MisconceptionStatus)
}

// conceptMasteryRow is a row of concept_mastery.
type conceptMasteryRow struct {
	CourseID     int64  `gorm:"primaryKey"`
	UserID       int64  `gorm:"primaryKey"`
	Concept      string `gorm:"primaryKey"`
	P            float64
	Observations int
	Streak       int
	LastRight    bool
	UpdatedAt    time.Time `gorm:"autoUpdateTime:false"`
}

func (conceptMasteryRow) TableName() string { return "concept_mastery" }

func (r conceptMasteryRow) mastery() gradjudge.ConceptMastery {
	return gradjudge.ConceptMastery{Concept: r.Concept, P: r.P, Observations: r.Observations, Streak: r.Streak,
		LastRight: r.LastRight, UpdatedAt: utc(r.UpdatedAt)}
}

// misconceptionStatusRow is a row of misconception_status.
type misconceptionStatusRow struct {
	CourseID             int64  `gorm:"primaryKey"`
	UserID               int64  `gorm:"primaryKey"`
	Tag                  string `gorm:"primaryKey"`
	Active               bool
	Shown                int
	Reopened             int
	FirstShownAt         time.Time
	LastShownAt          time.Time
	ShownIn              string
	ResolvedAt           *time.Time
	ResolvedBy           string
	ResolvedBySubmission int64
}

func (misconceptionStatusRow) TableName() string { return "misconception_status" }

func (r misconceptionStatusRow) status() gradjudge.MisconceptionStatus {
	return gradjudge.MisconceptionStatus{Tag: r.Tag, Active: r.Active, Shown: r.Shown, Reopened: r.Reopened,
		FirstShownAt: utc(r.FirstShownAt), LastShownAt: utc(r.LastShownAt), ShownIn: r.ShownIn,
		ResolvedAt: utcPtr(r.ResolvedAt), ResolvedBy: r.ResolvedBy, ResolvedBySubmission: r.ResolvedBySubmission}
}

// masteryParamsRow is a row of mastery_params.
type masteryParamsRow struct {
	CourseID                  int64  `gorm:"primaryKey"`
	Concept                   string `gorm:"primaryKey"`
	Prior, Learn, Guess, Slip float64
	FittedAt                  time.Time
}

func (masteryParamsRow) TableName() string { return "mastery_params" }

// learnerEvidence asks the learner model, outside the verdict's transaction, what v on s tells
// it. A model that fails (the judge cannot say what the variant tells apart) loses only the
// resolution this answer would bring: the verdict is still recorded, and the failure logged.
func (db *DB) learnerEvidence(ctx context.Context, s gradjudge.Submission, v gradjudge.Verdict) *gradjudge.LearnerEvidence {
	if db.cfg.Learner == nil {
		return nil
	}
	var active []string
	if v.Status == gradjudge.StatusAccepted {
		err := db.read.WithContext(ctx).Model(&misconceptionStatusRow{}).
			Where("course_id = ? AND user_id = ? AND active", s.CourseID, s.UserID).Pluck("tag", &active).Error
		if err != nil {
			db.cfg.Logger.WarnContext(ctx, "reading active misconceptions failed", "submission", s.ID, "err", err)
		}
	}
	ev, err := db.cfg.Learner.Evidence(s, v, active)
	if err != nil {
		db.cfg.Logger.WarnContext(ctx, "the learner model's evidence is incomplete", "submission", s.ID, "err", err)
	}
	return &ev
}

// updateLearner applies ev, the evidence of the verdict of s, to the student's learner model
// in tx. It runs before updateProgress, whose solved_at says whether s repeats a solved variant.
func updateLearner(tx *gorm.DB, learner Learner, s gradjudge.Submission, ev *gradjudge.LearnerEvidence) error {
	if ev == nil || !ev.Graded {
		return nil
	}
	ev.SubmissionID, ev.At = s.ID, s.CreatedAt
	var solved []time.Time
	if err := tx.Model(&progressRow{}).Where("course_id = ? AND user_id = ? AND exercise_id = ? AND solved_at IS NOT NULL",
		s.CourseID, s.UserID, s.ExerciseID).Pluck("solved_at", &solved).Error; err != nil {
		return err
	}
	ev.Repeat = len(solved) > 0
	st, fitted, err := learnerState(tx, s.CourseID, s.UserID)
	if err != nil {
		return err
	}
	concepts, miscs := learner.Update(fitted, &st, *ev)
	return writeLearner(tx, s.CourseID, s.UserID, concepts, miscs)
}

// learnerState reads one student's learner model and the course's fitted parameters.
func learnerState(tx *gorm.DB, courseID, userID int64) (gradjudge.LearnerState, []gradjudge.MasteryParams, error) {
	st := gradjudge.LearnerState{CourseID: courseID, UserID: userID}
	var cs []conceptMasteryRow
	var ms []misconceptionStatusRow
	var ps []masteryParamsRow
	where := "course_id = ? AND user_id = ?"
	if err := tx.Where(where, courseID, userID).Order("concept").Find(&cs).Error; err != nil {
		return st, nil, err
	}
	if err := tx.Where(where, courseID, userID).Order("tag").Find(&ms).Error; err != nil {
		return st, nil, err
	}
	if err := tx.Where("course_id = ?", courseID).Order("concept").Find(&ps).Error; err != nil {
		return st, nil, err
	}
	for _, r := range cs {
		st.Concepts = append(st.Concepts, r.mastery())
	}
	for _, r := range ms {
		st.Misconceptions = append(st.Misconceptions, r.status())
	}
	return st, paramsOf(ps), nil
}

func paramsOf(rows []masteryParamsRow) []gradjudge.MasteryParams {
	out := make([]gradjudge.MasteryParams, len(rows))
	for i, r := range rows {
		out[i] = gradjudge.MasteryParams{Concept: r.Concept, Prior: r.Prior, Learn: r.Learn, Guess: r.Guess, Slip: r.Slip}
	}
	return out
}

// writeLearner upserts the changed entries of one student's learner model.
func writeLearner(tx *gorm.DB, courseID, userID int64, concepts []gradjudge.ConceptMastery, miscs []gradjudge.MisconceptionStatus) error {
	upsert := func() *gorm.DB { return tx.Clauses(clause.OnConflict{UpdateAll: true}) } // a statement per table
	if len(concepts) > 0 {
		rows := make([]conceptMasteryRow, len(concepts))
		for i, c := range concepts {
			rows[i] = conceptMasteryRow{CourseID: courseID, UserID: userID, Concept: c.Concept, P: c.P,
				Observations: c.Observations, Streak: c.Streak, LastRight: c.LastRight, UpdatedAt: c.UpdatedAt}
		}
		if err := upsert().Create(&rows).Error; err != nil {
			return err
		}
	}
	if len(miscs) == 0 {
		return nil
	}
	rows := make([]misconceptionStatusRow, len(miscs))
	for i, m := range miscs {
		rows[i] = misconceptionStatusRow{CourseID: courseID, UserID: userID, Tag: m.Tag, Active: m.Active, Shown: m.Shown,
			Reopened: m.Reopened, FirstShownAt: m.FirstShownAt, LastShownAt: m.LastShownAt, ShownIn: m.ShownIn,
			ResolvedAt: m.ResolvedAt, ResolvedBy: m.ResolvedBy, ResolvedBySubmission: m.ResolvedBySubmission}
	}
	return upsert().Create(&rows).Error
}
