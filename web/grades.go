package web

import (
	"fmt"
	"net/http"

	"gradjudge/internal/gradebook"
)

// grades answers the gradebook as CSV, the same file as the API's
// GET /api/v1/courses/{id}/grades.csv (see gradebook.WriteCSV). The API's route wants a bearer
// token, which a browser holding only the session cookie cannot send; hence this route.
func (h *Handler) grades(w http.ResponseWriter, r *http.Request, v visit) {
	g, err := h.App.Gradebook(r.Context(), v.app())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="course-%d-grades.csv"`, v.Course.ID))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if err := gradebook.WriteCSV(w, g.Exercises, g.Students, g.Roster, g.Grades); err != nil {
		h.log.WarnContext(r.Context(), "grades.csv: writing the answer", "course", v.Course.ID, "err", err) // status sent already
	}
}

// learningCSV answers the class's learner model as CSV, the same file as the API's
// GET /api/v1/courses/{id}/learning.csv (see gradebook.WriteLearningCSV), for the session cookie.
func (h *Handler) learningCSV(w http.ResponseWriter, r *http.Request, v visit) {
	cl, err := h.App.ClassLearning(r.Context(), v.app())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="course-%d-learning.csv"`, v.Course.ID))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if err := gradebook.WriteLearningCSV(w, cl); err != nil {
		h.log.WarnContext(r.Context(), "learning.csv: writing the answer", "course", v.Course.ID, "err", err) // status sent already
	}
}
