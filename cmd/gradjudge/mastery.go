package main

import (
	"context"
	"fmt"

	"gradjudge/exercises"
	"gradjudge/internal/mastery"
	"gradjudge/judge"
	"gradjudge/judge/code"
	"gradjudge/store"
)

func runMastery(ctx context.Context, s stdio, args []string) int {
	return runGroup(ctx, s, "usage: gradjudge mastery fit --course N [--dry-run]",
		map[string]func(context.Context, stdio, []string) int{"fit": runMasteryFit}, args)
}

func runMasteryFit(ctx context.Context, s stdio, args []string) int {
	c := newDBConfig("mastery", toolMaxConns)
	var course int64
	var dryRun bool
	fs := newFlagSet(s, "mastery fit", "--course N [flags]", fmt.Sprintf(`
Fits the learner model's parameters (Bayesian Knowledge Tracing: prior, learn, guess, slip per
concept) to the course's own judged submissions, holding out %d%% of its students to measure the
fit: the log-likelihood per answer and the AUC, against the defaults'. A concept needs %d students
with two or more answers and %d answers to be fitted; the others keep the defaults. The fitted
parameters are stored and every student's model is recomputed under them, which also resolves
misconceptions shown before the model existed. --dry-run prints the fit and changes nothing.`,
		mastery.HeldOutPercent, mastery.MinFitStudents, mastery.MinFitObservations))
	dbFlags(fs, &c)
	fs.Int64Var(&course, "course", 0, "the course's id (required)")
	fs.BoolVar(&dryRun, "dry-run", false, "print the fit, store nothing")
	if code, ok := parseCommand(s, "mastery fit", fs, args); !ok {
		return code
	}
	if course <= 0 {
		fmt.Fprintln(s.err, "gradjudge mastery fit: --course N is required")
		return 2
	}
	cat, ok := loadCatalogFlag(ctx, s, "mastery fit", "")
	if !ok {
		return 1
	}
	err := withDB(ctx, c, func(db *store.DB) error {
		m, err := newLearner(cat)
		if err != nil {
			return err
		}
		r, err := m.FitCourse(ctx, db, course, dryRun)
		if err != nil {
			return err
		}
		return r.Write(s.out)
	})
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge mastery fit: %s\n", cliMessage(err))
		return 1
	}
	return 0
}

// newLearner returns the learner model over cat, told what variants tell apart by a judge of its
// own (which needs no code judge: a code exercise's cases are computed, not run).
func newLearner(cat *exercises.Catalog) (*mastery.Model, error) {
	j, err := judge.New(cat, nil)
	if err != nil {
		return nil, err
	}
	var concepts []mastery.Concept
	for _, c := range cat.Concepts() {
		concepts = append(concepts, mastery.Concept{ID: c.ID, Title: c.Title})
	}
	return mastery.New(mastery.Config{Catalog: cat, Variants: code.Variants{Catalog: cat, Judge: j}, Concepts: concepts})
}
