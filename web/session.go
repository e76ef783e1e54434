package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gradjudge"
	"gradjudge/internal/app"
)

// sessionCookie names the cookie that holds the login token.
const sessionCookie = "gradjudge_session"

// Tokens issues and verifies login tokens whose subject is a user id. The API's *api.Tokens
// satisfies it, so the cookie holds exactly the JWT that POST /api/v1/auth/login returns and the
// two share one signing key, issuer, audience and lifetime.
type Tokens interface {
	// Issue returns a signed token for subject and the time it expires.
	Issue(subject string) (token string, expires time.Time, err error)
	// Verify checks a token and returns its subject.
	Verify(token string) (subject string, err error)
}

// visit is who asks for a page and, on course pages, the course and their role in it.
type visit struct {
	User   gradjudge.User
	Course gradjudge.Course
	Role   gradjudge.CourseRole
}

// app is the visit as the core takes it.
func (v visit) app() app.Visit { return app.Visit{User: v.User, Course: v.Course, Role: v.Role} }

// pageFunc serves a page to a signed-in user.
type pageFunc func(w http.ResponseWriter, r *http.Request, v visit)

// signInView is the sign-in form.
type signInView struct {
	Email   string // kept after a failed attempt
	Next    string // where to go once signed in
	Message string // why the last attempt failed
}

// signInPage shows the sign-in form, or goes straight to the courses when already signed in.
func (h *Handler) signInPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if _, err := h.sessionUser(r); err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "signin.html", "Sign in", nil, signInView{Next: next})
}

// signIn checks the form's email and password through the core, which owns the sign-in limits
// shared with the API, and when they are right sets the session cookie.
func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		h.renderError(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	view := signInView{Email: strings.TrimSpace(r.PostForm.Get("email")), Next: safeNext(r.PostForm.Get("next"))}
	u, err := h.App.SignIn(r.Context(), view.Email, r.PostForm.Get("password"), h.App.ClientIP(r))
	if err != nil {
		h.signInFailed(w, r, view, err)
		return
	}
	token, exp, err := h.Tokens.Issue(strconv.FormatInt(u.ID, 10))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.setSession(w, r, token, exp)
	http.Redirect(w, r, view.Next, http.StatusSeeOther)
}

// signInFailed shows the form again with why the attempt failed: a client mistake, wrong
// credentials or a spent limit (with Retry-After), in the core's words.
func (h *Handler) signInFailed(w http.ResponseWriter, r *http.Request, view signInView, err error) {
	status := app.HTTPStatus(gradjudge.ErrorCode(err))
	if status == http.StatusInternalServerError {
		h.fail(w, r, err)
		return
	}
	if secs := app.RetryAfterSeconds(err); secs > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	view.Message = sentence(gradjudge.ErrorMessage(err))
	h.render(w, r, status, "signin.html", "Sign in", nil, view)
}

// sentence makes a core message ("the email or the password is wrong") a sentence for a page.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// signOut clears the session cookie. The token itself stays valid until it expires, as the API's
// do: it is a stateless JWT.
func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: isTLS(r), SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (h *Handler) setSession(w http.ResponseWriter, r *http.Request, token string, exp time.Time) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", Expires: exp,
		MaxAge: max(int(exp.Sub(h.now())/time.Second), 1), HttpOnly: true, Secure: isTLS(r), SameSite: http.SameSiteStrictMode})
}

// isTLS reports whether the browser reached us over HTTPS, directly or through a proxy that says
// so. Trusting the proxy header can only make the cookie stricter.
func isTLS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// sessionUser returns the user whose token the session cookie holds; EUNAUTHORIZED when there is
// no cookie, the token is invalid or expired, or its user is gone. The user is read afresh, so a
// changed role takes effect at once.
func (h *Handler) sessionUser(r *http.Request) (gradjudge.User, error) {
	signedOut := gradjudge.Errorf(gradjudge.EUNAUTHORIZED, "not signed in")
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return gradjudge.User{}, signedOut
	}
	sub, err := h.Tokens.Verify(c.Value)
	if err != nil {
		return gradjudge.User{}, signedOut
	}
	id, err := strconv.ParseInt(sub, 10, 64)
	if err != nil {
		return gradjudge.User{}, signedOut
	}
	return h.App.UserByID(r.Context(), id)
}

// signedIn serves next to a signed-in user and sends anyone else to the sign-in form, which
// comes back here afterwards.
func (h *Handler) signedIn(next pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := h.sessionUser(r)
		if gradjudge.ErrorCode(err) == gradjudge.EUNAUTHORIZED {
			http.Redirect(w, r, "/?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		next(w, r, visit{User: u})
	}
}

// safeNext returns next when it is a path on this site, and /courses otherwise: the sign-in form
// must not become an open redirect.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") ||
		u.Scheme != "" || u.Host != "" {
		return "/courses"
	}
	return next
}

// SignIn opens a session of the pages for user userID on w: the cookie the sign-in form sets.
// Another front door (an LTI launch, in a top-level window) signs a user in with it.
func (h *Handler) SignIn(w http.ResponseWriter, r *http.Request, userID int64) error {
	token, exp, err := h.Tokens.Issue(strconv.FormatInt(userID, 10))
	if err != nil {
		return err
	}
	h.setSession(w, r, token, exp)
	return nil
}

// User returns the user signed in to the pages on r; EUNAUTHORIZED when nobody is.
func (h *Handler) User(r *http.Request) (gradjudge.User, error) { return h.sessionUser(r) }

// ExercisePath is the page of exercise exerciseID in course courseID.
func (h *Handler) ExercisePath(courseID int64, exerciseID string) string {
	return exerciseURL(courseID, exerciseID)
}
