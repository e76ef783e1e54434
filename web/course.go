package web

import (
	"net/http"
	"strconv"

	"gradjudge"
)

// catalogIndex looks up exercises and misconceptions of the catalog by id. It is built once in New:
// the catalog does not change while the server runs.
type catalogIndex struct {
	all       []gradjudge.Exercise // in catalog order
	exercises map[string]gradjudge.Exercise
	miscs     map[string]gradjudge.Misconception
	order     map[string]int // tag → position in the misconception catalog
}

func indexCatalog(c gradjudge.Catalog) catalogIndex {
	ix := catalogIndex{all: c.Exercises(), exercises: map[string]gradjudge.Exercise{},
		miscs: map[string]gradjudge.Misconception{}, order: map[string]int{}}
	for _, e := range ix.all {
		ix.exercises[e.ID] = e
	}
	for i, m := range c.Misconceptions() {
		ix.miscs[m.Tag] = m
		ix.order[m.Tag] = i
	}
	return ix
}

// exercise returns the catalog entry of id, or one titled with the id when the catalog lost it.
func (ix catalogIndex) exercise(id string) gradjudge.Exercise {
	if e, ok := ix.exercises[id]; ok {
		return e
	}
	return gradjudge.Exercise{ID: id, Title: id}
}

// misconception returns the catalog entry of tag, or one titled with the tag for a tag the
// catalog does not know (an author's own).
func (ix catalogIndex) misconception(tag string) gradjudge.Misconception {
	if m, ok := ix.miscs[tag]; ok {
		return m
	}
	return gradjudge.Misconception{Tag: tag, Title: tag}
}

// courseRow is one line of the course list.
type courseRow struct {
	ID    int64
	Title string
	Role  string // the user's role in the course; "admin" for an admin who is not enrolled
}

// courses lists the user's courses; an admin sees every course.
func (h *Handler) courses(w http.ResponseWriter, r *http.Request, v visit) {
	ms, err := h.Courses.CoursesOf(r.Context(), v.User.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var rows []courseRow
	enrolled := map[int64]bool{}
	for _, m := range ms {
		rows = append(rows, courseRow{ID: m.Course.ID, Title: m.Course.Title, Role: string(m.Role)})
		enrolled[m.Course.ID] = true
	}
	if v.User.Role == gradjudge.RoleAdmin {
		all, err := h.Courses.Courses(r.Context())
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, c := range all {
			if !enrolled[c.ID] {
				rows = append(rows, courseRow{ID: c.ID, Title: c.Title, Role: "admin"})
			}
		}
	}
	h.render(w, r, http.StatusOK, "courses.html", "Your courses", &v.User, rows)
}

// inCourse loads the course named by {id} and the user's role in it, exactly as the API does: a
// user who is not enrolled is told the course does not exist (404), so that course ids cannot be
// probed, and an admin acts as an instructor of every course.
func (h *Handler) inCourse(next pageFunc) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v visit) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			h.renderError(w, r, http.StatusBadRequest, "The course id must be a positive integer.")
			return
		}
		ctx := r.Context()
		role, err := h.Courses.CourseRole(ctx, id, v.User.ID)
		if err == nil && v.User.Role == gradjudge.RoleAdmin {
			role = gradjudge.CourseInstructor
		}
		if err == nil && role == "" {
			err = gradjudge.Errorf(gradjudge.ENOTFOUND, "course %d not found", id)
		}
		var course gradjudge.Course
		if err == nil {
			course, err = h.Courses.Course(ctx, id)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.Course, v.Role = course, role
		next(w, r, v)
	}
}

// staffOnly lets through the course's instructors and TAs (and admins); others get 403.
func (h *Handler) staffOnly(next pageFunc) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v visit) {
		if !v.Role.IsStaff() {
			h.renderError(w, r, http.StatusForbidden, "Only the course's instructors and TAs may see this.")
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

// courseExercises returns the exercises course uses, in its order; all of the catalog's when it
// names none.
func (ix catalogIndex) courseExercises(course gradjudge.Course) []gradjudge.Exercise {
	if len(course.ExerciseIDs) == 0 {
		return ix.all
	}
	out := make([]gradjudge.Exercise, 0, len(course.ExerciseIDs))
	for _, id := range course.ExerciseIDs {
		if e, ok := ix.exercises[id]; ok {
			out = append(out, e)
		}
	}
	return out
}
