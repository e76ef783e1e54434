package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"gradjudge"
	"gradjudge/migrations"
)

// Defaults of the worker lease (WorkerConfig.Heartbeat and LeaseTimeout). A worker process that
// stops beating for LeaseTimeout has its running jobs taken back by a live one: at most
// LeaseTimeout plus one Heartbeat after a SIGKILL, plus a fetch, the job is being judged again.
const (
	DefaultHeartbeat    = 2 * time.Second
	DefaultLeaseTimeout = 10 * time.Second
	// forgetWorkersAfter is when a worker's row goes: long after its lease, by when its jobs
	// have been taken back.
	forgetWorkersAfter = time.Hour
)

// workerRow is a row of judge_workers: one worker process, which renews HeartbeatAt while alive.
// Its ID is the River client id that River writes into river_job.attempted_by.
type workerRow struct {
	ID          string `gorm:"primaryKey"`
	Host        string
	StartedAt   time.Time
	HeartbeatAt time.Time
}

func (workerRow) TableName() string { return "judge_workers" }

// newWorkerID is a River client id unique across processes and restarts: host, pid and randomness.
func newWorkerID() (string, error) {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	host, _ := os.Hostname()
	return fmt.Sprintf("%s_%d_%s", strings.ReplaceAll(host, ".", "_"), os.Getpid(), hex.EncodeToString(b)), nil
}

// lease keeps one worker process's registration alive and takes back the jobs of workers whose
// registration lapsed.
type lease struct {
	db      *DB
	id      string
	every   time.Duration
	timeout time.Duration
	now     func() time.Time
	log     *slog.Logger
	stop    chan struct{}
	stopped sync.Once
	done    sync.WaitGroup
}

// register writes the worker's row: from now on its jobs are its own while it beats.
func (l *lease) register(ctx context.Context) error {
	now := l.now().UTC()
	host, _ := os.Hostname()
	row := workerRow{ID: l.id, Host: host, StartedAt: now, HeartbeatAt: now}
	if err := l.db.gorm.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store: register worker: %w", err)
	}
	return nil
}

// run beats and sweeps every l.every until stopped.
func (l *lease) run() {
	l.stop = make(chan struct{})
	l.done.Go(func() {
		t := time.NewTicker(l.every)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-t.C:
				l.tick()
			}
		}
	})
}

// tick renews the heartbeat, then takes back the jobs of lapsed workers. A failure is logged and
// retried at the next tick: a database busy for a moment must not stop the worker.
func (l *lease) tick() {
	ctx, cancel := context.WithTimeout(context.Background(), l.timeout)
	defer cancel()
	if err := l.beat(ctx); err != nil {
		l.log.Warn("worker heartbeat failed", "worker", l.id, "err", err)
		return
	}
	if _, err := l.db.takeBack(ctx, l.now().UTC().Add(-l.timeout), l.log); err != nil {
		l.log.Warn("taking back the jobs of stopped workers failed", "err", err)
	}
	if err := l.db.finishDiscarded(ctx, l.log); err != nil {
		l.log.Warn("finishing discarded judging jobs failed", "err", err)
	}
}

// beat renews the heartbeat, registering again if the row was forgotten meanwhile.
func (l *lease) beat(ctx context.Context) error {
	res := l.db.gorm.WithContext(ctx).Model(&workerRow{}).Where("id = ?", l.id).Update("heartbeat_at", l.now().UTC())
	if res.Error != nil || res.RowsAffected == 1 {
		return res.Error
	}
	return l.register(ctx)
}

// close stops the beating and removes the worker's row: its jobs are all back in the queue or
// done by then. Closing twice is harmless.
func (l *lease) close(ctx context.Context) error {
	l.stopped.Do(func() {
		if l.stop != nil {
			close(l.stop)
		}
	})
	l.done.Wait()
	return l.db.gorm.WithContext(ctx).Delete(&workerRow{ID: l.id}).Error
}

// staleJob is a judging job left running by a worker that stopped beating.
type staleJob struct {
	ID           int64
	Attempt      int
	MaxAttempts  int
	SubmissionID int64
	Status       string // the submission's status
	Worker       string
}

// Dialect-specific SQL of takeBack: the last worker that fetched a job (River appends each
// fetcher's client id to attempted_by) and the submission a job judges.
var (
	lastWorkerSQL = map[migrations.Dialect]string{
		migrations.Postgres: "j.attempted_by[array_length(j.attempted_by, 1)]",
		migrations.SQLite:   "json_extract(j.attempted_by, '$[#-1]')",
	}
	jobSubmissionSQL = map[migrations.Dialect]string{
		migrations.Postgres: "(j.args->>'submission_id')::bigint",
		migrations.SQLite:   "json_extract(j.args, '$.submission_id')",
	}
)

