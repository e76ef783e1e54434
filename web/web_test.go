package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"gradjudge"
)

// The users of the fixture, by id.
const (
	admin    = 1 // site admin, enrolled nowhere
	inst     = 2 // instructor of course 10 and 30
	ta       = 3 // TA of course 10
	alice    = 4 // student of course 10 and 30
	bob      = 5 // student of course 10
	outsider = 6 // student, enrolled nowhere
)

// The courses of the fixture.
const (
	course  = 10 // two exercises, stats and progress
	other   = 20 // another instructor's
	broken  = 30 // its store fails
	unknown = 99 // does not exist
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func newFakes() *fakes {
	f := &fakes{users: map[int64]gradjudge.User{}, password: map[string]string{},
		courses: map[int64]gradjudge.Course{}, roles: map[[2]int64]gradjudge.CourseRole{},
		stats: map[int64]gradjudge.CourseStats{}, progress: map[[2]int64]gradjudge.Progress{}, broken: map[int64]bool{broken: true}}
	for id, u := range map[int64]struct {
		name string
		role gradjudge.Role
	}{admin: {"Ada Admin", gradjudge.RoleAdmin}, inst: {"Ines Instructor", gradjudge.RoleInstructor},
		ta: {"Tao TA", gradjudge.RoleStudent}, alice: {"Alice <Student>", gradjudge.RoleStudent},
		bob: {"Bob Student", gradjudge.RoleStudent}, outsider: {"Eve Outsider", gradjudge.RoleStudent}, 7: {"Otto Other", gradjudge.RoleInstructor}} {
		email := strings.ToLower(strings.Fields(u.name)[0]) + "@example.edu"
		f.users[id] = gradjudge.User{ID: id, Email: email, Name: u.name, Role: u.role}
		f.password[email] = "password-" + strconv.FormatInt(id, 10)
	}
	f.courses[course] = gradjudge.Course{ID: course, Title: "Backprop <script>alert(1)</script>", ExerciseIDs: []string{"ex-a", "ex-b"}}
	f.courses[other] = gradjudge.Course{ID: other, Title: "Someone else's course"}
	f.courses[broken] = gradjudge.Course{ID: broken, Title: "Broken"}
	for key, r := range map[[2]int64]gradjudge.CourseRole{
		{course, inst}: gradjudge.CourseInstructor, {course, ta}: gradjudge.CourseTA, {course, alice}: gradjudge.CourseStudent,
		{course, bob}: gradjudge.CourseStudent, {other, 7}: gradjudge.CourseInstructor,
		{broken, inst}: gradjudge.CourseInstructor, {broken, alice}: gradjudge.CourseStudent,
	} {
		f.roles[key] = r
	}
	f.stats[course] = courseStats()
	f.progress[[2]int64{course, alice}] = aliceProgress()
	f.progress[[2]int64{course, bob}] = gradjudge.Progress{Misconceptions: []gradjudge.MisconceptionEvent{
		{Tag: "fanout-not-summed", ExerciseID: "ex-b", SubmissionID: 99, At: t0}}}
	return f
}

// courseStats: four students attempted ex-a, three of them added local derivatives, one ignored
// the ReLU gate; both students who attempted ex-b ignored the gate.
func courseStats() gradjudge.CourseStats {
	return gradjudge.CourseStats{CourseID: course, Students: 5,
		Exercises: []gradjudge.ExerciseStats{
			{ExerciseID: "ex-a", Students: 4, Attempts: 9, Passed: 2, PassRate: 0.5, MedianAttemptsToPass: 2.5,
				Misconceptions: []gradjudge.TagCount{
					{Tag: "chain-rule-add", Events: 4, Students: 3, Prevalence: 0.75},
					{Tag: "relu-gate-ignored", Events: 1, Students: 1, Prevalence: 0.25}}},
			{ExerciseID: "ex-b", Students: 2, Attempts: 3, Passed: 0,
				Misconceptions: []gradjudge.TagCount{{Tag: "relu-gate-ignored", Events: 2, Students: 2, Prevalence: 1}}},
		},
		Concepts: []gradjudge.ConceptStats{
			{Concept: "chain-rule", Students: 4, Misconceptions: []gradjudge.TagCount{{Tag: "chain-rule-add", Students: 3, Prevalence: 0.75}}},
			{Concept: "relu-derivative", Students: 3, Misconceptions: []gradjudge.TagCount{{Tag: "relu-gate-ignored", Students: 3, Prevalence: 1}}},
			{Concept: "fan-out", Students: 0, Misconceptions: []gradjudge.TagCount{}},
		},
	}
}

func aliceProgress() gradjudge.Progress {
	solved := t0.Add(time.Hour)
	return gradjudge.Progress{
		Exercises: []gradjudge.ExerciseProgress{
			{ExerciseID: "ex-a", Attempts: 3, BestScore: 1, SolvedAt: &solved, LastAttemptAt: &solved},
			{ExerciseID: "ex-b", Attempts: 1, BestScore: 0.5, LastAttemptAt: &solved},
		},
		Concepts: []gradjudge.ConceptProgress{{Concept: "chain-rule", Exercises: 1, Solved: 1, Attempts: 3, MeanScore: 1, Misconceptions: 2}},
		Misconceptions: []gradjudge.MisconceptionEvent{
			{Tag: "chain-rule-add", ExerciseID: "ex-a", SubmissionID: 1, At: t0},
			{Tag: "chain-rule-add", ExerciseID: "ex-a", SubmissionID: 2, At: t0.Add(10 * time.Minute)},
			{Tag: "relu-gate-ignored", ExerciseID: "ex-b", SubmissionID: 4, At: t0.Add(30 * time.Minute)},
		},
	}
}

// env is a Handler over fresh fakes, with a clock that tests move by hand.
type env struct {
	t   *testing.T
	h   *Handler
	f   *fakes
	now time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, f: newFakes(), now: t0}
	clock := func() time.Time { return e.now }
	h, err := New(Deps{Users: e.f, Courses: e.f, Progress: e.f, Stats: e.f, Catalog: fakeCatalog{}, Tokens: fakeTokens{now: clock}, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	e.h = h
	return e
}

// get asks for path as user (0: signed out).
func (e *env) get(user int64, path string) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if user != 0 {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "tok-" + strconv.FormatInt(user, 10)})
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	return w
}

