package gradjudge

import "context"

// TagCount is how common one misconception tag is in a group of students.
type TagCount struct {
	Tag      string
	Events   int // misconception events with the tag
	Students int // distinct students who earned it
	// Prevalence is Students over the students who attempted (the exercise, or any exercise of
	// the concept), in [0,1].
	Prevalence float64
}

// ExerciseStats summarizes one exercise of a course over its students (course role student).
type ExerciseStats struct {
	ExerciseID string
	Students   int     // students with at least one attempt
	Attempts   int     // attempts over all students
	Passed     int     // students who solved it
	PassRate   float64 // Passed / Students; 0 when nobody attempted
	// MedianAttemptsToPass is the median, over students who solved it, of the attempts they used
	// up to and including the first accepted one; 0 when nobody solved it.
	MedianAttemptsToPass float64
	Misconceptions       []TagCount // most prevalent first
}

// ConceptStats summarizes misconceptions of one concept over a course's students. A tag belongs
// to the concept the misconception catalog gives it.
type ConceptStats struct {
	Concept        string
	Students       int // students who attempted an exercise of the concept
	Misconceptions []TagCount
}

// CourseStats is the instructor's dashboard of one course.
type CourseStats struct {
	CourseID  int64
	Students  int // enrolled with role student
	Exercises []ExerciseStats
	Concepts  []ConceptStats
}

// StatsService computes course dashboards. Implemented by store.DB.
type StatsService interface {
	// CourseStats returns the dashboard of the course; ENOTFOUND for an unknown course.
	CourseStats(ctx context.Context, courseID int64) (CourseStats, error)
}
