package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gradjudge/store"
)

// workerConfig is the configuration of `gradjudge worker`.
type workerConfig struct {
	dbConfig
	queueConfig
	judgeConfig
	Catalog         string // a catalog directory; empty: the embedded catalog
	ShutdownTimeout time.Duration
	LogLevel        string
}

func runWorker(ctx context.Context, s stdio, args []string) int {
	c := workerConfig{dbConfig: newDBConfig("worker", workerMaxConns), queueConfig: defaultQueueConfig(),
		ShutdownTimeout: 30 * time.Second, LogLevel: "info", judgeConfig: judgeConfig{Code: true}}
	fs := newFlagSet(s, "worker", "[flags]", `
Judges queued submissions and serves nothing: run several against one PostgreSQL database (with
'gradjudge serve --no-workers' for the API) to judge on more machines. It migrates the database at
start. Each worker holds a lease on the jobs it runs, renewed every --heartbeat; the jobs of a
worker silent for --lease-timeout are taken back by the others. On SIGINT or SIGTERM it stops
taking jobs and finishes the judgings in flight, up to --shutdown-timeout; what is left then goes
back to the queue, is logged, and the exit status is still 0.`)
	dbFlags(fs, &c.dbConfig)
	catalogFlag(fs, &c.Catalog)
	queueFlags(fs, &c.queueConfig)
	judgeFlags(fs, &c.judgeConfig)
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "how long shutdown waits for judgings in flight before it puts them back in the queue")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error")
	if code, ok := parseCommand(s, "worker", fs, args); !ok {
		return code
	}
	if err := errors.Join(c.dbConfig.check(), c.queueConfig.check()); err != nil {
		fmt.Fprintf(s.err, "gradjudge worker: %v\n", err)
		return 2
	}
	if err := work(ctx, s, c); err != nil {
		fmt.Fprintf(s.err, "gradjudge worker: %v\n", err)
		return 1
	}
	return 0
}

// work runs the workers until ctx ends, then drains them.
func work(ctx context.Context, s stdio, c workerConfig) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	log := slog.New(slog.NewJSONHandler(s.err, &slog.HandlerOptions{Level: level}))
	cat, err := openCatalog(ctx, c.Catalog)
	if err != nil {
		return fmt.Errorf("load exercises: %w", err)
	}
	j, code, err := newJudge(ctx, cat, c.judgeConfig, log)
	if err != nil {
		return err
	}
	if code != nil {
		defer code.Close()
	}
	learner, err := newLearner(cat)
	if err != nil {
		return err
	}
	sc := c.storeConfig()
	sc.Logger, sc.Learner, sc.RunsWorkers = log, learner, true
	db, err := store.Open(ctx, sc)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	wc := c.workerConfig(j)
	wc.CodeWorkers, wc.Logger = c.CodeWorkers, log
	w, err := db.StartWorkers(ctx, wc)
	if err != nil {
		return err
	}
	log.Info("judging", "database", db.Dialect(), "worker", w.ID, "db_max_conns", c.DBMaxConns)
	<-ctx.Done()
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.ShutdownTimeout)
	defer cancel()
	requeued, err := w.Stop(stop)
	logRequeued(log, requeued)
	log.Info("stopped")
	return err
}

// logRequeued logs the judgings a shutdown deadline put back in the queue, if any: expected, but
// an operator sees which submissions wait for another worker.
func logRequeued(log *slog.Logger, requeued []int64) {
	if len(requeued) > 0 {
		log.Info("shutdown put unfinished judgings back in the queue", "count", len(requeued), "submissions", requeued)
	}
}
