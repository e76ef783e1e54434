package web

import (
	"net/http"
	"strconv"
)

// courseRow is one line of the course list.
type courseRow struct {
	ID    int64
	Title string
	Role  string // the user's role in the course
}

// courses lists the user's courses; an admin sees every course.
func (h *Handler) courses(w http.ResponseWriter, r *http.Request, v visit) {
	ms, err := h.App.Courses(r.Context(), v.User)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows := make([]courseRow, 0, len(ms))
	for _, m := range ms {
		rows = append(rows, courseRow{ID: m.Course.ID, Title: m.Course.Title, Role: string(m.Role)})
	}
	h.render(w, r, http.StatusOK, "courses.html", "Your courses", &v.User, rows)
}

// inCourse opens the course named by {id} through the core, which answers a course the user is
// not enrolled in exactly as one that does not exist.
func (h *Handler) inCourse(next pageFunc) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v visit) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			h.renderError(w, r, http.StatusBadRequest, "The course id must be a positive integer.")
			return
		}
		visit, err := h.App.OpenCourse(r.Context(), v.User, id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.Course, v.Role = visit.Course, visit.Role
		next(w, r, v)
	}
}

// staffOnly lets through the course's instructors and TAs (and admins); others get 403.
func (h *Handler) staffOnly(next pageFunc) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v visit) {
		if err := v.app().RequireStaff(); err != nil {
			h.fail(w, r, err)
			return
		}
		next(w, r, v)
	}
}

// course shows the course staff the class dashboard and a student their own progress.
func (h *Handler) course(w http.ResponseWriter, r *http.Request, v visit) {
	if v.Role.IsStaff() {
		h.stats(w, r, v)
		return
	}
	h.progress(w, r, v)
}
