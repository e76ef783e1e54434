package store

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"gradjudge"
)

// Why the judge gave up on a submission: the reason column of judge_failures.
const (
	failureFailed  = "failed"  // the judge returned an error on every attempt
	failureCrashed = "crashed" // the worker judging it died on every attempt; quarantined
	// failureRefused counts answers identical to a quarantined one, refused unjudged: not a
	// reason column value (they are counted in quarantined_answers), only a JudgeFailures key.
	failureRefused = "refused"
)

// failureRow is a row of judge_failures: a submission the judge gave up on.
type failureRow struct {
	SubmissionID int64 `gorm:"primaryKey"`
	Reason       string
	Attempts     int
	CreatedAt    time.Time
}

func (failureRow) TableName() string { return "judge_failures" }

// giveUp ends submission s with the final internal_error verdict, which uses no attempt, and
// records why in judge_failures, in one transaction. A crashed answer is thereby quarantined:
// its job is over, nothing judges it again on its own, and identical answers are refused (see
// refuseQuarantined). It returns recorded=false when s had a
// verdict already.
func (db *DB) giveUp(ctx context.Context, s gradjudge.Submission, reason string, attempts int) (recorded bool, err error) {
	const op = "store.giveUp"
	pv, err := db.prepareVerdict(ctx, s, gaveUpVerdict())
	if err != nil {
		return false, dbError(op, "", err)
	}
	err = db.write(ctx, func(tx *gorm.DB) ([]judgeArgs, error) {
		if err := pv.store(tx, s); err != nil {
			return nil, err
		}
		if reason == failureCrashed {
			if err := quarantine(tx, s, pv.at); err != nil {
				return nil, err
			}
		}
		return nil, tx.Create(&failureRow{SubmissionID: s.ID, Reason: reason, Attempts: attempts, CreatedAt: pv.at}).Error
	})
	return db.verdictWritten(op, s.ID, err)
}

// JudgeFailures counts the submissions the judge gave up on, by reason: "failed" (the judge
// broke on every attempt), "crashed" (quarantined: its workers died on every attempt) and
// "refused" (identical to a quarantined answer, never sent to the workers).
func (db *DB) JudgeFailures(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		Reason string
		N      int64
	}
	err := db.read.WithContext(ctx).Model(&failureRow{}).Select("reason, count(*) AS n").Group("reason").Scan(&rows).Error
	if err != nil {
		return nil, dbError("store.JudgeFailures", "", err)
	}
	var refused int64
	err = db.read.WithContext(ctx).Model(&quarantineRow{}).Select("COALESCE(SUM(refused), 0)").Scan(&refused).Error
	if err != nil {
		return nil, dbError("store.JudgeFailures", "", err)
	}
	counts := map[string]int64{failureFailed: 0, failureCrashed: 0, failureRefused: refused}
	for _, r := range rows {
		counts[r.Reason] = r.N
	}
	return counts, nil
}

// GaveUpFeedback is the feedback of the final verdict of a submission the judge could not finish.
const GaveUpFeedback = "The judge could not finish this answer. It does not count as an attempt. If the same answer fails again, tell your instructor."

// gaveUpVerdict is the final verdict of a submission the judge gave up on.
func gaveUpVerdict() gradjudge.Verdict {
	return gradjudge.Verdict{Status: gradjudge.StatusInternalError, Feedback: []string{GaveUpFeedback}}
}

// finishDiscarded gives the final verdict to the submissions whose judging job River discarded
// unjudged: River's own rescuer discards a job stuck past RescueAfter on its last attempt, and a
// job whose last attempt could not record its verdict is discarded too. Without this they would
// stay judging forever. It logs what it finished at WARN.
func (db *DB) finishDiscarded(ctx context.Context, log *slog.Logger) error {
	var jobs []staleJob
	err := db.gorm.WithContext(ctx).Raw(`SELECT j.id, j.attempt, s.id AS submission_id
		FROM river_job j JOIN submissions s ON s.id = `+jobSubmissionSQL[db.dialect]+`
		WHERE j.state = 'discarded' AND j.kind = ? AND s.status <> ?`, judgeArgs{}.Kind(), string(gradjudge.SubmissionDone)).Scan(&jobs).Error
	if err != nil {
		return fmt.Errorf("store: find discarded judging jobs: %w", err)
	}
	var finished []int64
	for _, j := range jobs {
		s, err := db.Submission(ctx, j.SubmissionID)
		if err != nil {
			return err
		}
		if ok, err := db.giveUp(ctx, s, failureFailed, j.Attempt); err != nil {
			return err
		} else if ok {
			finished = append(finished, s.ID)
		}
	}
	if len(finished) > 0 {
		log.Warn("gave the final verdict to submissions whose judging job was discarded", "count", len(finished), "submissions", finished)
	}
	return nil
}
