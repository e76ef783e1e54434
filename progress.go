package gradjudge

import (
	"context"
	"maps"
	"slices"
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
	// pages, the dashboard, grades.csv and the API show. The store keeps it with the record,
	// recomputed whenever a verdict, the policy or an extension changes; the application core
	// takes the best score where the policy grades by that. 0 before any attempt.
	Grade         float64
	SolvedAt      *time.Time // the first accepted submission; nil while unsolved
	LastAttemptAt *time.Time
	// AttemptsToSolve is the attempts used up to and including the first accepted one; 0 while
	// unsolved.
	AttemptsToSolve int
}

// Solved reports whether the exercise has an accepted submission.
func (p ExerciseProgress) Solved() bool { return p.SolvedAt != nil }

// StuckAttempts is how many attempts without a pass make a student stuck on an exercise.
const StuckAttempts = 3

// Stuck reports whether the student has tried the exercise StuckAttempts times or more without
// solving it: the one rule of the student list's stuck list and the dashboard's stuck counts.
func (p ExerciseProgress) Stuck() bool { return p.Attempts >= StuckAttempts && !p.Solved() }

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

// OfExercise returns the records and events of exercise id, in their order.
func (r ProgressRecords) OfExercise(id string) ProgressRecords {
	out := ProgressRecords{Exercises: []ExerciseRecord{}, Events: []MisconceptionEvent{}}
	for _, e := range r.Exercises {
		if e.ExerciseID == id {
			out.Exercises = append(out.Exercises, e)
		}
	}
	for _, e := range r.Events {
		if e.ExerciseID == id {
			out.Events = append(out.Events, e)
		}
	}
	return out
}

// ProgressService reads the records the judging workers write. Implemented by store.DB; the
// roll-ups (RollUpProgress, RollUpStats) are pure functions over what it returns.
type ProgressService interface {
	// ProgressRecords returns the records of users userIDs in the course (none for an empty
	// list). A user with no submissions has no records, which is not an error.
	ProgressRecords(ctx context.Context, courseID int64, userIDs []int64) (ProgressRecords, error)
	// ExerciseRecords is ProgressRecords(...).OfExercise(exerciseID), for a page about one
	// exercise, which need not read the course's other records.
	ExerciseRecords(ctx context.Context, courseID int64, exerciseID string, userIDs []int64) (ProgressRecords, error)
}

// CourseOutline is what the roll-ups know of a course: its exercises in order, the concept of each
// misconception tag (from the misconception catalog), and the lesson's order of concepts.
type CourseOutline struct {
	Exercises  []Exercise
	TagConcept map[string]string
	// Lesson is the catalog's concepts in the order the lesson teaches them: roll-ups list the
	// course's concepts in this order, whatever the order of the course's exercises. Concepts
	// the lesson does not name come after, in the order their first exercise appears.
	Lesson []string
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

// conceptOrder is the course's concepts in the lesson's order (o.Lesson), then those the lesson
// does not name in the order their first exercise appears.
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
	rank := make(map[string]int, len(o.Lesson))
	for i, k := range o.Lesson {
		rank[k] = i
	}
	slices.SortStableFunc(order, func(a, b string) int {
		ra, okA := rank[a]
		rb, okB := rank[b]
		switch {
		case okA && okB:
			return ra - rb
		case okA:
			return -1
		case okB:
			return 1
		}
		return 0
	})
	return order
}

// RollUpProgress builds the progress of user userID in course courseID from the course's records.
// Only the outline's exercises count: an exercise taken out of the course leaves the progress
// (and the gradebook and the dashboard, which use the same outline) together.
func RollUpProgress(o CourseOutline, courseID, userID int64, recs ProgressRecords) Progress {
	return o.layout().progress(courseID, userID, recs)
}

// RollUpClass is RollUpProgress for each of userIDs, in order, with each user's records in
// byUser (a user without an entry has none): the outline is laid out once for the whole class.
func RollUpClass(o CourseOutline, courseID int64, userIDs []int64, byUser map[int64]ProgressRecords) []Progress {
	l := o.layout()
	out := make([]Progress, len(userIDs))
	for i, id := range userIDs {
		out[i] = l.progress(courseID, id, byUser[id])
	}
	return out
}

// outlineLayout is where each exercise and concept of an outline goes in a Progress.
type outlineLayout struct {
	o          CourseOutline
	exercise   map[string][]int // exercise id → its places in o.Exercises
	concepts   []string         // the concepts the exercises teach, in conceptOrder
	concept    map[string]int   // concept → its place in concepts
	exConcepts [][]int          // per exercise, its concepts' places
}

func (o CourseOutline) layout() outlineLayout {
	l := outlineLayout{o: o, exercise: make(map[string][]int, len(o.Exercises)), concepts: o.conceptOrder(),
		exConcepts: make([][]int, len(o.Exercises))}
	l.concept = make(map[string]int, len(l.concepts))
	for i, k := range l.concepts {
		l.concept[k] = i
	}
	for i, e := range o.Exercises {
		l.exercise[e.ID] = append(l.exercise[e.ID], i)
		for _, k := range e.Concepts {
			l.exConcepts[i] = append(l.exConcepts[i], l.concept[k])
		}
	}
	return l
}

func (l outlineLayout) progress(courseID, userID int64, recs ProgressRecords) Progress {
	p := Progress{UserID: userID, CourseID: courseID, Exercises: make([]ExerciseProgress, len(l.o.Exercises)), Misconceptions: []MisconceptionEvent{}}
	for i, e := range l.o.Exercises {
		p.Exercises[i] = ExerciseProgress{ExerciseID: e.ID}
	}
	for _, r := range recs.Exercises {
		if r.UserID == userID {
			for _, i := range l.exercise[r.ExerciseID] {
				p.Exercises[i] = r.ExerciseProgress
			}
		}
	}
	for _, ev := range recs.Events {
		if _, ok := l.exercise[ev.ExerciseID]; ok && ev.UserID == userID {
			p.Misconceptions = append(p.Misconceptions, ev)
		}
	}
	p.Concepts = l.conceptProgress(p)
	return p
}

// conceptProgress rolls p up per concept: those the course's exercises teach in their order, then
// those known only from a misconception tag's concept, by name.
func (l outlineLayout) conceptProgress(p Progress) []ConceptProgress {
	out := make([]ConceptProgress, len(l.concepts))
	for i, k := range l.concepts {
		out[i].Concept = k
	}
	for i, e := range p.Exercises {
		for _, k := range l.exConcepts[i] {
			c := &out[k]
			c.Exercises++
			c.Attempts += e.Attempts
			c.MeanScore += e.BestScore
			c.MeanGrade += e.Grade
			if e.Solved() {
				c.Solved++
			}
		}
	}
	var others map[string]int // misconceptions of concepts no exercise teaches
	for _, ev := range p.Misconceptions {
		k, ok := l.o.TagConcept[ev.Tag]
		switch i, taught := l.concept[k]; {
		case !ok:
		case taught:
			out[i].Misconceptions++
		default:
			if others == nil {
				others = map[string]int{}
			}
			others[k]++
		}
	}
	for i := range out {
		if out[i].Exercises > 0 {
			out[i].MeanScore /= float64(out[i].Exercises)
			out[i].MeanGrade /= float64(out[i].Exercises)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(others)) {
		out = append(out, ConceptProgress{Concept: k, Misconceptions: others[k]})
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
