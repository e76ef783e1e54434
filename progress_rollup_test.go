package gradjudge

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"
)

// TestRollUpProgressAsBefore: RollUpProgress and RollUpClass, which lay the outline out once per
// class, give what the first, plainer roll-up gave, on random outlines (an exercise listed twice,
// concepts shared) and records (other users' rows, exercises not in the course, tags of unknown
// concepts and of concepts no exercise teaches).
func TestRollUpProgressAsBefore(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	for round := range 200 {
		o, users, recs := randomCourse(rng)
		byUser := map[int64]ProgressRecords{}
		for _, u := range users {
			byUser[u] = recs
		}
		class := RollUpClass(o, 9, users, byUser)
		for i, u := range users {
			want := referenceRollUpProgress(o, 9, u, recs)
			if got := RollUpProgress(o, 9, u, recs); !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, user %d:\n got %+v\nwant %+v", round, u, got, want)
			}
			if !reflect.DeepEqual(class[i], want) {
				t.Fatalf("round %d, user %d, RollUpClass:\n got %+v\nwant %+v", round, u, class[i], want)
			}
		}
	}
}

// randomCourse is an outline over exercises e0…e5 and concepts k0…k4, three users, and records
// of theirs and of a fourth.
func randomCourse(rng *rand.Rand) (CourseOutline, []int64, ProgressRecords) {
	var exercises []Exercise
	for range rng.IntN(6) {
		e := Exercise{ID: "e" + strconv.Itoa(rng.IntN(6))}
		for range rng.IntN(3) {
			e.Concepts = append(e.Concepts, "k"+strconv.Itoa(rng.IntN(5)))
		}
		exercises = append(exercises, e)
	}
	miscs := []Misconception{{Tag: "t0", Concept: "k0"}, {Tag: "t1", Concept: "k4"}, {Tag: "t2", Concept: "untaught"}, {Tag: "t3", Concept: ""}}
	o := NewCourseOutline(exercises, miscs)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var recs ProgressRecords
	for u := int64(1); u <= 4; u++ {
		for e := range 6 {
			if rng.IntN(2) == 0 {
				continue
			}
			ep := ExerciseProgress{ExerciseID: "e" + strconv.Itoa(e), Attempts: rng.IntN(9), BestScore: rng.Float64(), Grade: rng.Float64(), LastAttemptAt: &at}
			if rng.IntN(2) == 0 {
				ep.SolvedAt, ep.AttemptsToSolve = &at, 1+rng.IntN(5)
			}
			recs.Exercises = append(recs.Exercises, ExerciseRecord{UserID: u, ExerciseProgress: ep})
		}
		for range rng.IntN(5) {
			recs.Events = append(recs.Events, MisconceptionEvent{UserID: u, ExerciseID: "e" + strconv.Itoa(rng.IntN(7)), Tag: "t" + strconv.Itoa(rng.IntN(5)), At: at})
		}
	}
	return o, []int64{1, 2, 3}, recs
}

// referenceRollUpProgress is RollUpProgress as it was written first, a map per student: the
// reference of TestRollUpProgressAsBefore.
func referenceRollUpProgress(o CourseOutline, courseID, userID int64, recs ProgressRecords) Progress {
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
	p.Concepts = referenceConceptProgress(o, p)
	return p
}

func referenceConceptProgress(o CourseOutline, p Progress) []ConceptProgress {
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

// TestConceptsInLessonOrder: a course's concepts roll up in the lesson's order, whatever the order
// of its exercises; concepts the lesson does not name come last, as their exercises appear.
func TestConceptsInLessonOrder(t *testing.T) {
	o := NewCourseOutline([]Exercise{
		{ID: "late", Concepts: []string{"descent", "own"}},
		{ID: "early", Concepts: []string{"chain", "extra"}},
		{ID: "middle", Concepts: []string{"graph"}},
	}, nil)
	o.Lesson = []string{"chain", "graph", "descent"}
	var got []string
	for _, c := range RollUpProgress(o, 1, 2, ProgressRecords{}).Concepts {
		got = append(got, c.Concept)
	}
	if want := []string{"chain", "graph", "descent", "own", "extra"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("concepts %v, want %v", got, want)
	}
}
