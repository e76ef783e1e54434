package lti_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/internal/testclock"
	"gradjudge/lti"
	"gradjudge/store"
)

// catalog is a small catalog: two numeric exercises and one misconception.
type catalog struct{}

func (catalog) Exercises() []gradjudge.Exercise {
	return []gradjudge.Exercise{
		{ID: "e1", Title: "One neuron", Kind: gradjudge.KindNumeric, Concepts: []string{"chain-rule"}},
		{ID: "e2", Title: "Two layers", Kind: gradjudge.KindNumeric, Concepts: []string{"chain-rule"}},
	}
}

func (catalog) Variant(id string, seed uint64) (gradjudge.Variant, error) {
	return gradjudge.Variant{Statement: "# Compute\n\nFind **dL/dw** for `" + id + "`."}, nil
}

func (catalog) Misconceptions() []gradjudge.Misconception {
	return []gradjudge.Misconception{{Tag: "chain-rule-add", Title: "Adding local derivatives", Concept: "chain-rule"}}
}

// judge grades the answer field x: "1" accepted, "0.5" partial with a misconception, else wrong.
type judge struct{}

func (judge) Grade(_ context.Context, _ string, _ uint64, a gradjudge.Answer) (gradjudge.Verdict, error) {
	switch string(a.Fields["x"]) {
	case `"1"`:
		return gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}, nil
	case `"0.5"`:
		return gradjudge.Verdict{Status: gradjudge.StatusPartial, Score: 0.5, Misconceptions: []string{"chain-rule-add"}}, nil
	}
	return gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Score: 0}, nil
}

// sessions stands in for the pages' session: a plain cookie with the user id.
type sessions struct{ db *store.DB }

func (s sessions) SignIn(w http.ResponseWriter, _ *http.Request, userID int64) error {
	http.SetCookie(w, &http.Cookie{Name: "pages", Value: strconv.FormatInt(userID, 10), Path: "/"})
	return nil
}

func (s sessions) User(r *http.Request) (gradjudge.User, error) {
	c, err := r.Cookie("pages")
	if err != nil {
		return gradjudge.User{}, gradjudge.Errorf(gradjudge.EUNAUTHORIZED, "not signed in")
	}
	id, _ := strconv.ParseInt(c.Value, 10, 64)
	return s.db.User(r.Context(), id)
}

func (sessions) ExercisePath(courseID int64, exerciseID string) string {
	return "/courses/" + strconv.FormatInt(courseID, 10) + "/exercises/" + exerciseID
}

// admins lets through requests with the header X-Admin: yes.
type admins struct{}

func (admins) Admin(r *http.Request) (gradjudge.User, error) {
	if r.Header.Get("X-Admin") != "yes" {
		return gradjudge.User{}, gradjudge.Errorf(gradjudge.EUNAUTHORIZED, "sign in")
	}
	return gradjudge.User{ID: 1, Role: gradjudge.RoleAdmin}, nil
}

// harness is a tool on a real SQLite database, served over HTTP.
type harness struct {
	t     *testing.T
	clock *testclock.Clock
	dir   string
	db    *store.DB
	tool  *lti.Tool
	srv   *httptest.Server
	url   string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, clock: testclock.New(time.Now().UTC().Truncate(time.Second)), dir: t.TempDir()}
	var mu sync.RWMutex
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.RLock()
		tool := h.tool
		mu.RUnlock()
		tool.ServeHTTP(w, r)
	}))
	t.Cleanup(h.srv.Close)
	h.url = h.srv.URL
	mu.Lock()
	h.open()
	mu.Unlock()
	return h
}

