package lti

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"net/url"

	"gradjudge"
)

// launch is the OIDC redirect URI: the platform posts the id_token and our state here. It takes
// the state (once), checks it came back to the browser that began the login, verifies the
// id_token, and only then creates or updates anything.
func (t *Tool) launch(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		t.page(w, r, http.StatusBadRequest, "Launch failed", "The launch could not be read.")
		return
	}
	if e := r.PostForm.Get("error"); e != "" {
		t.page(w, r, http.StatusBadRequest, "Launch failed", "The LMS refused the launch: "+e+" "+r.PostForm.Get("error_description"))
		return
	}
	st, ok := t.takeState(w, r)
	if !ok {
		return
	}
	p, err := t.cfg.Platforms.LTIPlatformByID(r.Context(), st.PlatformID)
	if err != nil {
		t.fail(w, r, err)
		return
	}
	c, err := t.verifyIDToken(r.Context(), p, r.PostForm.Get("id_token"), st.Nonce)
	if err != nil {
		t.refused(w, r, err)
		return
	}
	t.launched(w, r, p, c)
}

// takeState takes the launch's state, once, and checks the state cookie of this browser; when
// either fails it answers and returns false. A browser that blocks the cookie inside the LMS's
// iframe is offered the login again in a window of its own, where the cookie is first-party.
func (t *Tool) takeState(w http.ResponseWriter, r *http.Request) (loginState, bool) {
	state := r.PostForm.Get("state")
	var st loginState
	payload, err := t.cfg.Once.TakeOnce(r.Context(), "state", state)
	if gradjudge.ErrorCode(err) == gradjudge.ENOTFOUND || state == "" {
		t.page(w, r, http.StatusBadRequest, "Launch failed",
			"This launch expired or was used already. Open the link in your course again.")
		return st, false
	} else if err != nil {
		t.fail(w, r, err)
		return st, false
	}
	if err := json.Unmarshal([]byte(payload), &st); err != nil {
		t.fail(w, r, err)
		return st, false
	}
	setStateCookie(w, r, state, "", -1)
	c, err := r.Cookie(stateCookiePrefix + state)
	if err == nil && subtle.ConstantTimeCompare([]byte(hashToken(c.Value)), []byte(st.Binding)) == 1 {
		return st, true
	}
	if err != nil && framed(r) {
		t.render(w, r, http.StatusBadRequest, "message.html", view{Title: "Open gradjudge in a new window",
			Message: "Your browser keeps gradjudge from remembering you inside the course page.",
			Link:    &link{URL: t.relogin(st), Text: "Open in a new window", NewWindow: true}}, pagePolicy{})
		return st, false
	}
	t.page(w, r, http.StatusBadRequest, "Launch failed",
		"This launch was started in another browser or window. Open the link in your course again.")
	return st, false
}

// relogin is the login initiation of st again, as a link.
func (t *Tool) relogin(st loginState) string {
	q := url.Values{"iss": {st.Issuer}, "client_id": {st.ClientID}, "login_hint": {st.LoginHint}, "target_link_uri": {st.Target}}
	if st.MessageHint != "" {
		q.Set("lti_message_hint", st.MessageHint)
	}
	if st.Deployment != "" {
		q.Set("lti_deployment_id", st.Deployment)
	}
	return PathLogin + "?" + q.Encode()
}

