package lti

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"gradjudge"
)

// TicketLifetime is how long the "open in a new window" link of a launch in an iframe works.
const TicketLifetime = 2 * time.Minute

// ticket is what a hand-over ticket stands for: a user to sign in and the page to show.
type ticket struct {
	UserID int64  `json:"user_id"`
	Path   string `json:"path"`
}

// handOver ends a launch by signing the user in to the student pages and showing path.
//
// The session mechanism, chosen deliberately: the student pages open in a window of their own,
// never in the LMS's iframe. Their session cookie stays SameSite=Strict, the pages' defence
// against cross-site requests, and works in every browser whatever its third-party-cookie policy
// (Safari and Firefox block them in iframes, Chrome may): a cookie set in a top-level window is
// first-party. A token in every page's URLs would need every page and form of web/ to carry it
// and would leak through history and Referer; the platform storage postMessage API needs a
// script on every page and is not offered by every LMS yet.
//
//   - A launch in a top-level window (the LMS set to open the tool in a new window, which the
//     README recommends) signs in at once and moves on to the page.
//   - A launch inside the iframe (Sec-Fetch-Dest: iframe) cannot set a cookie there, so it shows a
//     button that opens the page in a new window through a ticket: random, used once, valid for
//     TicketLifetime, and accepted only from a link on our own origin (Sec-Fetch-Site), so that a
//     ticket sent to someone else cannot sign them in as its owner.
func (t *Tool) handOver(w http.ResponseWriter, r *http.Request, userID int64, path, frameOrigin string) {
	if !framed(r) {
		t.signInAndGo(w, r, userID, path)
		return
	}
	tk := randomToken()
	payload, _ := json.Marshal(ticket{UserID: userID, Path: path})
	if err := t.cfg.Once.PutOnce(r.Context(), "ticket", tk, string(payload), t.now().Add(TicketLifetime)); err != nil {
		t.fail(w, r, err)
		return
	}
	t.render(w, r, http.StatusOK, "message.html", view{Title: "Ready",
		Message: "gradjudge opens in a window of its own, so that it keeps you signed in.",
		Link:    &link{URL: PathOpen + "?ticket=" + tk, Text: "Open the exercise", NewWindow: true}},
		pagePolicy{frameOrigins: []string{frameOrigin}})
}

// framed reports whether the browser says r loads a frame (Sec-Fetch-Dest, sent by current
// browsers). Without the header a launch is taken as top-level.
func framed(r *http.Request) bool {
	d := r.Header.Get("Sec-Fetch-Dest")
	return d == "iframe" || d == "frame"
}

// open takes a hand-over ticket in the new window and signs its user in.
func (t *Tool) open(w http.ResponseWriter, r *http.Request) {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		t.page(w, r, http.StatusForbidden, "Open from your course",
			"This link works only from the gradjudge button in your course. Open the link in your course again.")
		return
	}
	payload, err := t.cfg.Once.TakeOnce(r.Context(), "ticket", r.URL.Query().Get("ticket"))
	if gradjudge.ErrorCode(err) == gradjudge.ENOTFOUND {
		t.page(w, r, http.StatusBadRequest, "Link expired", "This link expired or was used already. Open the link in your course again.")
		return
	} else if err != nil {
		t.fail(w, r, err)
		return
	}
	var tk ticket
	if err := json.Unmarshal([]byte(payload), &tk); err != nil {
		t.fail(w, r, err)
		return
	}
	t.signInAndGo(w, r, tk.UserID, tk.Path)
}

// signInAndGo sets the pages' session and moves on to path with a page that refreshes to it: a
// redirect would carry the cross-site navigation on, and a SameSite=Strict cookie does not go
// with it; the refresh is a navigation of our own page, so it does.
func (t *Tool) signInAndGo(w http.ResponseWriter, r *http.Request, userID int64, path string) {
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		path = "/courses"
	}
	if err := t.cfg.Sessions.SignIn(w, r, userID); err != nil {
		t.fail(w, r, err)
		return
	}
	t.render(w, r, http.StatusOK, "message.html", view{Title: "Signed in", Refresh: path,
		Message: "You are signed in to gradjudge.", Link: &link{URL: path, Text: "Continue"}}, pagePolicy{})
}
