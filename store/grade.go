package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"gradjudge/internal/policy"
)

// A student's course grade on an exercise under its policy is policy.GradeOf over their current
// verdicts, with their extension (Policy.WithExtension): gradesUnder computes it, and nothing
// else. Course pages read it from the grade column of the student's progress row (NULL when the
// policy grades by the best score, which best_score then is), never from the attempts; so the
// column is recomputed in the transaction of every change to its inputs:
//
//   - a verdict that uses an attempt (preparedVerdict.record) and a regrade (preparedVerdict.regrade):
//     the student's row;
//   - the exercise's policy (SetExercisePolicy): every row of the exercise in the course;
//   - an extension given or taken away (SetExtension, DeleteExtension): the student's row;
//   - rows written before the column existed: once, after migrating (fillGrades).
//
// The time of day is no input: a policy judges each attempt by when it was submitted.
//
// On PostgreSQL, whose transactions run side by side and read what others committed before each
// statement, these transactions lock rows in common before they read anything a grade is computed
// from, so that no grade is computed from a policy, an extension or verdicts another transaction
// is changing meanwhile (see lockGrades). SQLite runs one writer at a time.

// gradeLock is how strongly a transaction that writes grades locks the course and the student.
type gradeLock string

const (
	// lockVerdict is a new verdict's: it shares the course and the student with other verdicts
	// (the upsert of their progress row orders a student's verdicts on an exercise, and each
	// computes the grade after it), and waits for a policy change, a regrade or an extension.
	lockVerdict gradeLock = "FOR SHARE OF c, u"
	// lockStudent is a regrade's and an extension's: they rebuild one student's grade from all of
	// their verdicts, so they wait for the student's other verdicts and regrades.
	lockStudent gradeLock = "FOR SHARE OF c FOR NO KEY UPDATE OF u"
)

// lockGrades takes, in tx on PostgreSQL, the locks a transaction that writes the grade of student
// userID in course courseID holds before it reads anything: the course's row shared (a policy
// change takes it exclusively, lockCourseGrades) and the student's row as lock says; a verdict
// takes them before its progress row. NO KEY UPDATE and SHARE leave the foreign-key checks of new
// submissions unblocked. Nothing on SQLite.
func lockGrades(tx *gorm.DB, courseID, userID int64, lock gradeLock) error {
	if !onPostgres(tx) {
		return nil
	}
	return tx.Exec("SELECT 1 FROM courses c, users u WHERE c.id = ? AND u.id = ? "+string(lock), courseID, userID).Error
}

// lockCourseGrades takes, in tx on PostgreSQL, the course's row alone before a policy change
// reads anything: it waits for the verdicts, regrades and extensions of the course being written
// (lockGrades), and those that come later wait for it and read the new policy. Nothing on SQLite.
func lockCourseGrades(tx *gorm.DB, courseID int64) error {
	if !onPostgres(tx) {
		return nil
	}
	return tx.Exec("SELECT 1 FROM courses WHERE id = ? FOR NO KEY UPDATE", courseID).Error
}

func onPostgres(tx *gorm.DB) bool { return tx.Dialector.Name() == "postgres" }

// gradesUnder returns the course grades of students userIDs (nil: every student with an attempt)
// on exercise exerciseID of course courseID under p, the exercise's policy there: policy.GradeOf
// over each one's current verdicts, with their extension. It reads through q in two queries,
// whatever the number of students. A student without an attempt has the zero Grade.
func gradesUnder(q *gorm.DB, p policy.Policy, courseID int64, exerciseID string, userIDs []int64) (map[int64]policy.Grade, error) {
	exts, err := extensionsOf(q, courseID, exerciseID, userIDs)
	if err != nil {
		return nil, err
	}
	attempts, err := attemptsOf(q, courseID, exerciseID, userIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]policy.Grade, len(attempts))
	for u, as := range attempts {
		pu := p
		if due, ok := exts[u]; ok {
			pu = p.WithExtension(due)
		}
		out[u] = pu.GradeOf(as)
	}
	return out, nil
}

// studentGrade is the course grade of a student on an exercise under its policy (gradesUnder),
// read through q: what the LMS gradebook receives.
func studentGrade(q *gorm.DB, courseID, userID int64, exerciseID string) (policy.Grade, error) {
	p, err := exercisePolicy(q, courseID, exerciseID)
	if err != nil {
		return policy.Grade{}, err
	}
	return gradeUnder(q, p, courseID, userID, exerciseID)
}

// gradeUnder is gradesUnder for student userID alone: what no attempt earns when they have none.
func gradeUnder(q *gorm.DB, p policy.Policy, courseID, userID int64, exerciseID string) (policy.Grade, error) {
	grades, err := gradesUnder(q, p, courseID, exerciseID, []int64{userID})
	if err != nil {
		return policy.Grade{}, err
	}
	if g, ok := grades[userID]; ok {
		return g, nil
	}
	return p.GradeOf(nil), nil
}

