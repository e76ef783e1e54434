package gradjudge

import (
	"context"
	"sort"
	"time"
)

// ExerciseProgress is one student's record on one exercise of a course.
type ExerciseProgress struct {
	ExerciseID string
	// Attempts counts judged submissions whose status CountsAsAttempt.
	Attempts  int
	BestScore float64 // in [0,1]; 0 before any attempt
	// Grade is the course grade under the exercise's assessment policy, in [0,1]: the score the
	// pages, the dashboard, grades.csv and the API show. The application core grades records
	// (the store leaves it 0); 0 before any attempt.
	Grade         float64
	SolvedAt      *time.Time // the first accepted submission; nil while unsolved
	LastAttemptAt *time.Time
	// AttemptsToSolve is the attempts used up to and including the first accepted one; 0 while
	// unsolved.
	AttemptsToSolve int
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
	MeanGrade float64 // the mean Grade over those, unattempted ones counting 0
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

// ExerciseRecord is the stored record of one user on one exercise of a course.
type ExerciseRecord struct {
	UserID int64
	ExerciseProgress
}

// ProgressRecords are the stored records of some users of one course: what the judging workers
// write, before any roll-up.
type ProgressRecords struct {
	Exercises []ExerciseRecord     // by user, then exercise id
	Events    []MisconceptionEvent // oldest first
}

// ProgressService reads the records the judging workers write. Implemented by store.DB; the
// roll-ups (RollUpProgress, RollUpStats) are pure functions over what it returns.
type ProgressService interface {
	// ProgressRecords returns the records of users userIDs in the course (none for an empty
	// list). A user with no submissions has no records, which is not an error.
	ProgressRecords(ctx context.Context, courseID int64, userIDs []int64) (ProgressRecords, error)
}

// CourseOutline is what the roll-ups know of a course: its exercises in order, and the concept
// of each misconception tag (from the misconception catalog).
type CourseOutline struct {
	Exercises  []Exercise
	TagConcept map[string]string
}

// NewCourseOutline returns the outline of a course that uses exercises, with the concepts of the
// misconception catalog miscs.
func NewCourseOutline(exercises []Exercise, miscs []Misconception) CourseOutline {
	o := CourseOutline{Exercises: exercises, TagConcept: make(map[string]string, len(miscs))}
	for _, m := range miscs {
		o.TagConcept[m.Tag] = m.Concept
	}
	return o
}

// conceptOrder is the course's concepts in the order their first exercise appears.
func (o CourseOutline) conceptOrder() []string {
	var order []string
	seen := map[string]bool{}
	for _, e := range o.Exercises {
		for _, k := range e.Concepts {
			if !seen[k] {
				seen[k] = true
				order = append(order, k)
			}
		}
	}
	return order
}

// inCourse reports whether exercise id is one of the outline's.
func (o CourseOutline) inCourse(id string) bool {
	for _, e := range o.Exercises {
		if e.ID == id {
			return true
		}
	}
	return false
}

// RollUpProgress builds the progress of user userID in course courseID from the course's records.
// Only the outline's exercises count: an exercise taken out of the course leaves the progress
// (and the gradebook and the dashboard, which use the same outline) together.
func RollUpProgress(o CourseOutline, courseID, userID int64, recs ProgressRecords) Progress {
	p := Progress{UserID: userID, CourseID: courseID, Exercises: []ExerciseProgress{}, Misconceptions: []MisconceptionEvent{}}
	byID := map[string]ExerciseProgress{}
	for _, r := range recs.Exercises {
		if r.UserID == userID {
			byID[r.ExerciseID] = r.ExerciseProgress
		}
	}
	for _, e := range o.Exercises {
		ep, ok := byID[e.ID]
		if !ok {
			ep = ExerciseProgress{ExerciseID: e.ID}
		}
		p.Exercises = append(p.Exercises, ep)
	}
	for _, ev := range recs.Events {
		if ev.UserID == userID && o.inCourse(ev.ExerciseID) {
			p.Misconceptions = append(p.Misconceptions, ev)
		}
	}
	p.Concepts = o.conceptProgress(p)
	return p
}

func (o CourseOutline) conceptProgress(p Progress) []ConceptProgress {
	by := map[string]*ConceptProgress{}
	get := func(k string) *ConceptProgress {
		if by[k] == nil {
			by[k] = &ConceptProgress{Concept: k}
		}
		return by[k]
	}
	for i, e := range p.Exercises {
		for _, k := range o.Exercises[i].Concepts {
			c := get(k)
			c.Exercises++
			c.Attempts += e.Attempts
			c.MeanScore += e.BestScore
			c.MeanGrade += e.Grade
			if e.Solved() {
				c.Solved++
			}
		}
	}
	for _, ev := range p.Misconceptions {
		if k, ok := o.TagConcept[ev.Tag]; ok {
			get(k).Misconceptions++
		}
	}
	out := make([]ConceptProgress, 0, len(by))
	for _, k := range conceptOrder(o.conceptOrder(), by) {
		c := *by[k]
		if c.Exercises > 0 {
			c.MeanScore /= float64(c.Exercises)
			c.MeanGrade /= float64(c.Exercises)
		}
		out = append(out, c)
	}
	return out
}

// conceptOrder is the concepts of by: first those in order (the course's exercises'), then the
// rest (concepts known only from misconception tags) by name.
func conceptOrder[V any](order []string, by map[string]V) []string {
	var keys, rest []string
	in := map[string]bool{}
	for _, k := range order {
		if _, ok := by[k]; ok {
			keys = append(keys, k)
			in[k] = true
		}
	}
	for k := range by {
		if !in[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(keys, rest...)
}
