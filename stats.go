package gradjudge

import "sort"

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
	// MeanGrade is the mean course grade (ExerciseProgress.Grade) of the students who attempted,
	// in [0,1]; 0 when nobody attempted.
	MeanGrade float64
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

// RollUpStats builds the dashboard of course courseID over its students (their count, and the
// records of exactly those students). Only the outline's exercises count.
func RollUpStats(o CourseOutline, courseID int64, students int, recs ProgressRecords) CourseStats {
	var events []MisconceptionEvent
	for _, e := range recs.Events {
		if o.inCourse(e.ExerciseID) {
			events = append(events, e)
		}
	}
	return CourseStats{CourseID: courseID, Students: students,
		Exercises: o.exerciseStats(recs.Exercises, events), Concepts: o.conceptStats(recs.Exercises, events)}
}

// exerciseStats summarizes each exercise of the course.
func (o CourseOutline) exerciseStats(rows []ExerciseRecord, events []MisconceptionEvent) []ExerciseStats {
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
		st.Misconceptions = tagCounts(events, func(ev MisconceptionEvent) bool { return ev.ExerciseID == e.ID }, st.Students)
		out = append(out, st)
	}
	return out
}

// conceptStats summarizes misconceptions per concept. A concept's students are those who
// attempted one of its exercises or earned one of its tags.
func (o CourseOutline) conceptStats(rows []ExerciseRecord, events []MisconceptionEvent) []ConceptStats {
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
		out = append(out, ConceptStats{Concept: k, Students: len(students[k]), Misconceptions: tagCounts(events, in, len(students[k]))})
	}
	return out
}

// tagCounts counts the events that in selects, per tag, most prevalent first.
func tagCounts(events []MisconceptionEvent, in func(MisconceptionEvent) bool, attempted int) []TagCount {
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

// Median is the median of xs (which it sorts), 0 for none.
func Median(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	sort.Ints(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return float64(xs[m])
	}
	return float64(xs[m-1]+xs[m]) / 2
}
