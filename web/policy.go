package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/internal/policy"
)

// policyView is the settings page of one course exercise's assessment policy, with its
// per-student extensions.
type policyView struct {
	instructorAssets
	Course     gradjudge.Course
	Exercise   gradjudge.Exercise
	Instructor bool // TAs read the settings; only instructors change them
	Form       policyForm
	Problems   map[string]string // what to change, by policy.Field; empty when the form is fine
	Message    string            // a problem that names no setting
	Notice     string            // "Saved." after a change
	Students   []string          // what a student who has not started reads on the exercise page
	Now        string            // the time now, in UTC, beside dates typed in UTC
	Extensions []extensionRow
	Enrolled   []gradjudge.Enrollment // the course's students, to pick for an extension
	ExtDue     string                 // the extension form's date, kept after a refusal
	ExtUser    int64
	ExtMessage string // why the last extension was refused
}

// extensionRow is one student's extension as the settings page lists it.
type extensionRow struct {
	UserID      int64
	Name, Email string
	Due         string
}

// policyRoutes registers the pages of a course exercise's policy and regrades; post registers a
// POST behind the cross-origin check, staff lets the course's staff through.
func (h *Handler) policyRoutes(mux *http.ServeMux, post func(string, pageFunc), staff func(pageFunc) pageFunc) {
	const ex = "/courses/{id}/exercises/{eid}"
	mux.HandleFunc("GET "+ex+"/policy", h.signedIn(staff(h.policyPage)))
	post(ex+"/policy", staff(h.savePolicy))
	post(ex+"/extensions", staff(h.addExtension))
	post(ex+"/extensions/{uid}/remove", staff(h.removeExtension))
	mux.HandleFunc("GET "+ex+"/regrade", h.signedIn(staff(h.regradePage)))
	post(ex+"/regrade", staff(h.startRegrade))
	mux.HandleFunc("GET "+ex+"/regrades/{rid}", h.signedIn(staff(h.regradeReport)))
}

