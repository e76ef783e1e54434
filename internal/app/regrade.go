package app

import (
	"context"

	"gradjudge"
	"gradjudge/exercises"
	"gradjudge/judge"
	"gradjudge/store"
)

// Regrades starts regrade runs and reports on them; store.DB implements it. The judging workers
// (store.StartWorkers) work the runs' jobs.
type Regrades interface {
	StartRegrade(ctx context.Context, r store.RegradeRequest) (store.Regrade, error)
	RegradeReport(ctx context.Context, id int64) (store.RegradeReport, error)
	FinishRegrade(ctx context.Context, id int64) (bool, error)
}

// lookups is the compiled side of a catalog that names an exercise's file version.
type lookups interface {
	Lookup(id string) (*exercises.Exercise, error)
}

// Regrade starts (or resumes) a regrade of the course's answers to exercise id against the
// exercise's current version, for the course's instructors; dryRun only reports. The server's
// judging workers do the judging; RegradeReport follows it.
func (a *App) Regrade(ctx context.Context, v Visit, id string, dryRun bool) (store.Regrade, error) {
	if err := v.RequireInstructor(); err != nil {
		return store.Regrade{}, err
	}
	e, err := a.CourseExercise(v.Course, id)
	if err != nil {
		return store.Regrade{}, err
	}
	cat, ok := a.d.Catalog.(lookups)
	if !ok || a.d.Regrades == nil {
		return store.Regrade{}, gradjudge.Errorf(gradjudge.EINTERNAL, "regrading is not available on this server")
	}
	ce, err := cat.Lookup(e.ID)
	if err != nil {
		return store.Regrade{}, err
	}
	return a.d.Regrades.StartRegrade(ctx, store.RegradeRequest{ExerciseID: e.ID, Kind: e.Kind, CourseID: v.Course.ID,
		Version: judge.ExerciseVersion(ce), DryRun: dryRun, RequestedBy: v.User.ID})
}

// RegradeReport reports regrade run id of the course, for its instructors; a run of another
// course is not found. A run whose submissions are all judged is marked finished.
func (a *App) RegradeReport(ctx context.Context, v Visit, id int64) (store.RegradeReport, error) {
	if err := v.RequireInstructor(); err != nil {
		return store.RegradeReport{}, err
	}
	if a.d.Regrades == nil {
		return store.RegradeReport{}, gradjudge.Errorf(gradjudge.EINTERNAL, "regrading is not available on this server")
	}
	if _, err := a.d.Regrades.FinishRegrade(ctx, id); err != nil && gradjudge.ErrorCode(err) != gradjudge.ENOTFOUND {
		return store.RegradeReport{}, err
	}
	rep, err := a.d.Regrades.RegradeReport(ctx, id)
	if gradjudge.ErrorCode(err) == gradjudge.ENOTFOUND || (err == nil && rep.Request.CourseID != v.Course.ID) {
		return store.RegradeReport{}, gradjudge.Errorf(gradjudge.ENOTFOUND, "regrade not found")
	}
	return rep, err
}