// staleJobsSQL selects the judging jobs running under a worker registered with a heartbeat older
// than a cutoff, or with stale false under any worker (the restart of the only process). A worker
// that never registered (a version without leases) is left to River's rescuer.
func (db *DB) staleJobsSQL(stale bool) string {
	worker := lastWorkerSQL[db.dialect]
	q := `SELECT j.id, j.attempt, j.max_attempts, s.id AS submission_id, s.status, COALESCE(` + worker + `, '') AS worker
		FROM river_job j JOIN submissions s ON s.id = ` + jobSubmissionSQL[db.dialect] + `
		WHERE j.state = 'running' AND j.kind = ?`
	if stale {
		q += ` AND EXISTS (SELECT 1 FROM judge_workers w WHERE w.id = ` + worker + ` AND w.heartbeat_at < ?)`
	}
	return q
}

// sqlNow is the database's clock in River's format, for River's own columns.
func (db *DB) sqlNow() string {
	if db.dialect == migrations.Postgres {
		return "now()"
	}
	return "datetime('now', 'subsec')"
}

// takeBack finds the judging jobs left running by workers whose heartbeat is older than cutoff
// (every running job when cutoff is zero) and ends each: a job whose verdict is committed is
// marked completed, never judged again; one with attempts left goes back to the queue; one whose
// workers died on every attempt gets the final verdict and its answer is quarantined. It logs
// what it took back at WARN (a worker crashed) and returns how many jobs it took.
func (db *DB) takeBack(ctx context.Context, cutoff time.Time, log *slog.Logger) (int, error) {
	if err := db.takeBackRegrades(ctx, cutoff); err != nil {
		return 0, err
	}
	args := []any{judgeArgs{}.Kind()}
	if !cutoff.IsZero() {
		args = append(args, cutoff)
	}
	var jobs []staleJob
	if err := db.gorm.WithContext(ctx).Raw(db.staleJobsSQL(!cutoff.IsZero()), args...).Scan(&jobs).Error; err != nil {
		return 0, fmt.Errorf("store: find jobs of stopped workers: %w", err)
	}
	var requeued, completed, quarantined []int64
	workers := map[string]bool{}
	for _, j := range jobs {
		took, err := db.takeBackJob(ctx, j)
		if err != nil {
			return len(requeued) + len(completed) + len(quarantined), err
		}
		workers[j.Worker] = true
		switch took {
		case tookRequeued:
			requeued = append(requeued, j.SubmissionID)
		case tookCompleted:
			completed = append(completed, j.SubmissionID)
		case tookQuarantined:
			quarantined = append(quarantined, j.SubmissionID)
		}
	}
	n := len(requeued) + len(completed) + len(quarantined)
	if n > 0 {
		log.Warn("took back the judging jobs of stopped workers", "count", n, "workers", slices.Sorted(maps.Keys(workers)),
			"requeued", requeued, "already_judged", completed, "quarantined", quarantined)
	}
	return n, db.forgetWorkers(ctx, cutoff)
}

// What takeBackJob did with a job.
const (
	tookNothing = iota // another worker took it first
	tookRequeued
	tookCompleted
	tookQuarantined
)

func (db *DB) takeBackJob(ctx context.Context, j staleJob) (int, error) {
	switch {
	case j.Status == string(gradjudge.SubmissionDone):
		return db.setJobState(ctx, j.ID, "completed", tookCompleted)
	case j.Attempt < j.MaxAttempts:
		return db.setJobState(ctx, j.ID, "available", tookRequeued)
	}
	s, err := db.Submission(ctx, j.SubmissionID)
	if err != nil {
		return tookNothing, err
	}
	if _, err := db.giveUp(ctx, s, failureCrashed, j.Attempt); err != nil {
		return tookNothing, err
	}
	return db.setJobState(ctx, j.ID, "completed", tookQuarantined)
}

// setJobState moves job id from running to state (completed or available), returning took when
// it did and tookNothing when the job was no longer running.
func (db *DB) setJobState(ctx context.Context, id int64, state string, took int) (int, error) {
	finalized := "NULL"
	if state == "completed" {
		finalized = db.sqlNow()
	}
	res := db.gorm.WithContext(ctx).Exec("UPDATE river_job SET state = ?, finalized_at = "+finalized+
		" WHERE id = ? AND state = 'running'", state, id)
	if res.Error != nil {
		return tookNothing, fmt.Errorf("store: take back job %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return tookNothing, nil
	}
	return took, nil
}

// forgetWorkers deletes the rows of workers silent for forgetWorkersAfter.
func (db *DB) forgetWorkers(ctx context.Context, cutoff time.Time) error {
	if cutoff.IsZero() {
		return nil
	}
	err := db.gorm.WithContext(ctx).Where("heartbeat_at < ?", cutoff.Add(-forgetWorkersAfter)).Delete(&workerRow{}).Error
	if err != nil {
		return fmt.Errorf("store: forget stopped workers: %w", err)
	}
	return nil
}
