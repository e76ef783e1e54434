package app

import (
	"context"

	"gradjudge"
)

// Progress returns the progress of student userID in the visit's course: a visitor's own, or any
// student's for the course staff. Anyone else is forbidden whoever they name (so nothing is
// learnt of who exists); for the staff, a user who is not a student of the course is not found.
func (a *App) Progress(ctx context.Context, v Visit, userID int64) (gradjudge.Progress, error) {
	if userID != v.User.ID {
		if err := v.RequireStaff(); err != nil {
			return gradjudge.Progress{}, err
		}
		if err := a.requireStudent(ctx, v.Course.ID, userID); err != nil {
			return gradjudge.Progress{}, err
		}
	}
	o := a.Outline(v.Course)
	recs, _, err := a.gradedRecords(ctx, v.Course.ID, o.Exercises, []int64{userID})
	if err != nil {
		return gradjudge.Progress{}, err
	}
	return gradjudge.RollUpProgress(o, v.Course.ID, userID, recs), nil
}

// requireStudent refuses a user who is not enrolled in the course as a student.
func (a *App) requireStudent(ctx context.Context, courseID, userID int64) error {
	if userID <= 0 {
		return errStudentNotFound
	}
	role, err := a.d.Courses.CourseRole(ctx, courseID, userID)
	if err != nil {
		return err
	}
	if role != gradjudge.CourseStudent {
		return errStudentNotFound
	}
	return nil
}

// Gradebook is what a grades export shows: the course's exercises in order, every student's
// progress (by user id), the roster that names them, and the course grades under each exercise's
// assessment policy with the rule that computes them.
type Gradebook struct {
	Exercises []gradjudge.Exercise
	Students  []gradjudge.Progress
	Roster    []gradjudge.Enrollment
	Grades    Grades // every exercise's, under its policy (the students' progress carries the same)
}

// Gradebook returns the course's gradebook, for its staff.
func (a *App) Gradebook(ctx context.Context, v Visit) (Gradebook, error) {
	if err := v.RequireStaff(); err != nil {
		return Gradebook{}, err
	}
	o := a.Outline(v.Course)
	roster, ids, recs, grades, err := a.studentRecords(ctx, v.Course.ID, o.Exercises)
	if err != nil {
		return Gradebook{}, err
	}
	g := Gradebook{Exercises: o.Exercises, Roster: roster, Grades: grades,
		Students: gradjudge.RollUpClass(o, v.Course.ID, ids, recordsByUser(recs))}
	return g, nil
}

// recordsByUser splits a course's records by user, in their order, so that rolling up each of
// hundreds of students reads only their own records. The exercise records come by user, so each
// user's are a part of recs, not a copy.
func recordsByUser(recs gradjudge.ProgressRecords) map[int64]gradjudge.ProgressRecords {
	out := map[int64]gradjudge.ProgressRecords{}
	ex := recs.Exercises
	for i := 0; i < len(ex); {
		j := i + 1
		for j < len(ex) && ex[j].UserID == ex[i].UserID {
			j++
		}
		u := out[ex[i].UserID]
		if u.Exercises == nil {
			u.Exercises = ex[i:j:j] // shared; the full slice expression makes an append copy
		} else {
			u.Exercises = append(u.Exercises, ex[i:j]...)
		}
		out[ex[i].UserID] = u
		i = j
	}
	for _, e := range recs.Events {
		u := out[e.UserID]
		u.Events = append(u.Events, e)
		out[e.UserID] = u
	}
	return out
}

// Stats returns the class dashboard of the course, for its staff.
func (a *App) Stats(ctx context.Context, v Visit) (gradjudge.CourseStats, error) {
	if err := v.RequireStaff(); err != nil {
		return gradjudge.CourseStats{}, err
	}
	o := a.Outline(v.Course)
	_, ids, recs, _, err := a.studentRecords(ctx, v.Course.ID, o.Exercises)
	if err != nil {
		return gradjudge.CourseStats{}, err
	}
	return gradjudge.RollUpStats(o, v.Course.ID, len(ids), recs), nil
}

// studentRecords reads the course's roster, its students' ids (by id) and their records, graded
// on exercises (gradedRecords).
func (a *App) studentRecords(ctx context.Context, courseID int64, exercises []gradjudge.Exercise) ([]gradjudge.Enrollment, []int64, gradjudge.ProgressRecords, Grades, error) {
	roster, err := a.d.Courses.Enrollments(ctx, courseID)
	if err != nil {
		return nil, nil, gradjudge.ProgressRecords{}, nil, err
	}
	var ids []int64
	for _, e := range roster {
		if e.Role == gradjudge.CourseStudent {
			ids = append(ids, e.UserID)
		}
	}
	recs, grades, err := a.gradedRecords(ctx, courseID, exercises, ids)
	return roster, ids, recs, grades, err
}
