// Package gradebook writes a course's grades as CSV for spreadsheets and learning management
// systems. The API (GET /api/v1/courses/{id}/grades.csv) and the web pages (the same path, with
// the session cookie) serve the same file through it.
package gradebook

import (
	"encoding/csv"
	"io"
	"strconv"

	"gradjudge"
	"gradjudge/internal/app"
)

// Grades and ExerciseGrades are the course grades the core computes (app.Grades); aliases, so
// that the core need not import its writer.
type (
	Grades         = app.Grades
	ExerciseGrades = app.ExerciseGrades
)

// DefaultRule is the rule of an exercise without an entry in Grades (app.DefaultGradeRule).
const DefaultRule = app.DefaultGradeRule

// WriteCSV writes the gradebook to w: a header, then one row per entry of rows (a student's
// progress) with the student's id, email and name from roster; for each exercise in the order of
// exercises its grade (grades, or the best score) and, in the column "ID rule" next to it, the
// rule that computes it; then the total of the grades and the number solved. Scores have four
// decimals; an email or name a spreadsheet would run as a formula is defused. It returns the
// first write error.
func WriteCSV(w io.Writer, exercises []gradjudge.Exercise, rows []gradjudge.Progress, roster []gradjudge.Enrollment, grades Grades) error {
	cw := csv.NewWriter(w)
	header := []string{"user_id", "email", "name"}
	for _, e := range exercises {
		header = append(header, e.ID, e.ID+" rule")
	}
	cw.Write(append(header, "total", "solved"))
	people := map[int64]gradjudge.Enrollment{}
	for _, e := range roster {
		people[e.UserID] = e
	}
	for _, p := range rows {
		cw.Write(row(p, people[p.UserID], exercises, grades))
	}
	cw.Flush()
	return cw.Error()
}

// row is the CSV record of one student.
func row(p gradjudge.Progress, who gradjudge.Enrollment, exercises []gradjudge.Exercise, grades Grades) []string {
	best := map[string]gradjudge.ExerciseProgress{}
	for _, e := range p.Exercises {
		best[e.ExerciseID] = e
	}
	rec := []string{strconv.FormatInt(p.UserID, 10), csvSafe(who.Email), csvSafe(who.Name)}
	total, solved := 0.0, 0
	for _, e := range exercises {
		ep := best[e.ID]
		score, rule := ep.BestScore, DefaultRule
		if g, ok := grades[e.ID]; ok {
			score, rule = g.ByUser[p.UserID], g.Rule
		}
		rec = append(rec, strconv.FormatFloat(score, 'f', 4, 64), rule)
		total += score
		if ep.Solved() {
			solved++
		}
	}
	return append(rec, strconv.FormatFloat(total, 'f', 4, 64), strconv.Itoa(solved))
}

// csvSafe defuses a cell a spreadsheet would run as a formula (CSV injection through a name).
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