// launched acts on a verified launch: the user, their course and role, then the message.
func (t *Tool) launched(w http.ResponseWriter, r *http.Request, p gradjudge.LTIPlatform, c *idClaims) {
	role := CourseRole(*c.Roles)
	if role == "" {
		t.page(w, r, http.StatusForbidden, "No access", "Your role in this course gives no access to gradjudge.")
		return
	}
	if c.MessageType == messageDeepLinking && role != gradjudge.CourseInstructor {
		t.page(w, r, http.StatusForbidden, "No access", "Only instructors place gradjudge exercises in a course.")
		return
	}
	exercise := ""
	if c.MessageType == messageResourceLink {
		var ok bool
		if exercise, ok = t.linkedExercise(c); !ok {
			t.page(w, r, http.StatusNotFound, "No exercise",
				"This link names no gradjudge exercise. An instructor places exercises with the LMS's content selection (deep linking).")
			return
		}
	}
	u, course, err := t.enrol(r, p, c, role)
	if err != nil {
		t.fail(w, r, err)
		return
	}
	if c.MessageType == messageDeepLinking {
		t.showPicker(w, r, p, c, course)
		return
	}
	link := gradjudge.LTIResourceLink{PlatformID: p.ID, ResourceLinkID: c.ResourceLink.ID, CourseID: course.ID, ExerciseID: exercise}
	if c.AGS.grants(ScopeScore) && c.AGS.LineItem != "" {
		link.LineItemURL = c.AGS.LineItem
	}
	if err := t.cfg.Directory.SaveLTIResourceLink(r.Context(), link); err != nil {
		t.fail(w, r, err)
		return
	}
	t.handOver(w, r, u.ID, t.cfg.Sessions.ExercisePath(course.ID, exercise), returnOrigin(c))
}

// enrol finds or creates the user and the course of a verified launch and enrols the user with
// role.
func (t *Tool) enrol(r *http.Request, p gradjudge.LTIPlatform, c *idClaims, role gradjudge.CourseRole) (gradjudge.User, gradjudge.Course, error) {
	ctx := r.Context()
	u, err := t.cfg.Directory.LTIUser(ctx, p.Issuer, c.Subject, c.displayName(), c.Email)
	if err != nil {
		return u, gradjudge.Course{}, err
	}
	lc := gradjudge.LTIContext{PlatformID: p.ID, ContextID: c.Context.ID}
	if c.NRPS != nil {
		lc.MembershipsURL = c.NRPS.MembershipsURL
	}
	title := c.Context.Title
	if title == "" {
		title = c.Context.Label
	}
	course, err := t.cfg.Directory.LTICourse(ctx, lc, title, u.ID)
	if err != nil {
		return u, course, err
	}
	return u, course, t.cfg.Directory.LTIEnroll(ctx, course.ID, u.ID, role)
}

// linkedExercise is the exercise a resource link opens: the custom parameter exercise_id that
// deep linking sets, or an exercise query parameter of target_link_uri for links made by hand.
// It must be in the catalog.
func (t *Tool) linkedExercise(c *idClaims) (string, bool) {
	id, _ := c.Custom["exercise_id"].(string)
	if id == "" {
		if u, err := url.Parse(c.TargetLinkURI); err == nil {
			id = u.Query().Get("exercise")
		}
	}
	for _, e := range t.cfg.Catalog.Exercises() {
		if e.ID == id {
			return id, true
		}
	}
	return "", false
}

// returnOrigin is the origin of the launch's return URL: the LMS page that frames the launch,
// which for hosted Canvas is the school's own domain, not the issuer's.
func returnOrigin(c *idClaims) string {
	v, _ := c.LaunchPresentation["return_url"].(string)
	return origin(v)
}

// refused answers a launch that failed a check: the check's message, the reason logged.
func (t *Tool) refused(w http.ResponseWriter, r *http.Request, err error) {
	if le := asLaunchError(err); le != nil {
		t.log.Info("lti: launch refused", "reason", le.reason.Error())
		t.page(w, r, http.StatusUnauthorized, "Launch refused", le.msg)
		return
	}
	t.fail(w, r, err)
}

// fail answers a failure of the tool itself: logged, never shown.
func (t *Tool) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := gradjudge.ErrorCode(err)
	if code != gradjudge.EINTERNAL {
		t.page(w, r, http.StatusBadRequest, "Launch failed", gradjudge.ErrorMessage(err))
		return
	}
	t.log.Error("lti: internal error", "path", r.URL.Path, "err", err)
	t.page(w, r, http.StatusInternalServerError, "Something broke", "gradjudge could not finish this. Try again in a minute.")
}
