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
	g, err := a.gradeRecords(ctx, courseID, exercises, recs)
	return recs, g, err
}

// gradeRecords sets the Grade of the records of the exercises: each student's course grade under
// the exercise's policy in the course, with their extension (policy.GradeOf, the one rule), which
// the store keeps up to date on every record; where the policy grades by the best score
// (policy.GradedByBest), the best score. It reads the course's policies, for the rules' text, and
// nothing per student. Without Deps.Policies every exercise has the zero Policy.
func (a *App) gradeRecords(ctx context.Context, courseID int64, exercises []gradjudge.Exercise, recs gradjudge.ProgressRecords) (Grades, error) {
	pols := map[string]policy.Policy{}
	if a.d.Policies != nil {
		var err error
		if pols, err = a.d.Policies.CoursePolicies(ctx, courseID); err != nil {
			return nil, err
		}
	}
	out := make(Grades, len(exercises))
	for _, e := range exercises {
		out[e.ID] = ExerciseGrades{Rule: pols[e.ID].RuleText(), ByUser: map[int64]float64{}}
	}
	for i := range recs.Exercises {
		r := &recs.Exercises[i]
		eg, ok := out[r.ExerciseID]
		if !ok {
			continue
		}
		if pols[r.ExerciseID].GradedByBest() {
			r.Grade = r.BestScore
		}
		eg.ByUser[r.UserID] = r.Grade
	}
	return out, nil
}
