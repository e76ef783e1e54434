package web

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/web/graphsvg"
)

// peopleUnfolded is the most people the settings list unasked; a longer list (a class of
// hundreds) opens on request, so that the page stays short.
const peopleUnfolded = 50

// maxPasteFormBytes bounds the enrolment form: the pasted list and a little more.
const maxPasteFormBytes = app.MaxPasteBytes + 4<<10

// instructorPages are the templates of the explorer and the instructor's pages.
var instructorPages = []string{"explore.html", "course_new.html", "preview.html", "manage.html", "enrolled.html",
	"students.html", "student.html", "drill.html", "setpassword.html", "policy.html", "regrade.html"}

// instructorRoutes registers the explorer and the pages that run a course; POSTs pass csrf.
func (h *Handler) instructorRoutes(mux *http.ServeMux, csrf *http.CrossOriginProtection) {
	post := func(pattern string, f pageFunc) { mux.Handle("POST "+pattern, csrf.Handler(h.signedIn(f))) }
	staff := func(f pageFunc) pageFunc { return h.inCourse(h.staffOnly(f)) }
	mux.HandleFunc("GET /explore", h.signedIn(h.explore))
	mux.HandleFunc("GET /courses/new", h.signedIn(h.newCourse))
	post("/courses", h.createCourse)
	mux.HandleFunc("GET /catalog/{eid}", h.signedIn(h.preview))
	mux.HandleFunc("GET /courses/{id}/manage", h.signedIn(staff(h.manage)))
	post("/courses/{id}/manage/exercises", staff(h.editExercises))
	post("/courses/{id}/manage/enrol", staff(h.enrol))
	post("/courses/{id}/manage/role", staff(h.setRole))
	post("/courses/{id}/manage/ta", staff(h.makeTA))
	post("/courses/{id}/manage/unenrol", staff(h.unenrol))
	post("/courses/{id}/manage/link", staff(h.newLink))
	mux.HandleFunc("GET /courses/{id}/students", h.signedIn(staff(h.students)))
	mux.HandleFunc("GET /courses/{id}/students/{uid}", h.signedIn(staff(h.student)))
	mux.HandleFunc("GET /courses/{id}/students/{uid}/learning", h.signedIn(staff(h.studentLearning)))
	mux.HandleFunc("GET /courses/{id}/exercises/{eid}/stats", h.signedIn(staff(h.drill)))
	mux.HandleFunc("GET /courses/{id}/misconceptions.csv", h.signedIn(staff(h.misconceptionsCSV)))
	h.policyRoutes(mux, post, staff)
	mux.HandleFunc("GET /set-password", h.setPasswordPage)
	mux.Handle("POST /set-password", csrf.Handler(http.HandlerFunc(h.setPassword)))
}

// instructorAssets gives a page the instructor pages' stylesheet; embed it in a view.
type instructorAssets struct{}

// Assets are the instructor pages' stylesheet.
func (instructorAssets) Assets() (styles, scripts []string) { return []string{"instructor.css"}, nil }

// Refresh is 0: these pages never reload themselves.
func (instructorAssets) Refresh() int { return 0 }

// newCourseView is the form that creates a course.
type newCourseView struct {
	instructorAssets
	Title     string
	Exercises []pickRow
	Message   string
}

// pickRow is one catalog exercise to pick, with its concepts' titles.
type pickRow struct {
	gradjudge.Exercise
	Picked   bool
	Concepts string
}

// newCourse shows the form to create a course, for instructors and admins.
func (h *Handler) newCourse(w http.ResponseWriter, r *http.Request, v visit) {
	if !mayCreate(v.User) {
		h.renderError(w, r, http.StatusForbidden, "Only instructors may create courses.")
		return
	}
	h.render(w, r, http.StatusOK, "course_new.html", "New course", &v.User, newCourseView{Exercises: h.pickRows(nil)})
}

