package app

import (
	"context"
	"slices"
	"time"

	"gradjudge"
)

// StuckAttempts is how many attempts without a pass make a student "stuck" on an exercise.
const StuckAttempts = gradjudge.StuckAttempts

// StudentRow is one student of a course with their progress and last activity.
type StudentRow struct {
	gradjudge.Enrollment
	Progress     gradjudge.Progress
	Solved       int        // exercises solved
	LastActivity *time.Time // their latest attempt; nil before any
}

// Stuck is one student who tried one exercise StuckAttempts times or more without solving it.
type Stuck struct {
	Student  gradjudge.Enrollment
	Exercise gradjudge.Exercise
	Attempts int
	Last     *time.Time
}

// StudentList is what the course staff see of their students: every student with their state per
// exercise, those who have not started anything, and those stuck on an exercise.
type StudentList struct {
	Exercises  []gradjudge.Exercise // the course's, in its order
	Students   []StudentRow         // by user id
	NotStarted []gradjudge.Enrollment
	Stuck      []Stuck // most attempts first
}

// Students returns the course's student list, for its staff. It is a view of the same gradebook
// the grades export shows, so the two never disagree.
func (a *App) Students(ctx context.Context, v Visit) (StudentList, error) {
	g, err := a.Gradebook(ctx, v)
	if err != nil {
		return StudentList{}, err
	}
	roster := map[int64]gradjudge.Enrollment{}
	for _, e := range g.Roster {
		roster[e.UserID] = e
	}
	l := StudentList{Exercises: g.Exercises, Students: make([]StudentRow, 0, len(g.Students))}
	for _, p := range g.Students {
		row := studentRow(roster[p.UserID], p)
		l.Students = append(l.Students, row)
		if row.LastActivity == nil {
			l.NotStarted = append(l.NotStarted, row.Enrollment)
		}
		for i, ep := range p.Exercises {
			if ep.Stuck() {
				l.Stuck = append(l.Stuck, Stuck{Student: row.Enrollment, Exercise: g.Exercises[i], Attempts: ep.Attempts, Last: ep.LastAttemptAt})
			}
		}
	}
	sortStuck(l.Stuck)
	return l, nil
}

func studentRow(e gradjudge.Enrollment, p gradjudge.Progress) StudentRow {
	row := StudentRow{Enrollment: e, Progress: p}
	for _, ep := range p.Exercises {
		if ep.Solved() {
			row.Solved++
		}
		if ep.LastAttemptAt != nil && (row.LastActivity == nil || ep.LastAttemptAt.After(*row.LastActivity)) {
			row.LastActivity = ep.LastAttemptAt
		}
	}
	return row
}

// sortStuck puts the most attempts first, then by student, then by the course's order (stable).
func sortStuck(s []Stuck) {
	slices.SortStableFunc(s, func(a, b Stuck) int { return b.Attempts - a.Attempts })
}

// StudentDetail is one student's page for the course staff: their progress and their
// submissions, newest first.
type StudentDetail struct {
	Student     gradjudge.Enrollment
	Progress    gradjudge.Progress
	Submissions []gradjudge.Submission
}

// Student returns student userID's detail, for the course staff. Only the newest
// MaxSubmissionLimit submissions are listed.
func (a *App) Student(ctx context.Context, v Visit, userID int64) (StudentDetail, error) {
	if err := v.RequireStaff(); err != nil {
		return StudentDetail{}, err
	}
	p, err := a.Progress(ctx, v, userID)
	if err != nil {
		return StudentDetail{}, err
	}
	roster, err := a.d.Courses.Enrollments(ctx, v.Course.ID)
	if err != nil {
		return StudentDetail{}, err
	}
	d := StudentDetail{Progress: p}
	for _, e := range roster {
		if e.UserID == userID {
			d.Student = e
		}
	}
	d.Submissions, err = a.Submissions(ctx, v, gradjudge.SubmissionFilter{UserID: userID, Limit: gradjudge.MaxSubmissionLimit})
	return d, err
}

// SubmissionVariant returns the variant submission s answered, for the course staff drawing it
// (a student reads their own through Variant).
func (a *App) SubmissionVariant(v Visit, s gradjudge.Submission) (gradjudge.Variant, error) {
	if err := v.RequireStaff(); err != nil {
		return gradjudge.Variant{}, err
	}
	if s.CourseID != v.Course.ID {
		return gradjudge.Variant{}, errSubmissionNotFound
	}
	return a.d.Catalog.Variant(s.ExerciseID, s.Seed)
}
