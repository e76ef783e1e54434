package app

import (
	"context"

	"gradjudge"
	"gradjudge/internal/regrade"
)

// Regrades starts regrade runs and reports on them; store.DB implements it. The judging workers
// (store.StartWorkers) work the runs' jobs.
type Regrades interface {
	StartRegrade(ctx context.Context, r regrade.Request) (regrade.Run, error)
	RegradeReport(ctx context.Context, id int64) (regrade.Report, error)
	FinishRegrade(ctx context.Context, id int64) (bool, error)
}

var errNoRegrades = gradjudge.Errorf(gradjudge.EINTERNAL, "regrading is not available on this server")

// Regrade starts (or resumes) a regrade of the course's answers to exercise id against the
// exercise's current version (Deps.ExerciseVersion), for the course's instructors; dryRun only
// reports. The server's judging workers do the judging; RegradeReport follows it.
func (a *App) Regrade(ctx context.Context, v Visit, id string, dryRun bool) (regrade.Run, error) {
	if err := v.RequireInstructor(); err != nil {
		return regrade.Run{}, err
	}
	e, err := a.CourseExercise(v.Course, id)
	if err != nil {
		return regrade.Run{}, err
	}
	if a.d.Regrades == nil || a.d.ExerciseVersion == nil {
		return regrade.Run{}, errNoRegrades
	}
	version, err := a.d.ExerciseVersion(e.ID)
	if err != nil {
		return regrade.Run{}, err
	}
	return a.d.Regrades.StartRegrade(ctx, regrade.Request{ExerciseID: e.ID, Kind: e.Kind, CourseID: v.Course.ID,
		Version: version, DryRun: dryRun, RequestedBy: v.User.ID})
}

// RegradeReport reports regrade run id of the course, for its instructors; a run of another
// course is not found, and is left as it is. A run of the course whose submissions are all
// judged is marked finished.
func (a *App) RegradeReport(ctx context.Context, v Visit, id int64) (regrade.Report, error) {
	if err := v.RequireInstructor(); err != nil {
		return regrade.Report{}, err
	}
	if a.d.Regrades == nil {
		return regrade.Report{}, errNoRegrades
	}
	rep, err := a.d.Regrades.RegradeReport(ctx, id)
	if gradjudge.ErrorCode(err) == gradjudge.ENOTFOUND || (err == nil && rep.Request.CourseID != v.Course.ID) {
		return regrade.Report{}, gradjudge.Errorf(gradjudge.ENOTFOUND, "regrade not found")
	}
	if err != nil || rep.FinishedAt != nil {
		return rep, err
	}
	if finished, err := a.d.Regrades.FinishRegrade(ctx, id); err != nil || !finished {
		return rep, err
	}
	return a.d.Regrades.RegradeReport(ctx, id)
}
