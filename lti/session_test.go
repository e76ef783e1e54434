package lti_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

var openRE = regexp.MustCompile(`href="(/lti/open\?ticket=[^"]+)" target="_blank"`)

// TestIframeHandOver: a launch inside the LMS's iframe sets no session there; its page, framable
// by the platform only, opens the exercise in a new window through a ticket that works once and
// only from our own page.
func TestIframeHandOver(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, canvas)
	h.register(fp)
	b := newBrowser()
	p := h.launch(t, b, fp, ann, launchOpts{dest: "iframe"})
	m := openRE.FindStringSubmatch(p.body)
	if p.status != http.StatusOK || m == nil || b.cookie(h.url, "pages") != "" {
		t.Fatalf("iframe launch: %d, cookie %q\n%s", p.status, b.cookie(h.url, "pages"), p.body)
	}
	csp := p.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors "+fp.srv.URL) || strings.Contains(csp, "'none'; base") {
		t.Errorf("CSP %q: want frame-ancestors the platform's origin", csp)
	}
	ticket := strings.ReplaceAll(m[1], "&amp;", "&")
	if p := newBrowser().do(t, http.MethodGet, h.url+ticket, nil, map[string]string{"Sec-Fetch-Site": "cross-site"}); p.status != http.StatusForbidden {
		t.Errorf("ticket opened from another site: %d", p.status)
	}
	w := newBrowser()
	path := signedInTo(t, w, h.url, w.do(t, http.MethodGet, h.url+ticket, nil, map[string]string{"Sec-Fetch-Site": "same-origin"}))
	if !strings.HasSuffix(path, "/exercises/e1") {
		t.Errorf("new window went to %q", path)
	}
	if again := newBrowser().do(t, http.MethodGet, h.url+ticket, nil, nil); again.status != http.StatusBadRequest {
		t.Errorf("ticket used twice: %d", again.status)
	}
}

// TestBlockedStateCookie: inside an iframe whose browser blocks our cookie, the launch offers the
// login again in a new window, and creates nothing.
func TestBlockedStateCookie(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, canvas)
	h.register(fp)
	before := h.counts(t)
	p := h.launch(t, newBrowser(), fp, ann, launchOpts{dest: "iframe", poster: newBrowser()})
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, `href="/lti/login?`) || !strings.Contains(p.body, `target="_blank"`) {
		t.Errorf("blocked cookie: %d\n%s", p.status, p.body)
	}
	if h.counts(t) != before {
		t.Error("created something")
	}
}

// TestFramingPolicy: the tool's pages may be framed by registered platforms only.
func TestFramingPolicy(t *testing.T) {
	h := newHarness(t)
	p := newBrowser().do(t, http.MethodGet, h.url+"/lti/nothing", nil, nil)
	if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("with no platform: CSP %q, want frame-ancestors 'none'", csp)
	}
	fp := newFakePlatform(t, moodle)
	h.register(fp)
	p = newBrowser().do(t, http.MethodGet, h.url+"/lti/nothing", nil, nil)
	if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors "+fp.srv.URL+";") {
		t.Errorf("CSP %q, want frame-ancestors the platform's origin only", csp)
	}
}
