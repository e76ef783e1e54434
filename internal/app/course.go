package app

import (
	"context"
	"strings"

	"gradjudge"
)

// MaxTitleBytes bounds a course's title.
const MaxTitleBytes = 200

// CreateCourse creates a course titled title using exerciseIDs (empty: the whole catalog), with
// u as its first instructor. Only instructors and admins may create courses.
func (a *App) CreateCourse(ctx context.Context, u gradjudge.User, title string, exerciseIDs []string) (gradjudge.Course, error) {
	if u.Role != gradjudge.RoleInstructor && u.Role != gradjudge.RoleAdmin {
		return gradjudge.Course{}, gradjudge.Errorf(gradjudge.EFORBIDDEN, "only instructors and admins may create courses")
	}
	title = strings.TrimSpace(title)
	if err := checkTitle(title); err != nil {
		return gradjudge.Course{}, err
	}
	if err := a.CheckExercises(exerciseIDs); err != nil {
		return gradjudge.Course{}, err
	}
	return a.d.Courses.CreateCourse(ctx, gradjudge.Course{Title: title, CreatedBy: u.ID, ExerciseIDs: exerciseIDs})
}

func checkTitle(title string) error {
	if err := gradjudge.CheckLine("title", title); err != nil {
		return err
	}
	if title == "" || len(title) > MaxTitleBytes {
		return gradjudge.Errorf(gradjudge.EINVALID, "title must be 1 to %d bytes long", MaxTitleBytes)
	}
	return nil
}

// SetCourseExercises replaces the exercises of the visit's course, for its instructors, and
// returns the course as it now is.
func (a *App) SetCourseExercises(ctx context.Context, v Visit, ids []string) (gradjudge.Course, error) {
	if err := v.RequireInstructor(); err != nil {
		return gradjudge.Course{}, err
	}
	if err := a.CheckExercises(ids); err != nil {
		return gradjudge.Course{}, err
	}
	if err := a.d.Courses.SetCourseExercises(ctx, v.Course.ID, ids); err != nil {
		return gradjudge.Course{}, err
	}
	c := v.Course
	c.ExerciseIDs = ids
	return c, nil
}

// Enroll gives the user with email a role in the visit's course, for its instructors.
func (a *App) Enroll(ctx context.Context, v Visit, email string, role gradjudge.CourseRole) (gradjudge.Enrollment, error) {
	if err := v.RequireInstructor(); err != nil {
		return gradjudge.Enrollment{}, err
	}
	if err := gradjudge.CheckText("email", email); err != nil {
		return gradjudge.Enrollment{}, err
	}
	if !role.Valid() {
		return gradjudge.Enrollment{}, gradjudge.Errorf(gradjudge.EINVALID, "role must be student, ta or instructor")
	}
	return a.d.Courses.Enroll(ctx, v.Course.ID, strings.TrimSpace(email), role)
}

// Unenroll removes user userID from the visit's course, for its instructors.
func (a *App) Unenroll(ctx context.Context, v Visit, userID int64) error {
	if err := v.RequireInstructor(); err != nil {
		return err
	}
	return a.d.Courses.Unenroll(ctx, v.Course.ID, userID)
}

// Enrollments lists the visit's course's enrollments, for its staff.
func (a *App) Enrollments(ctx context.Context, v Visit) ([]gradjudge.Enrollment, error) {
	if err := v.RequireStaff(); err != nil {
		return nil, err
	}
	return a.d.Courses.Enrollments(ctx, v.Course.ID)
}
