package web

import (
	"fmt"
	"net/http"

	"gradjudge"
	"gradjudge/internal/gradebook"
)

// grades answers the gradebook as CSV, the same file as the API's
// GET /api/v1/courses/{id}/grades.csv (see gradebook.WriteCSV). The API's route wants a bearer
// token, which a browser holding only the session cookie cannot send; hence this route.
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
	if err := gradebook.WriteCSV(w, h.catalog.courseExercises(v.Course), rows, roster); err != nil {
		h.log.WarnContext(ctx, "grades.csv: writing the answer", "course", v.Course.ID, "err", err) // status sent already
	}
}
