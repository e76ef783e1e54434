package store

import (
	"context"
	"sort"

	"gorm.io/gorm"

	"gradjudge"
)

// CourseStats implements gradjudge.StatsService. Only students (course role student) count.
func (db *DB) CourseStats(ctx context.Context, courseID int64) (gradjudge.CourseStats, error) {
	const op = "store.CourseStats"
	c, err := db.Course(ctx, courseID)
	if err != nil {
		return gradjudge.CourseStats{}, err
	}
	isStudent := func() *gorm.DB {
		return db.read.WithContext(ctx).Model(&enrollmentRow{}).Select("user_id").
			Where("course_id = ? AND role = ?", courseID, string(gradjudge.CourseStudent))
	}
	var n int64
	if err := isStudent().Count(&n).Error; err != nil {
		return gradjudge.CourseStats{}, dbError(op, "", err)
	}
	var rows []progressRow
	if err := db.read.WithContext(ctx).Where("course_id = ? AND user_id IN (?)", courseID, isStudent()).Find(&rows).Error; err != nil {
		return gradjudge.CourseStats{}, dbError(op, "", err)
	}
	var events []misconceptionEventRow
	if err := db.read.WithContext(ctx).Where("course_id = ? AND user_id IN (?)", courseID, isStudent()).Find(&events).Error; err != nil {
		return gradjudge.CourseStats{}, dbError(op, "", err)
	}
	ce := newCourseExercises(db.cfg.Catalog, c, rows)
	return gradjudge.CourseStats{
		CourseID:  courseID,
		Students:  int(n),
		Exercises: ce.exerciseStats(rows, events),
		Concepts:  ce.conceptStats(rows, events),
	}, nil
}

// exerciseStats summarizes each exercise of the course.
func (ce courseExercises) exerciseStats(rows []progressRow, events []misconceptionEventRow) []gradjudge.ExerciseStats {
	out := make([]gradjudge.ExerciseStats, 0, len(ce.ids))
	for _, id := range ce.ids {
		st := gradjudge.ExerciseStats{ExerciseID: id, Misconceptions: []gradjudge.TagCount{}}
		var toPass []int
		for _, r := range rows {
			if r.ExerciseID != id || r.Attempts == 0 {
				continue
			}
			st.Students++
			st.Attempts += r.Attempts
			if r.SolvedAt != nil && r.AttemptsToSolve != nil {
				st.Passed++
				toPass = append(toPass, *r.AttemptsToSolve)
			}
		}
		if st.Students > 0 {
			st.PassRate = float64(st.Passed) / float64(st.Students)
		}
		st.MedianAttemptsToPass = median(toPass)
		st.Misconceptions = tagCounts(events, func(e misconceptionEventRow) bool { return e.ExerciseID == id }, st.Students)
		out = append(out, st)
	}
	return out
}

// conceptStats summarizes misconceptions per concept. A concept's students are those who
// attempted one of its exercises or earned one of its tags.
func (ce courseExercises) conceptStats(rows []progressRow, events []misconceptionEventRow) []gradjudge.ConceptStats {
	students := map[string]map[int64]bool{}
	mark := func(k string, uid int64) {
		if students[k] == nil {
			students[k] = map[int64]bool{}
		}
		students[k][uid] = true
	}
	for _, r := range rows {
		if r.Attempts > 0 {
			for _, k := range ce.concepts[r.ExerciseID] {
				mark(k, r.UserID)
			}
		}
	}
	for _, e := range events {
		if k, ok := ce.tagConcept[e.Tag]; ok {
			mark(k, e.UserID)
		}
	}
	out := make([]gradjudge.ConceptStats, 0, len(students))
	for _, k := range conceptOrder(ce.order, students) {
		in := func(e misconceptionEventRow) bool { return ce.tagConcept[e.Tag] == k }
		out = append(out, gradjudge.ConceptStats{Concept: k, Students: len(students[k]),
			Misconceptions: tagCounts(events, in, len(students[k]))})
	}
	return out
}

// tagCounts counts the events that in selects, per tag, most prevalent first.
func tagCounts(events []misconceptionEventRow, in func(misconceptionEventRow) bool, attempted int) []gradjudge.TagCount {
	byTag := map[string]*gradjudge.TagCount{}
	users := map[string]map[int64]bool{}
	for _, e := range events {
		if !in(e) {
			continue
		}
		if byTag[e.Tag] == nil {
			byTag[e.Tag] = &gradjudge.TagCount{Tag: e.Tag}
			users[e.Tag] = map[int64]bool{}
		}
		byTag[e.Tag].Events++
		users[e.Tag][e.UserID] = true
	}
	out := make([]gradjudge.TagCount, 0, len(byTag))
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

// median is the median of xs, 0 for none.
func median(xs []int) float64 {
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
