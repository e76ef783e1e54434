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
	if job.Attempt > 1 { // an identical answer may have crashed the workers since the first try
		if refused, err := w.db.refuseIfQuarantined(ctx, s); err != nil || refused {
			return err
		}
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
