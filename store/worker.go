package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"gradjudge"
	"gradjudge/migrations"
)

// Defaults of WorkerConfig.
const (
	DefaultJobTimeout         = 2 * time.Minute
	DefaultNumericWorkers     = 64
	DefaultFetchCooldown      = 5 * time.Millisecond
	DefaultSQLitePollInterval = 10 * time.Millisecond
	busySnooze                = time.Second // how long a job waits when the judge says it is busy
)

// DefaultRetryDelay waits attempt² seconds: 1 s, 4 s, 9 s, 16 s.
func DefaultRetryDelay(attempt int) time.Duration {
	return time.Duration(attempt*attempt) * time.Second
}

// WorkerConfig configures the judging workers of one process.
type WorkerConfig struct {
	// Judge grades submissions; required.
	Judge gradjudge.Judge
	// NumericWorkers and CodeWorkers are how many numeric and code submissions this process
	// judges at once. Defaults: DefaultNumericWorkers (numeric judging takes microseconds of CPU
	// and mostly waits for commits, which group commit shares) and GOMAXPROCS.
	NumericWorkers, CodeWorkers int
	// JobTimeout bounds one judging; its context is cancelled after it. Default DefaultJobTimeout.
	JobTimeout time.Duration
	// Heartbeat is how often this process renews its lease on the jobs it runs and looks for
	// jobs of workers whose lease lapsed; default DefaultHeartbeat.
	Heartbeat time.Duration
	// LeaseTimeout is how long a worker may miss its heartbeats before a live worker takes back
	// its running jobs: the recovery from a killed or frozen worker process. Longer than
	// Heartbeat (default DefaultLeaseTimeout, at least three heartbeats): a live worker whose
	// beats all fail for that long sees its jobs judged again elsewhere, harmlessly (one verdict
	// is kept) but at a cost.
	LeaseTimeout time.Duration
	// RescueAfter is how long a job may stay running before River's own rescuer takes it over:
	// the fallback for jobs of workers that never registered a lease. Default JobTimeout plus
	// one minute.
	RescueAfter time.Duration
	// ReclaimOnStart takes back every job left running by an earlier process at start, so that
	// judging interrupted by a crash resumes at once instead of after LeaseTimeout. Set it only
	// where no other process works this database's jobs (serve on its own SQLite file).
	ReclaimOnStart bool
	// Now is the clock of heartbeats; default time.Now. Every worker process of one database
	// compares its clock with the others' heartbeats: keep them synchronized (NTP) well within
	// LeaseTimeout.
	Now func() time.Time
	// FetchCooldown is the least time between two fetches of jobs; default
	// DefaultFetchCooldown. Smaller fetches sooner and costs more queries.
	FetchCooldown time.Duration
	// FetchPollInterval is how often workers look for jobs when no insert notification came.
	// Default: on PostgreSQL River's 1 s, since LISTEN/NOTIFY makes fetches immediate; on SQLite
	// DefaultSQLitePollInterval, since River's SQLite notifications are themselves polled
	// every 50 ms, which would bound a client that waits for its verdict to ~20 per second.
	FetchPollInterval time.Duration
	// RetryDelay is how long a submission waits after attempt failed (the judge broke) before
	// the next; default DefaultRetryDelay.
	RetryDelay func(attempt int) time.Duration
	// Logger receives a line per broken judging; default the store's logger.
	Logger *slog.Logger
}

// Workers is a running pool of judging workers. Stop it before closing the DB.
type Workers struct {
	// ID is the worker's id in judge_workers and River's attempted_by.
	ID            string
	lease         *lease
	requeued      *requeued
	stop          func(context.Context) error
	stopAndCancel func(context.Context) error
	// subscribe is River's Client.Subscribe: tests wait on job events with it instead of polling.
	subscribe func(kinds ...river.EventKind) (<-chan *river.Event, func())
}

