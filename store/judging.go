package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"gradjudge"
)

// judgeWorker works judging jobs: it grades the submission and records the verdict.
type judgeWorker struct {
	river.WorkerDefaults[judgeArgs]
	db         *DB
	judge      gradjudge.Judge
	log        *slog.Logger
	retryDelay func(attempt int) time.Duration
	requeued   *requeued // the submissions a shutdown put back in the queue
}

// NextRetry schedules the next attempt after a failed one. River's clock, not the store's: River
// compares it with its own.
func (w *judgeWorker) NextRetry(job *river.Job[judgeArgs]) time.Time {
	return time.Now().Add(max(w.retryDelay(job.Attempt), time.Millisecond))
}

// Work judges one submission. It returns an error (River retries later) only while the judge is
// broken and attempts remain; on the last attempt the submission gets the final internal_error
// verdict (giveUp), so that every submission ends done.
func (w *judgeWorker) Work(ctx context.Context, job *river.Job[judgeArgs]) error {
	s, err := w.db.startJudging(ctx, job.Args.SubmissionID)
	if gradjudge.ErrorCode(err) == gradjudge.ENOTFOUND {
		return river.JobCancel(err)
	}
	if err != nil || s.Status == gradjudge.SubmissionDone {
		return err
	}
	v, err := w.grade(ctx, s)
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		w.requeued.add(s.ID)
		return river.JobSnooze(0) // shutting down: back to the queue without using an attempt
	case gradjudge.ErrorCode(err) == gradjudge.ERATELIMIT:
		return river.JobSnooze(busySnooze)
	case job.Attempt < job.MaxAttempts:
		return err
	default:
		w.log.ErrorContext(ctx, "judge failed on every attempt", "submission", s.ID, "attempts", job.Attempt, "err", err)
		_, err = w.db.giveUp(ctx, s, failureFailed, job.Attempt)
		return err
	}
	_, err = w.db.recordVerdict(ctx, s, v)
	return err
}

// requeued collects the submissions whose judging a shutdown interrupted and put back in the
// queue.
type requeued struct {
	mu  sync.Mutex
	ids []int64
}

func (r *requeued) add(id int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ids = append(r.ids, id)
}

func (r *requeued) list() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.ids)
}

// grade calls the judge, turning a panic into an error.
func (w *judgeWorker) grade(ctx context.Context, s gradjudge.Submission) (gradjudge.Verdict, error) {
	return safeGrade(ctx, w.judge, s)
}

// safeGrade calls j on s, turning a panic into an error: a judge bug must not take the process
// down with it.
func safeGrade(ctx context.Context, j gradjudge.Judge, s gradjudge.Submission) (v gradjudge.Verdict, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("judge panicked on submission %d of exercise %s: %v", s.ID, s.ExerciseID, r)
		}
	}()
	return j.Grade(ctx, s.ExerciseID, s.Seed, s.Answer)
}

// Why the judge gave up on a submission: the reason column of judge_failures.
const (
	failureFailed  = "failed"  // the judge returned an error on every attempt
	failureCrashed = "crashed" // the worker judging it died on every attempt; quarantined
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
// its job is over and nothing judges it again on its own. It returns recorded=false when s had a
// verdict already.
func (db *DB) giveUp(ctx context.Context, s gradjudge.Submission, reason string, attempts int) (recorded bool, err error) {
	const op = "store.giveUp"
	pv, err := db.prepareVerdict(gaveUpVerdict())
	if err != nil {
		return false, dbError(op, "", err)
	}
	err = db.write(ctx, func(tx *gorm.DB) ([]judgeArgs, error) {
		if err := pv.store(tx, s); err != nil {
			return nil, err
		}
		return nil, tx.Create(&failureRow{SubmissionID: s.ID, Reason: reason, Attempts: attempts, CreatedAt: pv.at}).Error
	})
	if errors.Is(err, errJudged) {
		return false, nil
	}
	if err != nil {
		return false, dbError(op, "", err)
	}
	db.done.wake(s.ID)
	return true, nil
}

// JudgeFailures counts the submissions the judge gave up on, by reason: "failed" (the judge
// broke on every attempt) and "crashed" (quarantined: its workers died on every attempt).
func (db *DB) JudgeFailures(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		Reason string
		N      int64
	}
	err := db.read.WithContext(ctx).Model(&failureRow{}).Select("reason, count(*) AS n").Group("reason").Scan(&rows).Error
	if err != nil {
		return nil, dbError("store.JudgeFailures", "", err)
	}
	counts := map[string]int64{failureFailed: 0, failureCrashed: 0}
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
