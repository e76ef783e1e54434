package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gradjudge/store"
)

// workerConfig is the configuration of `gradjudge worker`.
type workerConfig struct {
	dbConfig
	judgeConfig
	Catalog         string // a catalog directory; empty: the embedded catalog
	Workers         int
	ShutdownTimeout time.Duration
	LogLevel        string
}

func runWorker(ctx context.Context, s stdio, args []string) int {
	c := workerConfig{ShutdownTimeout: 30 * time.Second, LogLevel: "info", judgeConfig: judgeConfig{Code: true}}
	fs := newFlagSet(s, "worker", "[flags]", `
Judges queued submissions and serves nothing: run several against one PostgreSQL database (with
'gradjudge serve --no-workers' for the API) to judge on more machines. It migrates the database at
start. On SIGINT or SIGTERM it stops taking jobs and finishes the judgings in flight, up to
--shutdown-timeout; what is left then goes back to the queue.`)
	dbFlags(fs, &c.dbConfig)
	catalogFlag(fs, &c.Catalog)
	fs.IntVar(&c.Workers, "workers", 0, "numeric judging workers (0: 4×GOMAXPROCS)")
	judgeFlags(fs, &c.judgeConfig)
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "how long shutdown waits for judgings in flight")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error")
	if code, ok := parseCommand(s, "worker", fs, args); !ok {
		return code
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
	db, err := store.Open(ctx, store.Config{DataDir: c.DataDir, DatabaseURL: c.DatabaseURL, Logger: log})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	w, err := db.StartWorkers(ctx, store.WorkerConfig{Judge: j, NumericWorkers: c.Workers, CodeWorkers: c.CodeWorkers, Logger: log})
	if err != nil {
		return err
	}
	log.Info("judging", "database", db.Dialect())
	<-ctx.Done()
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.ShutdownTimeout)
	defer cancel()
	err = w.Stop(stop)
	log.Info("stopped")
	return err
}
