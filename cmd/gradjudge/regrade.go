package main

import (
	"context"
	"errors"
	"fmt"
	"gradjudge/internal/regrade"
	"io"
	"log/slog"
	"strings"
	"time"

	"gradjudge/judge"
	"gradjudge/store"
)

// regradeProgressEvery is how often `gradjudge regrade` redraws its progress bar.
const regradeProgressEvery = 250 * time.Millisecond

// regradeConfig is the configuration of `gradjudge regrade`.
type regradeConfig struct {
	dbConfig
	judgeConfig
	Catalog    string
	ExerciseID string
	CourseID   int64
	DryRun     bool
	Workers    int
	LogLevel   string
}

func runRegrade(ctx context.Context, s stdio, args []string) int {
	c := regradeConfig{LogLevel: "warn", judgeConfig: judgeConfig{Code: true}}
	fs := newFlagSet(s, "regrade", "--exercise ID [--course N] [--dry-run] [flags]", `
Judges the stored answers to an exercise again, against its current version, through the judging
queue: the answers whose verdict was judged against another version of the exercise file or of the
judge. The new verdict becomes current and the old one is kept as history; each student's progress
follows. Prints a progress bar, then a report: how many verdicts changed, in which direction, and
whose course grade moved under the course's policy. --dry-run judges and reports without changing
any verdict. A regrade stopped halfway (a crash, ^C) resumes where it stopped when the same command
runs again; a finished one leaves nothing to do. Judging runs in this process (and in any
'gradjudge worker' of the same PostgreSQL database); do not run it beside 'gradjudge serve' on the
same SQLite file.`)
	dbFlags(fs, &c.dbConfig)
	judgeFlags(fs, &c.judgeConfig)
	catalogFlag(fs, &c.Catalog)
	fs.StringVar(&c.ExerciseID, "exercise", "", "the exercise to regrade")
	fs.Int64Var(&c.CourseID, "course", 0, "regrade only this course's answers (0: every course)")
	fs.BoolVar(&c.DryRun, "dry-run", false, "judge and report, keeping the current verdicts")
	fs.IntVar(&c.Workers, "workers", 0, "numeric judging workers (0: the store's default)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error")
	if code, ok := parseCommand(s, "regrade", fs, args); !ok {
		return code
	}
	if c.ExerciseID == "" {
		fs.Usage()
		return 2
	}
	rep, err := regradeToEnd(ctx, s, c)
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge regrade: %v\n", err)
		return 1
	}
	fmt.Fprint(s.out, rep.String())
	return 0
}

// regradeToEnd runs (or resumes) a regrade to its end and returns its report.
func regradeToEnd(ctx context.Context, s stdio, c regradeConfig) (regrade.Report, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return regrade.Report{}, fmt.Errorf("--log-level: %w", err)
	}
	log := slog.New(slog.NewJSONHandler(s.err, &slog.HandlerOptions{Level: level}))
	cat, err := openCatalog(ctx, c.Catalog)
	if err != nil {
		return regrade.Report{}, fmt.Errorf("load exercises: %w", err)
	}
	e, err := cat.Lookup(c.ExerciseID)
	if err != nil {
		return regrade.Report{}, err
	}
	j, code, err := newJudge(ctx, cat, c.judgeConfig, log)
	if err != nil {
		return regrade.Report{}, err
	}
	if code != nil {
		defer code.Close()
	}
	db, err := store.Open(ctx, store.Config{DataDir: c.DataDir, DatabaseURL: c.DatabaseURL, Logger: log})
	if err != nil {
		return regrade.Report{}, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return regrade.Report{}, err
	}
	run, err := db.StartRegrade(ctx, regrade.Request{ExerciseID: e.ID, Kind: e.Kind, CourseID: c.CourseID,
		Version: judge.ExerciseVersion(e), DryRun: c.DryRun})
	if err != nil {
		return regrade.Report{}, err
	}
	verb := "started"
	if run.Resumed {
		verb = "resumed"
	}
	fmt.Fprintf(s.err, "regrade %d %s: %d submissions of %s to judge against version %s\n", run.ID, verb, run.Total, e.ID, judge.ExerciseVersion(e))
	w, err := db.StartWorkers(ctx, store.WorkerConfig{Judge: j, NumericWorkers: c.Workers, CodeWorkers: c.CodeWorkers,
		ReclaimOnStart: c.DatabaseURL == "", Logger: log})
	if err != nil {
		return regrade.Report{}, err
	}
	err = waitRegrade(ctx, s.err, db, run.ID)
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, serr := w.Stop(stop) // what is put back waits in the queue for the next run
	err = errors.Join(err, serr)
	if err != nil {
		return regrade.Report{}, err
	}
	return db.RegradeReport(ctx, run.ID)
}

// waitRegrade draws a progress bar on w until run id is finished, or ctx ends (the run then
// resumes at the next start).
func waitRegrade(ctx context.Context, w io.Writer, db *store.DB, id int64) error {
	tick := time.NewTicker(regradeProgressEvery)
	defer tick.Stop()
	for {
		done, total, err := db.RegradeProgress(ctx, id)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\r%s", progressBar(done, total))
		if done == total {
			fmt.Fprintln(w)
			_, err := db.FinishRegrade(ctx, id)
			return err
		}
		select {
		case <-ctx.Done():
			fmt.Fprintln(w)
			return fmt.Errorf("stopped at %d of %d: run the same command again to resume: %w", done, total, ctx.Err())
		case <-tick.C:
		}
	}
}

// progressBar draws done of total as [#####.....] done/total pct%.
func progressBar(done, total int) string {
	const width = 40
	if total == 0 {
		return "[" + strings.Repeat("#", width) + "] 0/0 100%"
	}
	n := done * width / total
	return fmt.Sprintf("[%s%s] %d/%d %d%%", strings.Repeat("#", n), strings.Repeat(".", width-n), done, total, done*100/total)
}
