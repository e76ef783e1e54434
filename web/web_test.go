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
	"gradjudge/internal/app"
)

// The users of the fixture, by id.
const (
	admin    = 1  // site admin, enrolled nowhere
	inst     = 2  // instructor of course 10 and 30
	ta       = 3  // TA of course 10
	alice    = 4  // student of course 10 and 30
	bob      = 5  // student of course 10
	outsider = 6  // student, enrolled nowhere
	cy       = 21 // student of course 10
	di       = 22 // student of course 10
	ed       = 23 // student of course 10
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
		records: map[int64]gradjudge.ProgressRecords{}, broken: map[int64]bool{broken: true}}
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
	for _, id := range []int64{cy, di, ed} {
		f.users[id] = gradjudge.User{ID: id, Email: "s" + strconv.FormatInt(id, 10) + "@example.edu", Name: "Student " + strconv.FormatInt(id, 10), Role: gradjudge.RoleStudent}
		f.roles[[2]int64{course, id}] = gradjudge.CourseStudent
	}
	f.records[course] = courseRecords()
	return f
}

// courseRecords: four students attempted ex-a (9 attempts, alice solved it at her 3rd and cy at
// his 2nd), three of them added local derivatives, one ignored the ReLU gate; both students who
// attempted ex-b ignored the gate. Five students are enrolled.
func courseRecords() gradjudge.ProgressRecords {
	solved := t0.Add(time.Hour)
	rec := func(user int64, ex string, attempts int, best float64, toSolve int) gradjudge.ExerciseRecord {
		ep := gradjudge.ExerciseProgress{ExerciseID: ex, Attempts: attempts, BestScore: best, LastAttemptAt: &solved, AttemptsToSolve: toSolve}
		if toSolve > 0 {
			ep.SolvedAt = &solved
		}
		return gradjudge.ExerciseRecord{UserID: user, ExerciseProgress: ep}
	}
	ev := func(user int64, ex, tag string, sub int64, at time.Time) gradjudge.MisconceptionEvent {
		return gradjudge.MisconceptionEvent{UserID: user, CourseID: course, ExerciseID: ex, Tag: tag, SubmissionID: sub, At: at}
	}
	return gradjudge.ProgressRecords{
		Exercises: []gradjudge.ExerciseRecord{
			rec(alice, "ex-a", 3, 1, 3), rec(alice, "ex-b", 1, 0.5, 0),
			rec(bob, "ex-a", 2, 0, 0), rec(cy, "ex-a", 2, 1, 2), rec(di, "ex-a", 2, 0.5, 0), rec(ed, "ex-b", 2, 0, 0),
		},
		Events: []gradjudge.MisconceptionEvent{
			ev(alice, "ex-a", "chain-rule-add", 1, t0),
			ev(alice, "ex-a", "chain-rule-add", 2, t0.Add(10*time.Minute)),
			ev(alice, "ex-b", "relu-gate-ignored", 4, t0.Add(30*time.Minute)),
			ev(bob, "ex-a", "chain-rule-add", 99, t0),
			ev(cy, "ex-a", "chain-rule-add", 100, t0),
			ev(di, "ex-a", "relu-gate-ignored", 101, t0),
			ev(ed, "ex-b", "relu-gate-ignored", 102, t0),
			ev(ed, "ex-b", "relu-gate-ignored", 103, t0),
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
	core, err := app.New(app.Deps{Users: e.f, Courses: e.f, Submissions: e.f, Progress: e.f, Catalog: fakeCatalog{}, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(Deps{App: core, Tokens: fakeTokens{now: clock}, Now: clock})
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
	e := newEnv(t)
	if _, err := New(Deps{App: e.h.App}); err == nil {
		t.Error("New without Tokens: no error")
	}
	if _, err := New(Deps{Tokens: e.h.Tokens}); err == nil {
		t.Error("New without App: no error")
	}
}

// TestStandardLibraryAndRootOnly keeps web a front door: it depends on no other door, not on the
// store, and on none of the technologies other packages own (gin, GORM, River, the database
// drivers, wazero).
func TestStandardLibraryAndRootOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "gradjudge/web").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	forbidden := []string{"gradjudge/api", "gradjudge/lti", "gradjudge/store", "gradjudge/cmd", "github.com/gin-gonic/",
		"gorm.io/", "github.com/riverqueue/", "github.com/jackc/", "github.com/mattn/go-sqlite3", "github.com/tetratelabs/wazero"}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if strings.HasPrefix(dep, f) {
				t.Errorf("web depends on %s: a page is a front door over the core, never over another door, the store or their technologies", dep)
			}
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
