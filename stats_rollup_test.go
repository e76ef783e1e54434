package gradjudge

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
)

// TestRollUpStatsAsBefore: RollUpStats, which goes over the records and events once, gives what
// the first, plainer roll-up gave, on random outlines (an exercise listed twice, concepts shared)
// and records (exercises not in the course, tags of unknown concepts and of concepts no exercise
// teaches).
func TestRollUpStatsAsBefore(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 3))
	for round := range 300 {
		o, users, recs := randomCourse(rng)
		want := referenceRollUpStats(o, 9, len(users), recs)
		if got := RollUpStats(o, 9, len(users), recs); !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d:\n got %+v\nwant %+v", round, got, want)
		}
	}
}

// referenceRollUpStats is RollUpStats as it was written first, each exercise and concept a pass
// over every record and event: the reference of TestRollUpStatsAsBefore.
func referenceRollUpStats(o CourseOutline, courseID int64, students int, recs ProgressRecords) CourseStats {
	var events []MisconceptionEvent
	for _, e := range recs.Events {
		if o.inCourse(e.ExerciseID) {
			events = append(events, e)
		}
	}
	stuck := map[int64]bool{} // students with 3 or more attempts and no pass on a course exercise
	for _, r := range recs.Exercises {
		if o.inCourse(r.ExerciseID) && r.Attempts >= 3 && r.SolvedAt == nil {
			stuck[r.UserID] = true
		}
	}
	return CourseStats{CourseID: courseID, Students: students, Stuck: len(stuck),
		Exercises: referenceExerciseStats(o, recs.Exercises, events), Concepts: referenceConceptStats(o, recs.Exercises, events)}
}

// exerciseStats summarizes each exercise of the course.
func referenceExerciseStats(o CourseOutline, rows []ExerciseRecord, events []MisconceptionEvent) []ExerciseStats {
	out := make([]ExerciseStats, 0, len(o.Exercises))
	for _, e := range o.Exercises {
		st := ExerciseStats{ExerciseID: e.ID, Misconceptions: []TagCount{}}
		var toPass []int
		for _, r := range rows {
			if r.ExerciseID != e.ID || r.Attempts == 0 {
				continue
			}
			st.Students++
			st.Attempts += r.Attempts
			st.MeanGrade += r.Grade
			if r.Attempts >= 3 && r.SolvedAt == nil {
				st.Stuck++
			}
			if r.Solved() && r.AttemptsToSolve > 0 {
				st.Passed++
				toPass = append(toPass, r.AttemptsToSolve)
			}
		}
		if st.Students > 0 {
			st.PassRate = float64(st.Passed) / float64(st.Students)
			st.MeanGrade /= float64(st.Students)
		}
		st.MedianAttemptsToPass = Median(toPass)
		st.Misconceptions = referenceTagCounts(events, func(ev MisconceptionEvent) bool { return ev.ExerciseID == e.ID }, st.Students)
		out = append(out, st)
	}
	return out
}

// conceptStats summarizes misconceptions per concept. A concept's students are those who
// attempted one of its exercises or earned one of its tags.
func referenceConceptStats(o CourseOutline, rows []ExerciseRecord, events []MisconceptionEvent) []ConceptStats {
	concepts := map[string][]string{}
	for _, e := range o.Exercises {
		concepts[e.ID] = e.Concepts
	}
	students := map[string]map[int64]bool{}
	mark := func(k string, uid int64) {
		if students[k] == nil {
			students[k] = map[int64]bool{}
		}
		students[k][uid] = true
	}
	for _, r := range rows {
		if r.Attempts > 0 {
			for _, k := range concepts[r.ExerciseID] {
				mark(k, r.UserID)
			}
		}
	}
	for _, e := range events {
		if k, ok := o.TagConcept[e.Tag]; ok {
			mark(k, e.UserID)
		}
	}
	out := make([]ConceptStats, 0, len(students))
	for _, k := range conceptOrder(o.conceptOrder(), students) {
		in := func(e MisconceptionEvent) bool { return o.TagConcept[e.Tag] == k }
		out = append(out, ConceptStats{Concept: k, Students: len(students[k]), Misconceptions: referenceTagCounts(events, in, len(students[k]))})
	}
	return out
}

// tagCounts counts the events that in selects, per tag, most prevalent first.
func referenceTagCounts(events []MisconceptionEvent, in func(MisconceptionEvent) bool, attempted int) []TagCount {
	byTag := map[string]*TagCount{}
	users := map[string]map[int64]bool{}
	for _, e := range events {
		if !in(e) {
			continue
		}
		if byTag[e.Tag] == nil {
			byTag[e.Tag] = &TagCount{Tag: e.Tag}
			users[e.Tag] = map[int64]bool{}
		}
		byTag[e.Tag].Events++
		users[e.Tag][e.UserID] = true
	}
	out := make([]TagCount, 0, len(byTag))
	for tag, tc := range byTag {
		tc.Students = len(users[tag])
		if attempted > 0 {
			tc.Prevalence = min(1, float64(tc.Students)/float64(attempted))
		}
		out = append(out, *tc)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Students != out[j].Students {
			return out[i].Students > out[j].Students
		}
		if out[i].Events != out[j].Events {
			return out[i].Events > out[j].Events
		}
		return out[i].Tag < out[j].Tag
	})
	return out
}
