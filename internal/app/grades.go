package app

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