func mayCreate(u gradjudge.User) bool {
	return u.Role == gradjudge.RoleInstructor || u.Role == gradjudge.RoleAdmin
}

// pickRows lists the catalog with picked ones checked.
func (h *Handler) pickRows(picked []string) []pickRow {
	titles := h.conceptTitles()
	var rows []pickRow
	for _, e := range h.lessonOrder(h.App.Catalog()) {
		var cs []string
		for _, c := range e.Concepts {
			cs = append(cs, titles(c))
		}
		rows = append(rows, pickRow{Exercise: e, Picked: slices.Contains(picked, e.ID), Concepts: strings.Join(cs, "; ")})
	}
	return rows
}

// lessonOrder sorts exercises by the lesson's order of their first concept, keeping the catalog's
// order among equals.
func (h *Handler) lessonOrder(es []gradjudge.Exercise) []gradjudge.Exercise {
	rank := map[string]int{}
	for i, c := range h.App.Concepts() {
		rank[c.ID] = i
	}
	first := func(e gradjudge.Exercise) int {
		if len(e.Concepts) == 0 {
			return len(rank)
		}
		if r, ok := rank[e.Concepts[0]]; ok {
			return r
		}
		return len(rank)
	}
	out := slices.Clone(es)
	slices.SortStableFunc(out, func(a, b gradjudge.Exercise) int { return first(a) - first(b) })
	return out
}

// conceptTitles looks a concept's title up in the catalog, falling back on its id in words.
func (h *Handler) conceptTitles() func(string) string {
	by := map[string]string{}
	for _, c := range h.App.Concepts() {
		by[c.ID] = c.Title
	}
	return func(id string) string {
		if t, ok := by[id]; ok {
			return t
		}
		return strings.ReplaceAll(id, "-", " ")
	}
}

// createCourse creates a course with the picked exercises and opens its settings.
func (h *Handler) createCourse(w http.ResponseWriter, r *http.Request, v visit) {
	if !h.parseForm(w, r, maxFormBytes) {
		return
	}
	picked := r.PostForm["exercise"]
	c, err := h.App.CreateCourse(r.Context(), v.User, r.PostForm.Get("title"), picked)
	if err != nil {
		status := app.HTTPStatus(gradjudge.ErrorCode(err))
		if status >= 500 || len(picked) == 0 && gradjudge.ErrorCode(err) != gradjudge.EINVALID {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, status, "course_new.html", "New course", &v.User, newCourseView{Title: r.PostForm.Get("title"),
			Exercises: h.pickRows(picked), Message: sentence(gradjudge.ErrorMessage(err))})
		return
	}
	http.Redirect(w, r, courseURL(c.ID)+"/manage", http.StatusSeeOther)
}

// parseForm reads a POST form of at most limit bytes, answering 400 when it cannot.
func (h *Handler) parseForm(w http.ResponseWriter, r *http.Request, limit int64) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		h.renderError(w, r, http.StatusBadRequest, "The form could not be read (is it too long?).")
		return false
	}
	return true
}

func courseURL(id int64) string { return "/courses/" + strconv.FormatInt(id, 10) }

// manageView is a course's settings: its exercises, enrolment and people.
type manageView struct {
	instructorAssets
	Course     gradjudge.Course
	Instructor bool // TAs see the page but change nothing
	Exercises  []manageRow
	Others     []gradjudge.Exercise // the catalog's exercises the course does not use
	People     []gradjudge.Enrollment
	Staff      []gradjudge.Enrollment // the instructors and TAs among People
	FoldPeople bool                   // People is long: shown on request
	Unclaimed  map[int64]bool         // the students who may get a new set-password link
	Message    string
}

// manageRow is one exercise of the course, with where it stands in the order.
type manageRow struct {
	Exercise    gradjudge.Exercise
	First, Last bool
	Policy      string // the exercise's policy in a few words; "" when it has none
}

