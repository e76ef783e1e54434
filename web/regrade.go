package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gradjudge"
	"gradjudge/internal/regrade"
)

// regradeRefreshSecs is how often the report of a regrade still running reloads itself.
const regradeRefreshSecs = 2

// regradeView is the regrade page of a course exercise: the form that starts a run, or a run's
// progress and report.
type regradeView struct {
	Course   gradjudge.Course
	Exercise gradjudge.Exercise
	Report   *regrade.Report // nil on the form
	Running  bool            // the report is not final yet: the page reloads itself
	Percent  int             // of the run's submissions judged again
	Moves    []moveRow
	Grades   []gradeMoveRow
}

// moveRow is how many verdicts went from one status to another.
type moveRow struct {
	From, To string // statuses
	Count    int
}

// gradeMoveRow is one student's grade on the exercise before and after the regrade.
type gradeMoveRow struct {
	UserID        int64
	Name, Email   string
	Before, After float64
	Rule          string
	Up            bool
}

// Assets are the instructor pages' stylesheet and, while a run goes on, the script that reloads
// the page.
func (v regradeView) Assets() (styles, scripts []string) {
	if v.Running {
		scripts = []string{"js/refresh.js"}
	}
	return []string{"instructor.css"}, scripts
}

// Refresh reloads a running report where JavaScript is off.
func (v regradeView) Refresh() int {
	if v.Running {
		return regradeRefreshSecs
	}
	return 0
}

// regradePage shows the form that starts a regrade of exercise {eid} of the course, to its
// instructors.
func (h *Handler) regradePage(w http.ResponseWriter, r *http.Request, v visit) {
	if err := v.app().RequireInstructor(); err != nil {
		h.fail(w, r, err)
		return
	}
	e, err := h.App.CourseExercise(v.Course, r.PathValue("eid"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "regrade.html", "Regrade: "+e.Title, &v.User, regradeView{Course: v.Course, Exercise: e})
}

// startRegrade starts (or resumes) a regrade through the core and goes to its report.
func (h *Handler) startRegrade(w http.ResponseWriter, r *http.Request, v visit) {
	if !h.parseForm(w, r, maxFormBytes) {
		return
	}
	run, err := h.App.Regrade(r.Context(), v.app(), r.PathValue("eid"), r.PostForm.Get("dry_run") != "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, regradeURL(v.Course.ID, run.Request.ExerciseID, run.ID), http.StatusSeeOther)
}

// regradeReport shows regrade run {rid} of exercise {eid}: its progress while it runs, then what
// it changed.
func (h *Handler) regradeReport(w http.ResponseWriter, r *http.Request, v visit) {
	id, err := strconv.ParseInt(r.PathValue("rid"), 10, 64)
	if err != nil || id <= 0 {
		h.renderError(w, r, http.StatusBadRequest, "The regrade id must be a positive integer.")
		return
	}
	rep, err := h.App.RegradeReport(r.Context(), v.app(), id)
	if err == nil && rep.Request.ExerciseID != r.PathValue("eid") {
		err = gradjudge.Errorf(gradjudge.ENOTFOUND, "regrade not found")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	people, err := h.App.Enrollments(r.Context(), v.app())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	view := regradeView{Course: v.Course, Exercise: h.App.Exercise(rep.Request.ExerciseID), Report: &rep,
		Running: rep.FinishedAt == nil, Moves: moveRows(rep.Moves), Grades: gradeMoveRows(rep.Grades, people)}
	if rep.Total > 0 {
		view.Percent = rep.Done * 100 / rep.Total
	}
	h.render(w, r, http.StatusOK, "regrade.html", "Regrade: "+view.Exercise.Title, &v.User, view)
}

// moveRows lists the report's status changes, the most frequent first.
func moveRows(moves map[string]int) []moveRow {
	rows := make([]moveRow, 0, len(moves))
	for m, n := range moves {
		from, to, _ := strings.Cut(m, " → ")
		rows = append(rows, moveRow{From: strings.TrimSpace(from), To: strings.TrimSpace(to), Count: n})
	}
	slices.SortFunc(rows, func(a, b moveRow) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.From+a.To, b.From+b.To)
	})
	return rows
}

// gradeMoveRows names the students whose grade moved.
func gradeMoveRows(moves []regrade.GradeMove, people []gradjudge.Enrollment) []gradeMoveRow {
	names := map[int64]string{}
	for _, p := range people {
		names[p.UserID] = p.Name
	}
	rows := make([]gradeMoveRow, 0, len(moves))
	for _, g := range moves {
		rows = append(rows, gradeMoveRow{UserID: g.UserID, Name: names[g.UserID], Email: g.Email, Before: g.Before.Score,
			After: g.After.Score, Rule: g.After.Rule, Up: g.After.Score > g.Before.Score})
	}
	return rows
}

// regradeURL is the report of regrade run id of exercise eid in course courseID.
func regradeURL(courseID int64, eid string, id int64) string {
	return exerciseURL(courseID, eid) + "/regrades/" + strconv.FormatInt(id, 10)
}
