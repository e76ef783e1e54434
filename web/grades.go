package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"

	"gradjudge"
)

// grades answers the gradebook as CSV, in the same columns as the API's
// GET /api/v1/courses/{id}/grades.csv: one row per student, the best score of each exercise of
// the course in its order, then the total and the number solved. The API's route wants a bearer
// token, which a browser holding only the session cookie cannot send; hence this copy.
func (h *Handler) grades(w http.ResponseWriter, r *http.Request, v visit) {
	ctx := r.Context()
	rows, err := h.Progress.CourseProgress(ctx, v.Course.ID)
	var roster []gradjudge.Enrollment
	if err == nil {
		roster, err = h.Courses.Enrollments(ctx, v.Course.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="course-%d-grades.csv"`, v.Course.ID))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	writeGrades(csv.NewWriter(w), h.catalog.courseExercises(v.Course), rows, roster)
}

func writeGrades(w *csv.Writer, exercises []gradjudge.Exercise, rows []gradjudge.Progress, roster []gradjudge.Enrollment) {
	header := []string{"user_id", "email", "name"}
	for _, e := range exercises {
		header = append(header, e.ID)
	}
	w.Write(append(header, "total", "solved"))
	people := map[int64]gradjudge.Enrollment{}
	for _, e := range roster {
		people[e.UserID] = e
	}
	for _, p := range rows {
		best := map[string]gradjudge.ExerciseProgress{}
		for _, e := range p.Exercises {
			best[e.ExerciseID] = e
		}
		who := people[p.UserID]
		rec := []string{strconv.FormatInt(p.UserID, 10), csvSafe(who.Email), csvSafe(who.Name)}
		total, solved := 0.0, 0
		for _, e := range exercises {
			ep := best[e.ID]
			rec = append(rec, strconv.FormatFloat(ep.BestScore, 'f', 4, 64))
			total += ep.BestScore
			if ep.Solved() {
				solved++
			}
		}
		w.Write(append(rec, strconv.FormatFloat(total, 'f', 4, 64), strconv.Itoa(solved)))
	}
	w.Flush()
}

// csvSafe defuses a cell a spreadsheet would run as a formula (CSV injection through a name).
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