// refreshGrade recomputes, in tx, the stored grade of student userID on exercise exerciseID of
// course courseID, and returns the grade when want. Under a policy that grades by the best score
// it writes nothing: the row's grade is NULL already (a row starts so, and the change to such a
// policy clears the exercise's rows), and the attempts are read only when want.
func refreshGrade(tx *gorm.DB, courseID, userID int64, exerciseID string, want bool) (policy.Grade, error) {
	p, err := exercisePolicy(tx, courseID, exerciseID)
	if err != nil || (p.GradedByBest() && !want) {
		return policy.Grade{}, err
	}
	g, err := gradeUnder(tx, p, courseID, userID, exerciseID)
	if err != nil || p.GradedByBest() {
		return g, err
	}
	return g, setGrades(tx, courseID, exerciseID, map[int64]policy.Grade{userID: g})
}

// refreshGrades recomputes, in tx, the stored grades of every student's progress row on exercise
// exerciseID of course courseID under its policy there: NULL when it grades by the best score.
func refreshGrades(tx *gorm.DB, courseID int64, exerciseID string) error {
	p, err := exercisePolicy(tx, courseID, exerciseID)
	if err != nil {
		return err
	}
	rows := tx.Table("progress").Where("course_id = ? AND exercise_id = ?", courseID, exerciseID)
	if p.GradedByBest() {
		return rows.Where("grade IS NOT NULL").Update("grade", nil).Error
	}
	grades, err := gradesUnder(tx, p, courseID, exerciseID, nil)
	if err != nil {
		return err
	}
	// A row counts attempts, so every one has a grade in grades; should one not, it gets what no
	// attempt earns rather than keep a grade of the old policy.
	if err := rows.Update("grade", p.GradeOf(nil).Score).Error; err != nil {
		return err
	}
	return setGrades(tx, courseID, exerciseID, grades)
}

// gradeChunk is how many grades one UPDATE writes: well under both databases' limits on a
// statement's parameters.
const gradeChunk = 500

// setGrades writes grades (by user id) to the progress rows of exercise exerciseID of course
// courseID, gradeChunk rows a statement.
func setGrades(tx *gorm.DB, courseID int64, exerciseID string, grades map[int64]policy.Grade) error {
	var (
		cases strings.Builder
		args  []any
		ids   []int64
	)
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		// The CAST gives PostgreSQL the parameters' type, which a CASE of parameters lacks.
		err := tx.Exec("UPDATE progress SET grade = CASE user_id "+cases.String()+" END WHERE course_id = ? AND exercise_id = ? AND user_id IN ?",
			append(args, courseID, exerciseID, ids)...).Error
		cases.Reset()
		args, ids = args[:0], ids[:0]
		return err
	}
	for u, g := range grades {
		cases.WriteString("WHEN ? THEN CAST(? AS DOUBLE PRECISION) ")
		args, ids = append(args, u, g.Score), append(ids, u)
		if len(ids) == gradeChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// fillGrades computes the grades left NULL under a policy that does not grade by the best score:
// the progress rows written before the grade column existed (migration 00011). Each exercise of
// a course is filled in a transaction of its own, as a policy change is; once filled, nothing is
// left to do, and a later start reads only which exercises have such rows.
func (db *DB) fillGrades(ctx context.Context) error {
	var rows []exercisePolicyRow
	err := db.gorm.WithContext(ctx).Where(`EXISTS (SELECT 1 FROM progress g WHERE g.course_id = exercise_policies.course_id
		AND g.exercise_id = exercise_policies.exercise_id AND g.grade IS NULL)`).Find(&rows).Error
	if err != nil {
		return fmt.Errorf("store: fill grades: %w", err)
	}
	for _, r := range rows {
		if r.policy().GradedByBest() {
			continue
		}
		err := db.tx(ctx, func(tx *gorm.DB) error {
			if err := lockCourseGrades(tx, r.CourseID); err != nil {
				return err
			}
			return refreshGrades(tx, r.CourseID, r.ExerciseID)
		})
		if err != nil {
			return fmt.Errorf("store: fill grades of %s in course %d: %w", r.ExerciseID, r.CourseID, err)
		}
	}
	return nil
}

// extensionsOf reads the extended due dates of students userIDs (nil: every student) on an
// exercise of a course, by user id, through q.
func extensionsOf(q *gorm.DB, courseID int64, exerciseID string, userIDs []int64) (map[int64]time.Time, error) {
	var rows []extensionRow
	q = q.Where("course_id = ? AND exercise_id = ?", courseID, exerciseID)
	if userIDs != nil {
		q = q.Where("user_id IN ?", userIDs)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]time.Time, len(rows))
	for _, r := range rows {
		out[r.UserID] = utc(r.DueAt)
	}
	return out, nil
}
