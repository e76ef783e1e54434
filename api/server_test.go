package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gradjudge"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef")

// clock is a settable time source for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a Server over fakes with a few users and one course.
type env struct {
	t      *testing.T
	db     *fakeDB
	clock  *clock
	tokens *Tokens
	srv    *Server
	course int64
	// tokens by name: admin, inst (instructor of course), other (instructor of another course),
	// ta, alice and bob (students).
	tok map[string]string
	ids map[string]int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, db: newFakeDB(), clock: &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)},
		tok: map[string]string{}, ids: map[string]int64{}}
	e.db.judge = judgeByAnswer
	var err error
	e.tokens, err = NewTokens(TokenConfig{Secret: testSecret, Issuer: "gradjudge", Audience: "gradjudge-api", Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	e.srv, err = New(Deps{Users: e.db, Courses: e.db, Submissions: e.db, Progress: e.db, Stats: e.db,
		Catalog: fakeCatalog{}, Tokens: e.tokens, Now: e.clock.Now, SubmitPerMinute: 60, SubmitBurst: 3})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, u := range []struct {
		name string
		role gradjudge.Role
	}{{"admin", gradjudge.RoleAdmin}, {"inst", gradjudge.RoleInstructor}, {"other", gradjudge.RoleInstructor},
		{"ta", gradjudge.RoleStudent}, {"alice", gradjudge.RoleStudent}, {"bob", gradjudge.RoleStudent}} {
		user, err := e.db.CreateUser(ctx, gradjudge.User{Email: u.name + "@example.edu", Name: u.name, Role: u.role}, "password-"+u.name)
		if err != nil {
			t.Fatal(err)
		}
		e.ids[u.name] = user.ID
		e.tok[u.name], _, _ = e.tokens.Issue(strconv.FormatInt(user.ID, 10))
	}
	c, _ := e.db.CreateCourse(ctx, gradjudge.Course{Title: "Backprop", CreatedBy: e.ids["inst"]})
	e.db.CreateCourse(ctx, gradjudge.Course{Title: "Other", CreatedBy: e.ids["other"]})
	e.course = c.ID
	for name, role := range map[string]gradjudge.CourseRole{"ta": gradjudge.CourseTA, "alice": gradjudge.CourseStudent, "bob": gradjudge.CourseStudent} {
		e.db.Enroll(ctx, c.ID, name+"@example.edu", role)
	}
	return e
}

// do sends a request as user (a name in e.tok, or "" for none) and returns the recorder.
func (e *env) do(user, method, path string, body any, headers ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		buf, _ := json.Marshal(b)
		r = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, r)
	req.Header.Set("Content-Type", "application/json")
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.tok[user])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	return w
}

func (e *env) path(format string, args ...any) string {
	return "/api/v1" + strings.ReplaceAll(format, "{course}", strconv.FormatInt(e.course, 10))
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %q: %v", w.Body.String(), err)
	}
	return v
}

func wantStatus(t *testing.T, w *httptest.ResponseRecorder, want int) {
	t.Helper()
	if w.Code != want {
		t.Fatalf("status = %d, want %d; body %s", w.Code, want, w.Body.String())
	}
}

var numericAnswer = map[string]any{"fields": map[string]any{"dz": "6"}}

func TestLoginIssuesAWorkingToken(t *testing.T) {
	e := newEnv(t)
	w := e.do("", "POST", "/api/v1/auth/login", map[string]string{"email": "alice@example.edu", "password": "password-alice"})
	wantStatus(t, w, http.StatusOK)
	tok := decode[tokenDTO](t, w)
	if tok.User.Email != "alice@example.edu" || !tok.ExpiresAt.Equal(e.clock.Now().Add(time.Hour)) {
		t.Errorf("login answer = %+v", tok)
	}
	e.tok["fresh"] = tok.Token
	wantStatus(t, e.do("fresh", "GET", "/api/v1/me", nil), http.StatusOK)

	w = e.do("", "POST", "/api/v1/auth/login", map[string]string{"email": "alice@example.edu", "password": "nope"})
	wantStatus(t, w, http.StatusUnauthorized)
	wantStatus(t, e.do("", "GET", "/api/v1/me", nil), http.StatusUnauthorized)
}

func TestAPIKeysAreShownOnceAndRevocable(t *testing.T) {
	e := newEnv(t)
	w := e.do("inst", "POST", "/api/v1/me/api-keys", map[string]string{"name": "canvas"})
	wantStatus(t, w, http.StatusCreated)
	key := decode[apiKeyDTO](t, w)
	if key.Secret == "" {
		t.Fatal("the created key has no secret")
	}
	w = e.do("", "GET", "/api/v1/me", nil, "X-API-Key", key.Secret)
	wantStatus(t, w, http.StatusOK)
	e.tok["key"] = key.Secret
	wantStatus(t, e.do("key", "GET", "/api/v1/me", nil), http.StatusOK)

	w = e.do("inst", "GET", "/api/v1/me/api-keys", nil)
	if strings.Contains(w.Body.String(), key.Secret) {
		t.Errorf("the key list shows the secret: %s", w.Body.String())
	}
	wantStatus(t, e.do("alice", "DELETE", "/api/v1/me/api-keys/"+strconv.FormatInt(key.ID, 10), nil), http.StatusNotFound)
	wantStatus(t, e.do("inst", "DELETE", "/api/v1/me/api-keys/"+strconv.FormatInt(key.ID, 10), nil), http.StatusNoContent)
	wantStatus(t, e.do("key", "GET", "/api/v1/me", nil), http.StatusUnauthorized)
}

func TestHealthAndMetrics(t *testing.T) {
	e := newEnv(t)
	wantStatus(t, e.do("", "GET", "/healthz", nil), http.StatusOK)
	wantStatus(t, e.do("", "GET", "/readyz", nil), http.StatusOK)
	e.do("alice", "POST", e.path("/courses/{course}/exercises/chain/submissions"), numericAnswer)
	w := e.do("", "GET", "/metrics", nil)
	wantStatus(t, w, http.StatusOK)
	for _, want := range []string{"gradjudge_http_requests_total", `route="/api/v1/courses/:id/exercises/:eid/submissions"`} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestUnknownRouteIsJSON404(t *testing.T) {
	e := newEnv(t)
	w := e.do("alice", "GET", "/api/v1/nope", nil)
	wantStatus(t, w, http.StatusNotFound)
	if got := decode[errorDTO](t, w); got.Error.Code != gradjudge.ENOTFOUND || got.Error.RequestID == "" {
		t.Errorf("error body = %+v", got)
	}
}
