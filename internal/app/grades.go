package app

import (
	"context"

	"gradjudge"
	"gradjudge/internal/policy"
)

// Grades are the course grades under the exercises' assessment policies, by exercise id. An
// exercise without an entry is graded by its best score, under DefaultGradeRule.
type Grades map[string]ExerciseGrades

// ExerciseGrades are the grades of one exercise: the rule that computes them, and each student's
// grade by user id (a student without one has 0).
type ExerciseGrades struct {
	Rule   string
	ByUser map[int64]float64
}

// DefaultGradeRule is the rule of an exercise without an entry in Grades.
const DefaultGradeRule = "best attempt"

// gradedRecords reads the records of students userIDs in the course and grades them on the
// exercises (gradeRecords): every progress page, dashboard, gradebook and API answer rolls up
// records read here, so that all show the same grades.
func (a *App) gradedRecords(ctx context.Context, courseID int64, exercises []gradjudge.Exercise, userIDs []int64) (gradjudge.ProgressRecords, Grades, error) {
	recs, err := a.readRecords(ctx, courseID, exercises, userIDs)
	if err != nil {
		return recs, nil, err
	}
	g, err := a.gradeRecords(ctx, courseID, exercises, userIDs, recs)
	return recs, g, err
}

// gradeRecords sets the Grade of the records of the exercises: each student's course grade under
// the exercise's policy in the course, with their extension (policy.GradeOf, the one rule). It
// costs no query per student: the course's policies, then, only for exercises whose policy does
// not grade by the best score (policy.GradedByBest), its extensions and the attempts on those
// exercises, each in one query. Without Deps.Policies every exercise has the zero Policy.
func (a *App) gradeRecords(ctx context.Context, courseID int64, exercises []gradjudge.Exercise, userIDs []int64, recs gradjudge.ProgressRecords) (Grades, error) {
	pols := map[string]policy.Policy{}
	if a.d.Policies != nil {
		var err error
		if pols, err = a.d.Policies.CoursePolicies(ctx, courseID); err != nil {
			return nil, err
		}
	}
	out := make(Grades, len(exercises))
	var read []string // the exercises whose grades need the attempts
	for _, e := range exercises {
		out[e.ID] = ExerciseGrades{Rule: pols[e.ID].RuleText(), ByUser: map[int64]float64{}}
		if !pols[e.ID].GradedByBest() {
			read = append(read, e.ID)
		}
	}
	grade, err := a.grader(ctx, courseID, pols, read, userIDs)
	if err != nil {
		return nil, err
	}
	for i := range recs.Exercises {
		r := &recs.Exercises[i]
		if eg, ok := out[r.ExerciseID]; ok {
			r.Grade = grade(r)
			eg.ByUser[r.UserID] = r.Grade
		}
	}
	return out, nil
}

// grader returns the function that grades one record: by the best score where the policy grades
// so, else from the student's attempts on the exercises read (with their extension).
func (a *App) grader(ctx context.Context, courseID int64, pols map[string]policy.Policy, read []string, userIDs []int64) (func(*gradjudge.ExerciseRecord) float64, error) {
	byBest := func(r *gradjudge.ExerciseRecord) float64 { return r.BestScore }
	if len(read) == 0 {
		return byBest, nil
	}
	exts, err := a.d.Policies.CourseExtensions(ctx, courseID)
	if err != nil {
		return nil, err
	}
	attempts, err := a.d.Policies.CourseAttempts(ctx, courseID, read, userIDs)
	if err != nil {
		return nil, err
	}
	return func(r *gradjudge.ExerciseRecord) float64 {
		p := pols[r.ExerciseID]
		if p.GradedByBest() {
			return byBest(r)
		}
		if due, ok := exts[r.UserID][r.ExerciseID]; ok {
			p = p.WithExtension(due)
		}
		return p.GradeOf(attempts[r.UserID][r.ExerciseID]).Score
	}, nil
}