// post sends a form from this site (as a browser marks it) with extra header pairs.
func (e *env) post(path string, form url.Values, headers ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.serve(postRequest(path, form, headers...))
}

// postRequest is the request post sends: from httptest's client, 192.0.2.1:1234.
func postRequest(path string, form url.Values, headers ...string) *http.Request {
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return req
}

// serve has the Handler answer req.
func (e *env) serve(req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, req)
	return w
}

func TestNewRequiresServices(t *testing.T) {
	f := newFakes()
	if _, err := New(Deps{Users: f, Courses: f, Progress: f, Stats: f, Catalog: fakeCatalog{}}); err == nil {
		t.Error("New without Tokens: no error")
	}
}

// TestStandardLibraryAndRootOnly keeps web free of gin, GORM and every other technology: it
// depends only on the standard library, the root package and gradjudge/internal packages (the
// rate limiter and gradebook it shares with api), which -deps shows with their own imports.
func TestStandardLibraryAndRootOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "gradjudge/web").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep != "gradjudge" && dep != "gradjudge/web" && !strings.HasPrefix(dep, "gradjudge/internal/") {
			t.Errorf("web depends on %s; it may import only the standard library and gradjudge", dep)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	w := e.get(0, "/")
	for name, want := range map[string]string{
		"Content-Security-Policy": contentSecurity, "X-Content-Type-Options": "nosniff",
		"X-Frame-Options": "DENY", "Cache-Control": "no-store", "Content-Type": "text/html; charset=utf-8",
	} {
		if got := w.Header().Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	css := e.get(0, "/static/style.css")
	if css.Code != 200 || !strings.HasPrefix(css.Header().Get("Content-Type"), "text/css") || !strings.Contains(css.Body.String(), ".heat-10") {
		t.Errorf("style.css: %d %q", css.Code, css.Header().Get("Content-Type"))
	}
}
