package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"gradjudge"
)

// quarantineRow is a row of quarantined_answers: the answer of a submission whose workers died on
// every attempt, by its gradjudge.QuarantineHash.
type quarantineRow struct {
	AnswerHash   string `gorm:"primaryKey"`
	ExerciseID   string
	SubmissionID int64 // the submission that crashed the workers
	Refused      int   // identical answers refused since
	CreatedAt    time.Time
}

func (quarantineRow) TableName() string { return "quarantined_answers" }

// QuarantinedFeedback is the feedback of the final verdict of an answer refused because an
// identical one crashed the judge's workers on every attempt.
const QuarantinedFeedback = "The judge did not run this answer: the same answer stopped the judge every time it was tried, " +
	"so it is set aside. It does not count as an attempt. Change your answer, or ask your instructor to have it judged again."

// quarantinedVerdict is the final verdict of an answer refused as quarantined.
func quarantinedVerdict() gradjudge.Verdict {
	return gradjudge.Verdict{Status: gradjudge.StatusInternalError, Feedback: []string{QuarantinedFeedback}}
}

// quarantine sets the answer of submission s aside, in tx: answers identical to it are refused
// from now on (see refuseQuarantined).
func quarantine(tx *gorm.DB, s gradjudge.Submission, at time.Time) error {
	row := quarantineRow{AnswerHash: gradjudge.QuarantineHash(s.ExerciseID, s.Seed, s.Answer), ExerciseID: s.ExerciseID,
		SubmissionID: s.ID, CreatedAt: at}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
}

// refuseQuarantined gives submission s, stored in tx and not judged yet, the final quarantined
// verdict when its answer is set aside, and counts the refusal; it reports whether it did. One
// statement when the answer is not set aside: the update that counts finds no row. created says
// s was stored done in tx (inline judging): its verdict row is written, its status is.
func (db *DB) refuseQuarantined(ctx context.Context, tx *gorm.DB, s gradjudge.Submission, created bool) (bool, error) {
	res := tx.Model(&quarantineRow{}).Where("answer_hash = ?", gradjudge.QuarantineHash(s.ExerciseID, s.Seed, s.Answer)).
		Update("refused", gorm.Expr("refused + 1"))
	if res.Error != nil || res.RowsAffected == 0 {
		return false, res.Error
	}
	pv, err := db.prepareVerdict(ctx, s, quarantinedVerdict()) // reads nothing for an internal_error
	if err != nil {
		return false, err
	}
	if created {
		return true, pv.insertAndRecord(tx, s)
	}
	return true, pv.store(tx, s)
}

// refuseIfQuarantined gives the stored submission s the final quarantined verdict, in a
// transaction of its own, when its answer was set aside while it waited in the queue: an
// identical answer crashed the workers meanwhile. It reports whether it did.
func (db *DB) refuseIfQuarantined(ctx context.Context, s gradjudge.Submission) (bool, error) {
	var refused bool
	err := db.write(ctx, func(tx *gorm.DB) ([]judgeArgs, error) {
		var err error
		refused, err = db.refuseQuarantined(ctx, tx, s, false)
		return nil, err
	})
	if errors.Is(err, errJudged) {
		return true, nil
	}
	if err != nil {
		return false, dbError("store.refuseIfQuarantined", "", err)
	}
	if refused {
		db.done.wake(s.ID)
	}
	return refused, nil
}

// liftQuarantine takes the answer of submission s out of quarantine, in tx: a regrade judged it
// without crashing, so identical answers go to the workers again.
func liftQuarantine(tx *gorm.DB, s gradjudge.Submission) error {
	return tx.Where("answer_hash = ?", gradjudge.QuarantineHash(s.ExerciseID, s.Seed, s.Answer)).Delete(&quarantineRow{}).Error
}
