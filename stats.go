package gradjudge

import (
	"slices"
	"sort"
)

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
	Stuck      int     // students stuck on it (ExerciseProgress.Stuck)
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
	Stuck     int // students stuck on at least one exercise (ExerciseProgress.Stuck)
	Exercises []ExerciseStats
	Concepts  []ConceptStats
}

// RollUpStats builds the dashboard of course courseID over its students (their count, and the
// records of exactly those students). Only the outline's exercises count. It goes over the
// records and events once, whatever the number of exercises and concepts: a course of 500
// students has some ten thousand records.
func RollUpStats(o CourseOutline, courseID int64, students int, recs ProgressRecords) CourseStats {
	l := o.layout()
	events := eventList{all: recs.Events, in: make([]int32, 0, len(recs.Events))}
	for i, e := range recs.Events {
		if _, ok := l.exercise[e.ExerciseID]; ok {
			events.in = append(events.in, int32(i))
		}
	}
	return CourseStats{CourseID: courseID, Students: students, Stuck: l.stuckStudents(recs.Exercises),
		Exercises: l.exerciseStats(recs.Exercises, events), Concepts: o.conceptStats(recs.Exercises, events)}
}

// stuckStudents counts the students stuck on at least one of the outline's exercises.
func (l outlineLayout) stuckStudents(rows []ExerciseRecord) int {
	stuck := map[int64]bool{}
	for _, r := range rows {
		if _, ok := l.exercise[r.ExerciseID]; ok && r.Stuck() {
			stuck[r.UserID] = true
		}
	}
	return len(stuck)
}

// eventList is some of a course's events: those of all at the indices in, in order. The roll-up
// groups thousands of events by exercise and by concept, as indices rather than copies.
type eventList struct {
	all []MisconceptionEvent
	in  []int32
}

// groupBy splits the list by key, each group in the list's order.
func (l eventList) groupBy(key func(*MisconceptionEvent) string) map[string]eventList {
	n := map[string]int{}
	for _, i := range l.in {
		n[key(&l.all[i])]++
	}
	out := make(map[string]eventList, len(n))
	backing := make([]int32, 0, len(l.in))
	for k, c := range n {
		out[k] = eventList{all: l.all, in: backing[len(backing) : len(backing) : len(backing)+c]}
		backing = backing[:len(backing)+c]
	}
	for _, i := range l.in {
		k := key(&l.all[i])
		g := out[k]
		g.in = append(g.in, i)
		out[k] = g
	}
	return out
}

// exerciseTally is one exercise's stats as the records are counted.
type exerciseTally struct {
	st     ExerciseStats
	toPass []int // attempts to pass, of the students who passed
}

// exerciseStats summarizes each exercise of the course.
func (l outlineLayout) exerciseStats(rows []ExerciseRecord, events eventList) []ExerciseStats {
	tally := make(map[string]*exerciseTally, len(l.exercise))
	for id := range l.exercise {
		tally[id] = &exerciseTally{}
	}
	for _, r := range rows {
		t := tally[r.ExerciseID]
		if t == nil || r.Attempts == 0 {
			continue
		}
		t.st.Students++
		t.st.Attempts += r.Attempts
		t.st.MeanGrade += r.Grade
		if r.Stuck() {
			t.st.Stuck++
		}
		if r.Solved() && r.AttemptsToSolve > 0 {
			t.st.Passed++
			t.toPass = append(t.toPass, r.AttemptsToSolve)
		}
	}
	byExercise := events.groupBy(func(e *MisconceptionEvent) string { return e.ExerciseID })
	out := make([]ExerciseStats, 0, len(l.o.Exercises))
	for _, e := range l.o.Exercises {
		t := tally[e.ID]
		st := t.st
		st.ExerciseID = e.ID
		if st.Students > 0 {
			st.PassRate = float64(st.Passed) / float64(st.Students)
			st.MeanGrade /= float64(st.Students)
		}
		st.MedianAttemptsToPass = Median(slices.Clone(t.toPass))
		st.Misconceptions = tagCounts(byExercise[e.ID], st.Students)
		out = append(out, st)
	}
	return out
}

// conceptStats summarizes misconceptions per concept. A concept's students are those who
// attempted one of its exercises or earned one of its tags.
func (o CourseOutline) conceptStats(rows []ExerciseRecord, events eventList) []ConceptStats {
	var cols []string // the concepts, each a column of the students' marks
	col := map[string]int{}
	add := func(k string) int {
		c, ok := col[k]
		if !ok {
			c = len(cols)
			col[k], cols = c, append(cols, k)
		}
		return c
	}
	exCols := map[string][]int{} // by exercise id, its concepts' columns
	for _, e := range o.Exercises {
		exCols[e.ID] = make([]int, len(e.Concepts))
		for i, k := range e.Concepts {
			exCols[e.ID][i] = add(k)
		}
	}
	evCol := make([]int, len(events.in)) // the column of each event's tag's concept; -1 for an unknown tag
	for j, i := range events.in {
		evCol[j] = -1
		if k, ok := o.TagConcept[events.all[i].Tag]; ok {
			evCol[j] = add(k)
		}
	}
	// an unknown tag's concept is "", as TagConcept answers
	byConcept := events.groupBy(func(e *MisconceptionEvent) string { return o.TagConcept[e.Tag] })
	m := newMarks(len(cols))
	for _, r := range rows {
		if c := exCols[r.ExerciseID]; r.Attempts > 0 && len(c) > 0 {
			m.set(r.UserID, c...)
		}
	}
	for j, i := range events.in {
		if evCol[j] >= 0 {
			m.set(events.all[i].UserID, evCol[j])
		}
	}
	students := map[string]int{}
	for c, n := range m.counts() {
		if n > 0 {
			students[cols[c]] = n
		}
	}
	out := make([]ConceptStats, 0, len(students))
	for _, k := range conceptOrder(o.conceptOrder(), students) {
		out = append(out, ConceptStats{Concept: k, Students: students[k], Misconceptions: tagCounts(byConcept[k], students[k])})
	}
	return out
}

// marks are a row of flags per user and a column per concept: which users belong to which
// concepts, without a set insertion per record.
type marks struct {
	width int
	row   map[int64]int // user → the start of their row in flags
	flags []bool
}

func newMarks(width int) *marks { return &marks{width: width, row: map[int64]int{}} }

// set marks user in columns.
func (m *marks) set(user int64, columns ...int) {
	r, ok := m.row[user]
	if !ok {
		r = len(m.flags)
		m.row[user] = r
		m.flags = append(m.flags, make([]bool, m.width)...)
	}
	for _, c := range columns {
		m.flags[r+c] = true
	}
}

// counts returns the users marked in each column.
func (m *marks) counts() []int {
	out := make([]int, m.width)
	for i, f := range m.flags {
		if f {
			out[i%m.width]++
		}
	}
	return out
}

// tagCounts counts the events per tag, most prevalent first; attempted is the students they are
// a share of.
func tagCounts(events eventList, attempted int) []TagCount {
	byTag := map[string]*TagCount{}
	users := map[string]map[int64]bool{}
	for _, i := range events.in {
		e := &events.all[i]
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
