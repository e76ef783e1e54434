package lti

import (
	"net/http"
	"strconv"

	"gradjudge"
	"gradjudge/internal/app"
)

// staffFunc serves a course's staff.
type staffFunc func(w http.ResponseWriter, r *http.Request, courseID int64)

// staff serves next to the course's instructors and TAs (and admins) signed in to the pages, as
// the core's course access decides; its POSTs pass the same cross-origin check as the pages'
// forms.
func (t *Tool) staff(next staffFunc) http.HandlerFunc {
	csrf := http.NewCrossOriginProtection()
	return func(w http.ResponseWriter, r *http.Request) {
		if err := csrf.Check(r); err != nil {
			t.page(w, r, http.StatusForbidden, "Refused", "This form was sent from another site, so it was refused.")
			return
		}
		u, err := t.cfg.Sessions.User(r)
		if gradjudge.ErrorCode(err) == gradjudge.EUNAUTHORIZED {
			t.page(w, r, http.StatusUnauthorized, "Sign in", "Sign in to gradjudge first, or open it from your course.")
			return
		} else if err != nil {
			t.fail(w, r, err)
			return
		}
		courseID, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			t.page(w, r, http.StatusNotFound, "Not found", "There is no such course.")
			return
		}
		v, err := t.cfg.Access.OpenCourse(r.Context(), u, courseID)
		if err == nil {
			err = v.RequireStaff()
		}
		switch code := gradjudge.ErrorCode(err); code {
		case "":
			next(w, r, courseID)
		case gradjudge.ENOTFOUND:
			t.page(w, r, app.HTTPStatus(code), "Not found", gradjudge.ErrorMessage(err))
		case gradjudge.EFORBIDDEN:
			t.page(w, r, app.HTTPStatus(code), "No access", gradjudge.ErrorMessage(err))
		default:
			t.fail(w, r, err)
		}
	}
}

// scoresPage shows the passback state of every score of the course.
func (t *Tool) scoresPage(w http.ResponseWriter, r *http.Request, courseID int64) {
	scores, err := t.cfg.Outbox.LTIScores(r.Context(), courseID)
	if err != nil {
		t.fail(w, r, err)
		return
	}
	t.render(w, r, http.StatusOK, "scores.html", view{Title: "Grade passback",
		Data: struct {
			CourseID int64
			Scores   []gradjudge.LTIScore
		}{courseID, scores}}, pagePolicy{})
}

// resend queues a score again, with a new timestamp.
func (t *Tool) resend(w http.ResponseWriter, r *http.Request, courseID int64) {
	id, err := strconv.ParseInt(r.PathValue("score"), 10, 64)
	if err != nil {
		t.page(w, r, http.StatusNotFound, "Not found", "There is no such score.")
		return
	}
	if _, err := t.cfg.Outbox.ResendLTIScore(r.Context(), courseID, id); err != nil {
		t.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/lti/courses/"+strconv.FormatInt(courseID, 10)+"/scores", http.StatusSeeOther)
}

// syncRosterNow syncs the course's roster on the instructor's demand.
func (t *Tool) syncRosterNow(w http.ResponseWriter, r *http.Request, courseID int64) {
	lc, err := t.cfg.Directory.LTIContextOf(r.Context(), courseID)
	if err != nil {
		t.fail(w, r, err)
		return
	}
	n, err := t.SyncRoster(r.Context(), lc)
	if err != nil {
		t.fail(w, r, err)
		return
	}
	t.page(w, r, http.StatusOK, "Roster synced", strconv.Itoa(n)+" members of the LMS course are enrolled.")
}