// open opens the database and the tool, as a start of the server does.
func (h *harness) open() {
	t := h.t
	db, err := store.Open(t.Context(), store.Config{DataDir: h.dir, InlineJudge: judge{}, Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	core, err := app.New(app.Deps{Users: db, Courses: db, Submissions: db, Progress: db, Catalog: catalog{}, Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	tool, err := lti.New(t.Context(), lti.Config{BaseURL: h.url, Platforms: db, Keys: db, Once: db, Directory: db, Outbox: db,
		Sessions: sessions{db}, Access: core, Catalog: catalog{}, Admins: admins{}, Now: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	h.db, h.tool = db, tool
	t.Cleanup(func() { tool.Close(); db.Close() })
}

// restart closes the tool and the database, as a killed process leaves them, and opens them again.
func (h *harness) restart() {
	h.tool.Close()
	h.db.Close()
	h.open()
}

// register registers fp and points it at the tool's JWKS.
func (h *harness) register(fp *fakePlatform) gradjudge.LTIPlatform {
	h.t.Helper()
	return h.registerClient(fp, fp.clientID)
}

// registerClient registers fp under another client id too: a second registration of one issuer.
func (h *harness) registerClient(fp *fakePlatform, clientID string) gradjudge.LTIPlatform {
	h.t.Helper()
	fp.toolJWKS, fp.toolURL, fp.now = h.url+"/.well-known/jwks.json", h.url, h.clock.Now
	p, err := h.db.CreateLTIPlatform(h.t.Context(), gradjudge.LTIPlatform{Issuer: fp.issuer, ClientID: clientID,
		AuthLoginURL: fp.authURL(), TokenURL: fp.srv.URL + "/token", JWKSURL: fp.srv.URL + "/jwks",
		TokenAudience: fp.q.tokenAudience, DeploymentIDs: []string{fp.deploy}})
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

// browser is one browser: its own cookies, redirects not followed.
type browser struct{ c *http.Client }

func newBrowser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{&http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is an answer read whole.
type page struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(t *testing.T, method, target string, form url.Values, header map[string]string) page {
	t.Helper()
	var body io.Reader
	if form != nil && method == http.MethodPost {
		body = strings.NewReader(form.Encode())
	} else if form != nil {
		target += "?" + form.Encode()
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b2, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, resp.Header, string(b2)}
}

func (b *browser) cookie(rawURL, name string) string {
	u, _ := url.Parse(rawURL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// launchOpts changes a launch.
type launchOpts struct {
	msgType string                       // default LtiResourceLinkRequest
	mutate  func(c jwt.MapClaims)        // changes the claims before signing
	sign    func(c jwt.MapClaims) string // signs instead of the platform's current key
	dest    string                       // Sec-Fetch-Dest of the launch; default document
	poster  *browser                     // the browser that posts the launch; default the one that logged in
}

// message hints are opaque to the tool and must come back unchanged: this one needs escaping.
const messageHint = "hint a+b/c=d&e"

// login runs the login initiation in b and returns the auth request the platform gets.
func (h *harness) login(t *testing.T, b *browser, fp *fakePlatform, who person) url.Values {
	t.Helper()
	return fp.authRequest(t, h.loginLocation(t, b, fp, who))
}

// loginLocation runs the login initiation in b, by GET or (Moodle) POST, and checks where it
// redirects: the platform's auth URL with the hints unchanged.
func (h *harness) loginLocation(t *testing.T, b *browser, fp *fakePlatform, who person) string {
	t.Helper()
	form := url.Values{"iss": {fp.issuer}, "login_hint": {who.sub}, "target_link_uri": {h.url + "/lti/launch"},
		"lti_message_hint": {messageHint}, "client_id": {fp.clientID}, "lti_deployment_id": {fp.deploy}}
	method := http.MethodGet
	if fp.q.loginByPost {
		method = http.MethodPost
	}
	p := b.do(t, method, h.url+"/lti/login", form, nil)
	if p.status != http.StatusFound {
		t.Fatalf("login: %d %s, want a redirect", p.status, p.body)
	}
	loc := p.header.Get("Location")
	q := fp.authRequest(t, loc)
	if q.Get("lti_message_hint") != messageHint || q.Get("login_hint") != who.sub || q.Get("redirect_uri") != h.url+"/lti/launch" {
		t.Errorf("auth request %v: hints or redirect_uri changed", q)
	}
	return loc
}

var (
	idTokenRE = regexp.MustCompile(`name="id_token" value="([^"]+)"`)
	stateRE   = regexp.MustCompile(`name="state" value="([^"]+)"`)
	formRE    = regexp.MustCompile(`action="([^"]+)"`)
)

// launch runs a whole launch of who through fp: the login in b, the platform's authorization
// endpoint (told by o how to answer), and the form it answers with posted to the tool.
func (h *harness) launch(t *testing.T, b *browser, fp *fakePlatform, who person, o launchOpts) page {
	t.Helper()
	fp.mu.Lock()
	fp.people[who.sub], fp.next = who, o
	fp.mu.Unlock()
	loc := h.loginLocation(t, b, fp, who)
	auth := b.do(t, http.MethodGet, loc, nil, nil)
	token, state, action := idTokenRE.FindStringSubmatch(auth.body), stateRE.FindStringSubmatch(auth.body), formRE.FindStringSubmatch(auth.body)
	if auth.status != http.StatusOK || token == nil || state == nil || action == nil || action[1] != h.url+"/lti/launch" {
		t.Fatalf("platform auth endpoint: %d %s", auth.status, auth.body)
	}
	st, _ := url.QueryUnescape(state[1])
	return h.post(t, b, o, st, token[1])
}

func (h *harness) post(t *testing.T, b *browser, o launchOpts, state, token string) page {
	t.Helper()
	if o.dest == "" {
		o.dest = "document"
	}
	if o.poster != nil {
		b = o.poster
	}
	return b.do(t, http.MethodPost, h.url+"/lti/launch", url.Values{"state": {state}, "id_token": {token}},
		map[string]string{"Sec-Fetch-Dest": o.dest})
}

var refreshRE = regexp.MustCompile(`http-equiv="refresh" content="0; url=([^"]+)"`)

// signedInTo checks p signed the browser in and moves on to a page; it returns the page's path.
func signedInTo(t *testing.T, b *browser, base string, p page) string {
	t.Helper()
	m := refreshRE.FindStringSubmatch(p.body)
	if p.status != http.StatusOK || m == nil || b.cookie(base, "pages") == "" {
		t.Fatalf("launch answered %d, cookie %q:\n%s\nwant signed in and moving on", p.status, b.cookie(base, "pages"), p.body)
	}
	return m[1]
}

// courseOf parses the course id of an exercise path.
func courseOf(t *testing.T, path string) int64 {
	t.Helper()
	parts := strings.Split(path, "/")
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		t.Fatalf("path %q names no course", path)
	}
	return id
}

// userOf is the user a browser is signed in as.
func userOf(t *testing.T, b *browser, base string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(b.cookie(base, "pages"), 10, 64)
	if err != nil {
		t.Fatal("not signed in")
	}
	return id
}

// solve submits answer x to exercise e1 of the course as user: graded inline, with its outbox
// score in the same transaction.
func (h *harness) solve(t *testing.T, userID, courseID int64, exercise, x string) gradjudge.Submission {
	t.Helper()
	raw, _ := json.Marshal(x)
	s, _, err := h.db.CreateSubmission(t.Context(), gradjudge.Submission{UserID: userID, CourseID: courseID, ExerciseID: exercise,
		Kind: gradjudge.KindNumeric, Answer: gradjudge.Answer{Fields: map[string]json.RawMessage{"x": raw}}})
	if err != nil || s.Status != gradjudge.SubmissionDone {
		t.Fatalf("submit: %+v, %v", s, err)
	}
	return s
}

// counts is how many users, courses and LMS-made things exist: attacks must leave them alone.
func (h *harness) counts(t *testing.T) [2]int {
	t.Helper()
	us, err := h.db.Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	cs, err := h.db.Courses(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return [2]int{len(us), len(cs)}
}

var (
	ann    = person{sub: "sub-ann", name: "Ann Lee", email: "ann@school.example", roles: []string{roleLearner}}
	bob    = person{sub: "sub-bob", name: "Bob Ray", email: "bob@school.example", roles: []string{roleLearner}}
	prof   = person{sub: "sub-prof", name: "Prof Ada", email: "ada@school.example", roles: []string{roleInstructor}}
	tester = person{sub: "sub-test-student", name: "Test Student", roles: []string{roleLearner}}
)
