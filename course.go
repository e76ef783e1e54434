package gradjudge

import (
	"context"
	"time"
)

// CourseRole is what a user is in one course.
type CourseRole string

// The course roles. The empty CourseRole means "not enrolled".
const (
	CourseStudent    CourseRole = "student"
	CourseTA         CourseRole = "ta"         // reads every submission and progress; cannot change enrollments
	CourseInstructor CourseRole = "instructor" // everything in the course, including enrollments
)

// Valid reports whether r is one of the course roles (the empty role is not).
func (r CourseRole) Valid() bool {
	return r == CourseStudent || r == CourseTA || r == CourseInstructor
}

// IsStaff reports whether r may read the work of every student in the course.
func (r CourseRole) IsStaff() bool {
	return r == CourseTA || r == CourseInstructor
}

// Course is one course: a title and the exercises it uses.
type Course struct {
	ID        int64
	Title     string
	CreatedBy int64 // the user who created it; enrolled as its first instructor
	// ExerciseIDs are the catalog exercises the course uses, in the order students see them.
	// Empty means every exercise of the catalog.
	ExerciseIDs []string
	CreatedAt   time.Time
}

// Enrollment is one user's role in one course. Email and Name are the user's, for rosters.
type Enrollment struct {
	CourseID  int64
	UserID    int64
	Email     string
	Name      string
	Role      CourseRole
	CreatedAt time.Time
}

// Membership is a course together with the role a user has in it.
type Membership struct {
	Course Course
	Role   CourseRole
}

// CourseService manages courses, enrollments and the exercises a course uses. Authorization is
// the caller's job: these methods do what they are asked. Implemented by store.DB.
type CourseService interface {
	// CreateCourse stores c (ID and CreatedAt are ignored) and enrolls c.CreatedBy as instructor.
	// EINVALID for an empty title; ENOTFOUND for an unknown creator.
	CreateCourse(ctx context.Context, c Course) (Course, error)
	// Course returns the course with id; ENOTFOUND when there is none.
	Course(ctx context.Context, id int64) (Course, error)
	// Courses lists every course by id, for admins.
	Courses(ctx context.Context) ([]Course, error)
	// CoursesOf lists the courses user userID is enrolled in, with their role, by course id.
	CoursesOf(ctx context.Context, userID int64) ([]Membership, error)
	// SetCourseExercises replaces the exercises course id uses. The store does not check the ids
	// against a catalog; the caller does.
	SetCourseExercises(ctx context.Context, courseID int64, exerciseIDs []string) error

	// Enroll gives the user with email the role in the course, replacing any role they had.
	// ENOTFOUND for an unknown course or email; EINVALID for an invalid role; ECONFLICT when
	// it would take the role of the course's last instructor.
	Enroll(ctx context.Context, courseID int64, email string, role CourseRole) (Enrollment, error)
	// Unenroll removes user userID from the course; ENOTFOUND when they are not enrolled,
	// ECONFLICT when they are its last instructor.
	Unenroll(ctx context.Context, courseID, userID int64) error
	// Enrollments lists the course's enrollments by user id.
	Enrollments(ctx context.Context, courseID int64) ([]Enrollment, error)
	// CourseRole returns the role of user userID in the course: the empty role and a nil error
	// when they are not enrolled, ENOTFOUND when the course does not exist.
	CourseRole(ctx context.Context, courseID, userID int64) (CourseRole, error)
}
