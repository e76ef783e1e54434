package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gradjudge"
	"gradjudge/internal/app"
)

// enrolledView lists what one paste did, with the set-password links to hand out: they are shown
// this once (only their hashes are kept).
type enrolledView struct {
	instructorAssets
	Course gradjudge.Course
	Rows   []enrolledRow
	New    int
}

// enrolledRow is one pasted student.
type enrolledRow struct {
	app.Enrolled
	Link   string       // the set-password link, for a new account
	Mailto template.URL // a message carrying the link, for the instructor's own mail program
}

// enrol enrols the pasted students and lists them with their links.
func (h *Handler) enrol(w http.ResponseWriter, r *http.Request, v visit) {
	if !h.parseForm(w, r, maxPasteFormBytes) {
		return
	}
	got, err := h.App.EnrolPasted(r.Context(), v.app(), r.PostForm.Get("paste"))
	if err != nil && len(got) == 0 {
		h.afterEdit(w, r, v, err, "")
		return
	}
	if err != nil {
		h.log.WarnContext(r.Context(), "web: enrolment stopped part way", "course", v.Course.ID, "err", err)
	}
	view := enrolledView{Course: v.Course}
	for _, e := range got {
		row := enrolledRow{Enrolled: e}
		if e.Secret != "" {
			row.Link = setPasswordLink(r, e.Secret)
			row.Mailto = mailto(e.Email, v.Course.Title, row.Link)
			view.New++
		}
		view.Rows = append(view.Rows, row)
	}
	h.render(w, r, http.StatusOK, "enrolled.html", "Enrolled", &v.User, view)
}

// setPasswordLink is the absolute address of a set-password link, on the host the instructor
// reached.
func setPasswordLink(r *http.Request, secret string) string {
	scheme := "http"
	if isTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/set-password?token=" + secret
}

// mailto is a mailto: address whose message hands a student their link.
func mailto(email, course, link string) template.URL {
	q := url.Values{"subject": {"Your account for " + course}, "body": {"Choose your password with this link (it works once, for 7 days):\n\n" + link}}
	return template.URL("mailto:" + url.PathEscape(email) + "?" + strings.ReplaceAll(q.Encode(), "+", "%20"))
}

// newLink makes a fresh set-password link for one student and shows it.
func (h *Handler) newLink(w http.ResponseWriter, r *http.Request, v visit) {
	if !h.parseForm(w, r, maxFormBytes) {
		return
	}
	uid, _ := strconv.ParseInt(r.PostForm.Get("user"), 10, 64)
	secret, err := h.App.NewSetPasswordLink(r.Context(), v.app(), uid)
	if err != nil {
		h.afterEdit(w, r, v, err, "#people")
		return
	}
	u, err := h.App.UserByID(r.Context(), uid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	link := setPasswordLink(r, secret)
	view := enrolledView{Course: v.Course, New: 1, Rows: []enrolledRow{{Enrolled: app.Enrolled{Email: u.Email, Name: u.Name, UserID: uid, New: true},
		Link: link, Mailto: mailto(u.Email, v.Course.Title, link)}}}
	h.render(w, r, http.StatusOK, "enrolled.html", "New set-password link", &v.User, view)
}

// setRole makes an enrolled user a student, a TA or an instructor of the course.
func (h *Handler) setRole(w http.ResponseWriter, r *http.Request, v visit) {
	if !h.parseForm(w, r, maxFormBytes) {
		return
	}
	uid, _ := strconv.ParseInt(r.PostForm.Get("user"), 10, 64)
	err := h.App.SetRole(r.Context(), v.app(), uid, gradjudge.CourseRole(r.PostForm.Get("role")))
	h.afterEdit(w, r, v, err, "#staff") // where the new role shows
}

// makeTA makes the user with the posted email a TA of the course: a student of it, or someone
// with an account who is not enrolled yet.
func (h *Handler) makeTA(w http.ResponseWriter, r *http.Request, v visit) {
	if !h.parseForm(w, r, maxFormBytes) {
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	_, err := h.App.Enroll(r.Context(), v.app(), email, gradjudge.CourseTA)
	if gradjudge.ErrorCode(err) == gradjudge.ENOTFOUND && email != "" {
		err = gradjudge.Errorf(gradjudge.ENOTFOUND, "no account has the email %s: enrol them with the paste box first (they get a set-password link), then make them a TA", email)
	}
	h.afterEdit(w, r, v, err, "#staff")
}

// unenrol takes a user out of the course (the page offers it for TAs).
func (h *Handler) unenrol(w http.ResponseWriter, r *http.Request, v visit) {
	if !h.parseForm(w, r, maxFormBytes) {
		return
	}
	uid, _ := strconv.ParseInt(r.PostForm.Get("user"), 10, 64)
	h.afterEdit(w, r, v, h.App.Unenroll(r.Context(), v.app(), uid), "#staff")
}

// setPasswordView is the form that spends a set-password link.
type setPasswordView struct {
	instructorAssets
	Token   string
	Message string
	Dead    bool // the link cannot set a password (used, expired, forged or missing): no form, what to do instead
}

// setPasswordPage shows the form of a set-password link. The token is checked when the form is
// sent, so that looking at the page spends nothing; a page reached without one says so.
func (h *Handler) setPasswordPage(w http.ResponseWriter, r *http.Request) {
	view := setPasswordView{Token: r.URL.Query().Get("token")}
	if view.Token == "" {
		view.Dead, view.Message = true, "This page needs the whole link you were given: it ends with ?token= and a long code."
	}
	h.render(w, r, http.StatusOK, "setpassword.html", "Choose your password", nil, view)
}

// setPassword sets the password, spends the link and signs the student in.
func (h *Handler) setPassword(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r, maxFormBytes) {
		return
	}
	view := setPasswordView{Token: r.PostForm.Get("token")}
	pw := r.PostForm.Get("password")
	if pw != r.PostForm.Get("again") {
		view.Message = "The two passwords differ."
		h.render(w, r, http.StatusBadRequest, "setpassword.html", "Choose your password", nil, view)
		return
	}
	u, err := h.App.SetPasswordWithLink(r.Context(), view.Token, pw, h.App.ClientIP(r))
	if err != nil {
		status := app.HTTPStatus(gradjudge.ErrorCode(err))
		if status >= 500 {
			h.fail(w, r, err)
			return
		}
		if secs := app.RetryAfterSeconds(err); secs > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		view.Message = sentence(gradjudge.ErrorMessage(err))
		view.Dead = status == http.StatusUnauthorized // trying again cannot help
		h.render(w, r, status, "setpassword.html", "Choose your password", nil, view)
		return
	}
	token, exp, err := h.Tokens.Issue(strconv.FormatInt(u.ID, 10))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.setSession(w, r, token, exp)
	http.Redirect(w, r, "/courses", http.StatusSeeOther)
}
