package app

import (
	"context"
	"testing"

	"gradjudge"
	"gradjudge/internal/regrade"
)

// recordingRegrades is a Regrades whose one run belongs to course, recording what it is asked
// to finish.
type recordingRegrades struct {
	course   int64
	finished []int64
}

func (r *recordingRegrades) StartRegrade(context.Context, regrade.Request) (regrade.Run, error) {
	return regrade.Run{}, gradjudge.Errorf(gradjudge.EINTERNAL, "not in this test")
}

func (r *recordingRegrades) RegradeReport(_ context.Context, id int64) (regrade.Report, error) {
	return regrade.Report{Run: regrade.Run{ID: id, Request: regrade.Request{ExerciseID: "num", CourseID: r.course}}}, nil
}

func (r *recordingRegrades) FinishRegrade(_ context.Context, id int64) (bool, error) {
	r.finished = append(r.finished, id)
	return true, nil
}

// TestRegradeReportOfAnotherCourseChangesNothing: asking a course for the report of another
// course's run is not found and marks nothing finished (it did: the run was finished before
// its course was checked).
func TestRegradeReportOfAnotherCourseChangesNothing(t *testing.T) {
	rec := &recordingRegrades{}
	f := newFixture(t, func(d *Deps) { d.Regrades = rec })
	rec.course = f.course.ID + 1
	_, err := f.app.RegradeReport(t.Context(), f.visit(t, f.inst), 7)
	wantCode(t, "another course's run", err, gradjudge.ENOTFOUND)
	if len(rec.finished) != 0 {
		t.Errorf("finished %v, want nothing: the run is not this course's", rec.finished)
	}
	rec.course = f.course.ID
	if _, err := f.app.RegradeReport(t.Context(), f.visit(t, f.inst), 7); err != nil || len(rec.finished) != 1 {
		t.Errorf("own run: %v, finished %v; want it finished once", err, rec.finished)
	}
}