// manage shows the course's settings to its staff.
func (h *Handler) manage(w http.ResponseWriter, r *http.Request, v visit) {
	h.renderManage(w, r, v, http.StatusOK, "")
}

func (h *Handler) renderManage(w http.ResponseWriter, r *http.Request, v visit, status int, msg string) {
	people, err := h.App.Enrollments(r.Context(), v.app())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pols, err := h.App.CoursePolicies(r.Context(), v.app())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	view := manageView{Course: v.Course, Instructor: v.Role == gradjudge.CourseInstructor, People: people, Message: msg,
		FoldPeople: len(people) > peopleUnfolded}
	if view.Instructor {
		if view.Unclaimed, err = h.App.Unclaimed(r.Context(), v.app(), people); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	for _, p := range people {
		if p.Role != gradjudge.CourseStudent {
			view.Staff = append(view.Staff, p)
		}
	}
	used := h.App.CourseExercises(v.Course)
	for i, e := range used {
		row := manageRow{Exercise: e, First: i == 0, Last: i == len(used)-1}
		if p, ok := pols[e.ID]; ok {
			row.Policy = policySummary(p)
		}
		view.Exercises = append(view.Exercises, row)
	}
	for _, e := range h.lessonOrder(h.App.Catalog()) {
		if !slices.ContainsFunc(used, func(x gradjudge.Exercise) bool { return x.ID == e.ID }) {
			view.Others = append(view.Others, e)
		}
	}
	h.render(w, r, status, "manage.html", "Settings: "+v.Course.Title, &v.User, view)
}

// editExercises adds, moves or removes one exercise of the course, then shows the settings
// again at the exercise moved or added (at the list after a removal), so that a keyboard user's
// next Tab goes on from there rather than from the top of the page.
func (h *Handler) editExercises(w http.ResponseWriter, r *http.Request, v visit) {
	if !h.parseForm(w, r, maxFormBytes) {
		return
	}
	id, ctx, va := r.PostForm.Get("exercise"), r.Context(), v.app()
	var err error
	anchor := "#ex-" + id
	switch r.PostForm.Get("action") {
	case "add":
		_, err = h.App.AddCourseExercise(ctx, va, id)
	case "up":
		_, err = h.App.MoveCourseExercise(ctx, va, id, -1)
	case "down":
		_, err = h.App.MoveCourseExercise(ctx, va, id, 1)
	case "remove":
		_, err = h.App.RemoveCourseExercise(ctx, va, id)
		anchor = "#exercises"
	default:
		err = gradjudge.Errorf(gradjudge.EINVALID, "the action must be add, up, down or remove")
	}
	h.afterEdit(w, r, v, err, anchor)
}

// afterEdit goes back to the settings after a change, or shows them with why it was refused.
func (h *Handler) afterEdit(w http.ResponseWriter, r *http.Request, v visit, err error, anchor string) {
	if err == nil {
		http.Redirect(w, r, courseURL(v.Course.ID)+"/manage"+anchor, http.StatusSeeOther)
		return
	}
	status := app.HTTPStatus(gradjudge.ErrorCode(err))
	if status >= 500 {
		h.fail(w, r, err)
		return
	}
	if c, err := h.App.OpenCourse(r.Context(), v.User, v.Course.ID); err == nil {
		v.Course = c.Course // the course as it is now
	}
	h.renderManage(w, r, v, status, sentence(gradjudge.ErrorMessage(err)))
}

// drawPicture draws a variant's graph unmarked; nothing for an exercise without one.
func (h *Handler) drawPicture(v gradjudge.Variant, states map[string]graphsvg.State, id string) template.HTML {
	if v.Graph == "" {
		return ""
	}
	p, err := graphsvg.FromVariant(v)
	if err != nil {
		return ""
	}
	p.States, p.ID = states, id
	out, err := h.pictures.Render(p)
	if err != nil {
		h.log.Warn("web: picture does not render", "exercise", v.ID, "err", err)
	}
	return out
}