// StartWorkers starts judging queued submissions. It returns once the workers run; they keep
// running, independent of ctx, until Stop.
func (db *DB) StartWorkers(ctx context.Context, cfg WorkerConfig) (*Workers, error) {
	if cfg.Judge == nil {
		return nil, errors.New("store: StartWorkers needs a Judge")
	}
	cfg = workerDefaults(cfg, db.cfg.Logger)
	if cfg.FetchPollInterval <= 0 && db.dialect == migrations.SQLite {
		cfg.FetchPollInterval = DefaultSQLitePollInterval
	}
	l, err := db.startLease(ctx, cfg)
	if err != nil {
		return nil, err
	}
	workers := river.NewWorkers()
	w := &judgeWorker{db: db, judge: cfg.Judge, log: cfg.Logger, retryDelay: cfg.RetryDelay, requeued: &requeued{}}
	if err := river.AddWorkerSafely(workers, w); err != nil {
		return nil, fmt.Errorf("store: workers: %w", err)
	}
	if err := river.AddWorkerSafely(workers, &regradeWorker{db: db, judge: cfg.Judge}); err != nil {
		return nil, fmt.Errorf("store: workers: %w", err)
	}
	rc := &river.Config{
		ID:                   l.id,
		Logger:               db.cfg.Logger,
		MaxAttempts:          judgeMaxAttempts,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		FetchCooldown:        cfg.FetchCooldown,
		FetchPollInterval:    cfg.FetchPollInterval,
		Queues: map[string]river.QueueConfig{
			QueueNumeric: {MaxWorkers: cfg.NumericWorkers},
			QueueCode:    {MaxWorkers: cfg.CodeWorkers},
		},
		Workers: workers,
	}
	var ws *Workers
	if db.dialect == migrations.Postgres {
		ws, err = startClient(ctx, riverpgxv5.New(db.pool), rc)
	} else {
		ws, err = startClient(ctx, riversqlite.New(db.sql), rc)
	}
	if err != nil {
		return nil, errors.Join(err, l.close(context.WithoutCancel(ctx)))
	}
	ws.ID, ws.lease, ws.requeued = l.id, l, w.requeued
	l.run()
	return ws, nil
}

// startLease registers this process's workers and, with ReclaimOnStart, takes back every job an
// earlier process left running.
func (db *DB) startLease(ctx context.Context, cfg WorkerConfig) (*lease, error) {
	id, err := newWorkerID()
	if err != nil {
		return nil, fmt.Errorf("store: worker id: %w", err)
	}
	l := &lease{db: db, id: id, every: cfg.Heartbeat, timeout: cfg.LeaseTimeout, now: cfg.Now, log: cfg.Logger}
	if err := l.register(ctx); err != nil {
		return nil, err
	}
	if cfg.ReclaimOnStart {
		if _, err := db.takeBack(ctx, time.Time{}, cfg.Logger); err != nil {
			return nil, errors.Join(err, l.close(ctx))
		}
	}
	return l, nil
}

func workerDefaults(cfg WorkerConfig, log *slog.Logger) WorkerConfig {
	n := runtime.GOMAXPROCS(0)
	if cfg.NumericWorkers <= 0 {
		cfg.NumericWorkers = DefaultNumericWorkers
	}
	if cfg.CodeWorkers <= 0 {
		cfg.CodeWorkers = n
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = DefaultJobTimeout
	}
	if cfg.RescueAfter <= cfg.JobTimeout {
		cfg.RescueAfter = cfg.JobTimeout + time.Minute
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = DefaultHeartbeat
	}
	if cfg.LeaseTimeout < 3*cfg.Heartbeat {
		cfg.LeaseTimeout = max(DefaultLeaseTimeout, 3*cfg.Heartbeat)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.FetchCooldown <= 0 {
		cfg.FetchCooldown = DefaultFetchCooldown
	}
	if cfg.RetryDelay == nil {
		cfg.RetryDelay = DefaultRetryDelay
	}
	if cfg.Logger == nil {
		cfg.Logger = log
	}
	return cfg
}

func startClient[TTx any](ctx context.Context, d riverdriver.Driver[TTx], rc *river.Config) (*Workers, error) {
	c, err := river.NewClient(d, rc)
	if err != nil {
		return nil, fmt.Errorf("store: workers: %w", err)
	}
	// Not ctx itself: cancelling Start's context would cancel running judgings instead of letting
	// Stop drain them.
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, fmt.Errorf("store: start workers: %w", err)
	}
	return &Workers{stop: c.Stop, stopAndCancel: c.StopAndCancel, subscribe: c.Subscribe}, nil
}

// Stop stops fetching jobs and waits for the judgings in flight to finish and be recorded. When
// ctx ends first, it cancels them and waits for them to return: their jobs go back to the queue,
// without using an attempt, for another worker or the next start. It returns the submissions so
// put back; ctx ending is not an error, only a failure to stop or to leave the worker registry.
func (w *Workers) Stop(ctx context.Context) (requeued []int64, err error) {
	if err = w.stop(ctx); err != nil && ctx.Err() != nil {
		// The judge honours cancellation, so this wait is short; bound it anyway.
		hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		err = w.stopAndCancel(hard)
	}
	// Leaving the registry needs the database once more, whatever ctx says.
	done, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return w.requeued.list(), errors.Join(err, w.lease.close(done))
}
