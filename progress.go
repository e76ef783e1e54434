package gradjudge

import (
	"context"
	"time"
)

// ExerciseProgress is one student's record on one exercise of a course.
type ExerciseProgress struct {
	ExerciseID string
	// Attempts counts judged submissions whose status CountsAsAttempt.
	Attempts      int
	BestScore     float64    // in [0,1]; 0 before any attempt
	SolvedAt      *time.Time // the first accepted submission; nil while unsolved
	LastAttemptAt *time.Time
}

// Solved reports whether the exercise has an accepted submission.
func (p ExerciseProgress) Solved() bool { return p.SolvedAt != nil }

// ConceptProgress rolls up a student's progress over the exercises of one concept.
type ConceptProgress struct {
	Concept   string
	Exercises int     // exercises of the course that teach the concept
	Solved    int     // of those, solved
	Attempts  int     // over those
	MeanScore float64 // the mean best score over those, unattempted ones counting 0
	// Misconceptions counts the student's misconception events whose tag belongs to the concept.
	Misconceptions int
}

// MisconceptionEvent is one misconception tag earned by one judged submission.
type MisconceptionEvent struct {
	ID           int64
	UserID       int64
	CourseID     int64
	ExerciseID   string
	Tag          string
	SubmissionID int64
	At           time.Time // when the submission that earned it was made
}

// Progress is one student's record in one course: per exercise (every exercise the course uses,
// attempted or not), per concept, and their misconception history, oldest first.
type Progress struct {
	UserID         int64
	CourseID       int64
	Exercises      []ExerciseProgress
	Concepts       []ConceptProgress
	Misconceptions []MisconceptionEvent
}

// ProgressService reads progress, which the judging workers write. Implemented by store.DB.
type ProgressService interface {
	// Progress returns the progress of user userID in the course; ENOTFOUND for an unknown
	// course. A user with no submissions gets zero progress, not an error.
	Progress(ctx context.Context, courseID, userID int64) (Progress, error)
	// CourseProgress returns the progress of every student enrolled in the course (role
	// student), by user id: the gradebook.
	CourseProgress(ctx context.Context, courseID int64) ([]Progress, error)
}
