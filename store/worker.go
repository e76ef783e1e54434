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
	// RescueAfter is how long a job may stay running before another process takes it over: the
	// recovery from a crashed worker process. Default JobTimeout plus one minute.
	RescueAfter time.Duration
	// ReclaimOnStart makes every job left running by an earlier process available again at
	// start, so that judging interrupted by a crash resumes at once. Set it only where no other
	// process works this database's jobs (serve on its own SQLite file); elsewhere RescueAfter
	// does the same, later.
	ReclaimOnStart bool
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
	if cfg.ReclaimOnStart {
		if err := db.reclaimRunning(ctx); err != nil {
			return nil, err
		}
	}
	workers := river.NewWorkers()
	w := &judgeWorker{db: db, judge: cfg.Judge, log: cfg.Logger, retryDelay: cfg.RetryDelay}
	if err := river.AddWorkerSafely(workers, w); err != nil {
		return nil, fmt.Errorf("store: workers: %w", err)
	}
	if err := river.AddWorkerSafely(workers, &regradeWorker{db: db, judge: cfg.Judge}); err != nil {
		return nil, fmt.Errorf("store: workers: %w", err)
	}
	rc := &river.Config{
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
	if db.dialect == migrations.Postgres {
		return startClient(ctx, riverpgxv5.New(db.pool), rc)
	}
	return startClient(ctx, riversqlite.New(db.sql), rc)
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
// ctx ends first, it cancels them, waits for them to return (their jobs go back to the queue) and
// returns ctx's error.
func (w *Workers) Stop(ctx context.Context) error {
	err := w.stop(ctx)
	if err == nil {
		return nil
	}
	// The judge honours cancellation, so this wait is short; bound it anyway.
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return errors.Join(err, w.stopAndCancel(hard))
}

// reclaimRunning makes jobs left running by a dead process available again. River's own rescuer
// would do it after RescueAfter; this is the fast path for a single process restarting.
func (db *DB) reclaimRunning(ctx context.Context) error {
	err := db.gorm.WithContext(ctx).Exec(
		"UPDATE river_job SET state = 'available' WHERE state = 'running' AND kind IN (?, ?)", judgeArgs{}.Kind(), regradeArgs{}.Kind()).Error
	if err != nil {
		return fmt.Errorf("store: reclaim running jobs: %w", err)
	}
	return nil
}
