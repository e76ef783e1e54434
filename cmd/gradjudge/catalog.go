package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"gradjudge/exercises"
	"gradjudge/judge"
	codejudge "gradjudge/judge/code"
)

// catalogCheckSeeds is how many seeds of every exercise a catalog directory is validated on
// before it serves, at start and at every reload: enough to catch an exercise whose reference
// answer or bug rules fail (a few seconds), not the full `exercises validate`.
const catalogCheckSeeds = 8

// watchInterval is how often `serve --watch` looks at the catalog directory's files.
const watchInterval = time.Second

// catalogFlag registers --catalog, which names a catalog directory, on fs.
func catalogFlag(fs *flag.FlagSet, dir *string) {
	fs.StringVar(dir, "catalog", *dir, "`directory` of an exercise catalog laid out as the embedded one: misconceptions.toml, catalog/ID.md, testdata/solutions/ID/*.go (empty: the catalog built into the binary)")
}

// commandCatalogFlag registers --catalog on the flag set of a command that reads no other
// environment variable; $GRADJUDGE_CATALOG gives its default.
func commandCatalogFlag(fs *flag.FlagSet) *string {
	dir, _ := osLookupEnv(envName("catalog"))
	catalogFlag(fs, &dir)
	f := fs.Lookup("catalog")
	f.Usage += " [$" + envName("catalog") + "]"
	return &dir
}

// openCatalog returns the catalog in directory dir, loaded and checked (checkCatalog), or the
// embedded one when dir is empty. Its error names the file, the line and the reason.
func openCatalog(ctx context.Context, dir string) (*exercises.Catalog, error) {
	if dir == "" {
		return exercises.Load()
	}
	c, err := exercises.LoadDir(dir)
	if err != nil {
		return nil, err
	}
	if err := checkCatalog(dir)(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// checkCatalog returns the check of a catalog loaded from dir: every exercise is validated on
// catalogCheckSeeds seeds as `exercises validate` does without building code (the reference
// answers accepted, every bug rule's answers tagged). Its error names the first file that fails.
func checkCatalog(dir string) exercises.CheckFunc {
	return func(ctx context.Context, c *exercises.Catalog) error {
		j, err := judge.New(c, nil)
		if err != nil {
			return err
		}
		rep := j.Validate(ctx, judge.ValidateOptions{Seeds: catalogCheckSeeds, CodeCases: codejudge.ValidateCases})
		var errs []error
		for _, e := range rep.Exercises {
			if e.Failures > 0 {
				file := filepath.Join(dir, filepath.FromSlash(strings.Replace(exercises.ExerciseGlob, "*", e.ID, 1)))
				errs = append(errs, &exercises.FileError{File: file,
					Err: fmt.Errorf("%d checks fail, first %s", e.Failures, strings.Join(e.Examples[:min(1, len(e.Examples))], ""))})
			}
		}
		return errors.Join(errs...)
	}
}

// loadCatalogFlag loads the catalog a command's --catalog names, reporting a failure on s.err.
func loadCatalogFlag(ctx context.Context, s stdio, cmd, dir string) (*exercises.Catalog, bool) {
	cat, err := openCatalog(ctx, dir)
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge %s: %v\n", cmd, err)
		return nil, false
	}
	return cat, true
}

// openCatalog loads the exercises (--catalog, or the embedded catalog) and, with --watch, starts
// reloading their directory.
func (m *Main) openCatalog(ctx context.Context) (*exercises.Live, error) {
	if m.Config.Watch && m.Config.Catalog == "" {
		return nil, errors.New("--watch needs --catalog DIR")
	}
	c, err := openCatalog(ctx, m.Config.Catalog)
	if err != nil {
		return nil, fmt.Errorf("load exercises: %w", err)
	}
	live := exercises.NewLive(c)
	if m.Config.Watch {
		return live, m.watch(live)
	}
	return live, nil
}

// watch reloads the catalog directory into live on every tick (WatchTicks, or every
// watchInterval) until Close.
func (m *Main) watch(live *exercises.Live) error {
	w, err := exercises.NewWatcher(m.Config.Catalog, live, checkCatalog(m.Config.Catalog))
	if err != nil {
		return err
	}
	ticks, stopTicker := m.WatchTicks, func() {}
	if ticks == nil {
		t := time.NewTicker(watchInterval)
		ticks, stopTicker = t.C, t.Stop
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx, ticks, m.logReload)
	}()
	m.stopWatch = func() { cancel(); <-done; stopTicker() }
	m.log.Info("watching the catalog", "dir", m.Config.Catalog, "every", watchInterval)
	return nil
}

// logReload logs what --watch did about a change of the catalog's files.
func (m *Main) logReload(r exercises.Reload) {
	if r.Err != nil {
		m.log.Warn("catalog change refused; the previous version keeps serving", "files", r.Changed, "reason", r.Err.Error())
		return
	}
	m.log.Info("catalog reloaded", "files", r.Changed)
}

// exerciseVersion names the current version of an exercise of the catalog serving now, for the
// core's regrades.
func exerciseVersion(cat *exercises.Live) func(string) (string, error) {
	return func(id string) (string, error) {
		e, err := cat.Lookup(id)
		if err != nil {
			return "", err
		}
		return judge.ExerciseVersion(e), nil
	}
}