// policyPage shows the policy of exercise {eid} of the course to its staff.
func (h *Handler) policyPage(w http.ResponseWriter, r *http.Request, v visit) {
	view := policyView{Notice: r.URL.Query().Get("saved")}
	if view.Notice != "" {
		view.Notice = "Saved: students see the new settings on their next page."
	}
	p, err := h.App.ExercisePolicy(r.Context(), v.app(), r.PathValue("eid"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	view.Form = formOf(p)
	h.renderPolicy(w, r, v, http.StatusOK, view, p)
}

// savePolicy reads the settings form and sets the policy through the core; a form the core
// refuses comes back with what to change next to each setting.
func (h *Handler) savePolicy(w http.ResponseWriter, r *http.Request, v visit) {
	if !h.parseForm(w, r, maxFormBytes) {
		return
	}
	form := readPolicyForm(r.PostForm)
	p, problems := form.policy()
	err := error(problems)
	if len(problems) == 0 {
		err = h.App.SetExercisePolicy(r.Context(), v.app(), r.PathValue("eid"), p)
	}
	if err == nil {
		http.Redirect(w, r, policyURL(v.Course.ID, r.PathValue("eid"))+"?saved=1", http.StatusSeeOther)
		return
	}
	status := http.StatusBadRequest
	if len(problems) == 0 {
		status = app.HTTPStatus(gradjudge.ErrorCode(err))
	}
	if status != http.StatusBadRequest {
		h.fail(w, r, err)
		return
	}
	view := policyView{Form: form, Problems: map[string]string{}}
	var ps policy.Problems
	if !errors.As(err, &ps) {
		view.Message = sentence(gradjudge.ErrorMessage(err))
	}
	for _, pr := range ps {
		view.Problems[string(pr.Field)] = sentence(pr.Message)
	}
	h.renderPolicy(w, r, v, status, view, p)
}

// renderPolicy fills in the rest of the page around view's form: the rule as students read it,
// the extensions and the students to extend.
func (h *Handler) renderPolicy(w http.ResponseWriter, r *http.Request, v visit, status int, view policyView, p policy.Policy) {
	ctx, eid := r.Context(), r.PathValue("eid")
	e, err := h.App.CourseExercise(v.Course, eid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	exts, err := h.App.Extensions(ctx, v.app(), e.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	people, err := h.App.Enrollments(ctx, v.app())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	view.Course, view.Exercise, view.Instructor, view.Now = v.Course, e, v.Role == gradjudge.CourseInstructor, when(h.App.Now())
	if len(view.Problems) == 0 && view.Message == "" {
		view.Students = p.Describe(p.StateAt(h.App.Now(), nil))
	}
	view.Extensions, view.Enrolled = extensionRows(exts, people), students(people)
	h.render(w, r, status, "policy.html", "Policy: "+e.Title, &v.User, view)
}

// extensionRows names the students of exts.
func extensionRows(exts []app.Extension, people []gradjudge.Enrollment) []extensionRow {
	byID := map[int64]gradjudge.Enrollment{}
	for _, p := range people {
		byID[p.UserID] = p
	}
	rows := make([]extensionRow, 0, len(exts))
	for _, x := range exts {
		p := byID[x.UserID]
		rows = append(rows, extensionRow{UserID: x.UserID, Name: p.Name, Email: p.Email, Due: when(x.Due)})
	}
	return rows
}

// students are the enrolments of students, in the core's order.
func students(people []gradjudge.Enrollment) []gradjudge.Enrollment {
	var out []gradjudge.Enrollment
	for _, p := range people {
		if p.Role == gradjudge.CourseStudent {
			out = append(out, p)
		}
	}
	return out
}

// addExtension extends one student's due date through the core.
func (h *Handler) addExtension(w http.ResponseWriter, r *http.Request, v visit) {
	if !h.parseForm(w, r, maxFormBytes) {
		return
	}
	eid, due := r.PathValue("eid"), strings.TrimSpace(r.PostForm.Get("due"))
	uid, uerr := strconv.ParseInt(r.PostForm.Get("user"), 10, 64)
	at, derr := parseFormTime(due)
	var err error
	switch {
	case uerr != nil || uid <= 0:
		err = gradjudge.Errorf(gradjudge.EINVALID, "choose the student to extend")
	case derr != nil || at.IsZero():
		err = gradjudge.Errorf(gradjudge.EINVALID, "the new due date must be a date and time like 2026-12-24 17:00")
	default:
		err = h.App.SetExtension(r.Context(), v.app(), eid, uid, at)
	}
	h.afterExtension(w, r, v, err, uid, due)
}

// removeExtension takes student {uid}'s extension away through the core.
func (h *Handler) removeExtension(w http.ResponseWriter, r *http.Request, v visit) {
	uid, err := strconv.ParseInt(r.PathValue("uid"), 10, 64)
	if err != nil || uid <= 0 {
		h.renderError(w, r, http.StatusBadRequest, "The student id must be a positive integer.")
		return
	}
	h.afterExtension(w, r, v, h.App.DeleteExtension(r.Context(), v.app(), r.PathValue("eid"), uid), 0, "")
}

// afterExtension goes back to the settings after a change of an extension, or shows them with
// why it was refused and the extension form as it was sent.
func (h *Handler) afterExtension(w http.ResponseWriter, r *http.Request, v visit, err error, uid int64, due string) {
	eid := r.PathValue("eid")
	if err == nil {
		http.Redirect(w, r, policyURL(v.Course.ID, eid)+"#extensions", http.StatusSeeOther)
		return
	}
	status := app.HTTPStatus(gradjudge.ErrorCode(err))
	if status >= 500 || status == http.StatusForbidden || status == http.StatusNotFound {
		h.fail(w, r, err)
		return
	}
	p, perr := h.App.ExercisePolicy(r.Context(), v.app(), eid)
	if perr != nil {
		h.fail(w, r, perr)
		return
	}
	view := policyView{Form: formOf(p), ExtUser: uid, ExtDue: due, ExtMessage: sentence(gradjudge.ErrorMessage(err))}
	h.renderPolicy(w, r, v, status, view, p)
}

// policySummary says a policy in a few words for the course's settings: its grade rule and, when
// there is one, its due date.
func policySummary(p policy.Policy) string {
	s := p.RuleText()
	if !p.Due.IsZero() {
		s += "; due " + when(p.Due)
	}
	return s
}

// policyURL is the settings page of the policy of exercise eid in course id.
func policyURL(courseID int64, eid string) string { return exerciseURL(courseID, eid) + "/policy" }
