package app

import (
	"context"

	"gradjudge"
)

// Visit is one user's visit to one course: the course and the role they act in. A door gets it
// from OpenCourse and passes it to every course-scoped call, which trusts it.
type Visit struct {
	User   gradjudge.User
	Course gradjudge.Course
	Role   gradjudge.CourseRole
}

// Messages that must not tell "not there" from "not yours" apart: an existence oracle would let
// anyone probe which courses and submissions exist.
var (
	errCourseNotFound     = gradjudge.Errorf(gradjudge.ENOTFOUND, "course not found")
	errSubmissionNotFound = gradjudge.Errorf(gradjudge.ENOTFOUND, "submission not found")
	errStudentNotFound    = gradjudge.Errorf(gradjudge.ENOTFOUND, "student not found in this course")
)

// OpenCourse returns u's visit to course id. A user who is not enrolled is told the course does
// not exist, exactly as for a missing course; an admin acts as an instructor of every course.
func (a *App) OpenCourse(ctx context.Context, u gradjudge.User, id int64) (Visit, error) {
	if id <= 0 {
		return Visit{}, errCourseNotFound
	}
	role, err := a.d.Courses.CourseRole(ctx, id, u.ID)
	if gradjudge.ErrorCode(err) == gradjudge.ENOTFOUND {
		return Visit{}, errCourseNotFound
	}
	if err != nil {
		return Visit{}, err
	}
	if u.Role == gradjudge.RoleAdmin {
		role = gradjudge.CourseInstructor
	}
	if role == "" {
		return Visit{}, errCourseNotFound
	}
	c, err := a.d.Courses.Course(ctx, id)
	if gradjudge.ErrorCode(err) == gradjudge.ENOTFOUND {
		return Visit{}, errCourseNotFound
	}
	return Visit{User: u, Course: c, Role: role}, err
}

// RequireStaff refuses a visit by anyone but the course's instructors and TAs (and admins).
func (v Visit) RequireStaff() error {
	if !v.Role.IsStaff() {
		return gradjudge.Errorf(gradjudge.EFORBIDDEN, "only the course's instructors and TAs may do this")
	}
	return nil
}

// RequireInstructor refuses a visit by anyone but the course's instructors (and admins).
func (v Visit) RequireInstructor() error {
	if v.Role != gradjudge.CourseInstructor {
		return gradjudge.Errorf(gradjudge.EFORBIDDEN, "only the course's instructors may do this")
	}
	return nil
}

// Courses lists the courses u may open, with u's role in each: an admin sees every course, as an
// instructor where not enrolled otherwise.
func (a *App) Courses(ctx context.Context, u gradjudge.User) ([]gradjudge.Membership, error) {
	ms, err := a.d.Courses.CoursesOf(ctx, u.ID)
	if err != nil || u.Role != gradjudge.RoleAdmin {
		return ms, err
	}
	all, err := a.d.Courses.Courses(ctx)
	if err != nil {
		return nil, err
	}
	enrolled := map[int64]bool{}
	for _, m := range ms {
		enrolled[m.Course.ID] = true
	}
	for _, c := range all {
		if !enrolled[c.ID] {
			ms = append(ms, gradjudge.Membership{Course: c, Role: gradjudge.CourseInstructor})
		}
	}
	return ms, nil
}

// Submission returns submission id to its owner, the staff of its course and admins. Anyone else
// gets the same "submission not found" as for a submission that does not exist.
func (a *App) Submission(ctx context.Context, u gradjudge.User, id int64) (gradjudge.Submission, error) {
	if id <= 0 {
		return gradjudge.Submission{}, errSubmissionNotFound
	}
	s, err := a.d.Submissions.Submission(ctx, id)
	if gradjudge.ErrorCode(err) == gradjudge.ENOTFOUND {
		return s, errSubmissionNotFound
	}
	if err != nil {
		return s, err
	}
	if s.UserID == u.ID || u.Role == gradjudge.RoleAdmin {
		return s, nil
	}
	role, err := a.d.Courses.CourseRole(ctx, s.CourseID, u.ID)
	if err != nil || !role.IsStaff() {
		return gradjudge.Submission{}, errSubmissionNotFound
	}
	return s, nil
}

// Submissions lists the submissions of the course that f selects (f.CourseID is the visit's). A
// student sees only their own: naming another user is forbidden.
func (a *App) Submissions(ctx context.Context, v Visit, f gradjudge.SubmissionFilter) ([]gradjudge.Submission, error) {
	f.CourseID = v.Course.ID
	if !v.Role.IsStaff() {
		if f.UserID != 0 && f.UserID != v.User.ID {
			return nil, gradjudge.Errorf(gradjudge.EFORBIDDEN, "students see only their own submissions")
		}
		f.UserID = v.User.ID
	}
	if err := gradjudge.CheckText("exercise", f.ExerciseID); err != nil {
		return nil, err
	}
	switch f.Status {
	case "", gradjudge.SubmissionQueued, gradjudge.SubmissionJudging, gradjudge.SubmissionDone:
	default:
		return nil, gradjudge.Errorf(gradjudge.EINVALID, "status must be queued, judging or done")
	}
	if f.Limit < 0 || f.Limit > gradjudge.MaxSubmissionLimit {
		return nil, gradjudge.Errorf(gradjudge.EINVALID, "limit must be between 1 and %d", gradjudge.MaxSubmissionLimit)
	}
	return a.d.Submissions.Submissions(ctx, f)
}
