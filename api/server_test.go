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
	"testing"
	"time"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/internal/testclock"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef")

// env is a Server over fakes with a few users and one course.
type env struct {
	t      *testing.T
	db     *fakeDB
	clock  *testclock.Clock
	tokens *Tokens
	srv    *Server
	course int64
	// tokens by name: admin, inst (instructor of course), other (instructor of another course),
	// ta, alice and bob (students).
	tok map[string]string
	ids map[string]int64
}

// newServer builds a Server over the env's fakes with a core configured by d (its services and
// clock are filled in).
func (e *env) newServer(d app.Deps) *Server {
	e.t.Helper()
	d.Users, d.Courses, d.Submissions, d.Catalog, d.Now = e.db, e.db, e.db, fakeCatalog{}, e.clock.Now
	if d.Progress == nil {
		d.Progress = e.db
	}
	core, err := app.New(d)
	if err != nil {
		e.t.Fatal(err)
	}
	srv, err := New(Deps{App: core, Tokens: e.tokens, Now: e.clock.Now})
	if err != nil {
		e.t.Fatal(err)
	}
	return srv
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, db: newFakeDB(), clock: testclock.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)),
		tok: map[string]string{}, ids: map[string]int64{}}
	e.db.judge = judgeByAnswer
	e.db.now = e.clock.Now
	var err error
	e.tokens, err = NewTokens(TokenConfig{Secret: testSecret, Issuer: "gradjudge", Audience: "gradjudge-api", Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = e.newServer(app.Deps{SubmitPerMinute: 60, SubmitBurst: 3})
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
	return e.doFrom("", user, method, path, body, headers...)
}

// doFrom is do from the client at remoteAddr ("host:port"); "" keeps httptest's 192.0.2.1:1234.
func (e *env) doFrom(remoteAddr, user, method, path string, body any, headers ...string) *httptest.ResponseRecorder {
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
	if remoteAddr != "" {
		req.RemoteAddr = remoteAddr
	}
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

// TestAPIKeyExpiry: expires_in_days sets a key's expiry, shown when it is created and in the
// list; the key works until then and is refused from then on exactly like a revoked one.
func TestAPIKeyExpiry(t *testing.T) {
	e := newEnv(t)
	w := e.do("inst", "POST", "/api/v1/me/api-keys", map[string]any{"name": "lms", "expires_in_days": 30})
	wantStatus(t, w, http.StatusCreated)
	month := decode[apiKeyDTO](t, w)
	if want := e.clock.Now().Add(30 * 24 * time.Hour); month.ExpiresAt == nil || !month.ExpiresAt.Equal(want) {
		t.Fatalf("expires_at = %v, want %v", month.ExpiresAt, want)
	}
	w = e.do("inst", "POST", "/api/v1/me/api-keys", map[string]any{"name": "forever", "expires_in_days": nil})
	wantStatus(t, w, http.StatusCreated)
	forever := decode[apiKeyDTO](t, w)
	if forever.ExpiresAt != nil || strings.Contains(w.Body.String(), "expires_at") {
		t.Fatalf("a key without expires_in_days: %s, want no expires_at", w.Body.String())
	}
	w = e.do("inst", "GET", "/api/v1/me/api-keys", nil)
	wantStatus(t, w, http.StatusOK)
	list := decode[struct {
		Keys []apiKeyDTO `json:"api_keys"`
	}](t, w).Keys
	if len(list) != 2 || list[0].ExpiresAt == nil || !list[0].ExpiresAt.Equal(*month.ExpiresAt) || list[1].ExpiresAt != nil {
		t.Fatalf("key list %s: want the first key with its expiry, the second without", w.Body.String())
	}

	e.tok["month"], e.tok["forever"] = month.Secret, forever.Secret
	// A key cannot make a key, which could outlive it: key management needs a login token.
	for _, headers := range [][]string{nil, {"X-API-Key", month.Secret}} {
		user := "month"
		if headers != nil {
			user = ""
		}
		w = e.do(user, "POST", "/api/v1/me/api-keys", map[string]any{"name": "longer"}, headers...)
		wantStatus(t, w, http.StatusForbidden)
		if !strings.Contains(w.Body.String(), "sign in with your password") {
			t.Errorf("a key creating a key: %s", w.Body.String())
		}
	}
	e.clock.Advance(30*24*time.Hour - time.Second)
	wantStatus(t, e.do("month", "GET", "/api/v1/me", nil), http.StatusOK)
	e.clock.Advance(time.Second)
	expired := e.do("month", "GET", "/api/v1/me", nil)
	wantStatus(t, expired, http.StatusUnauthorized)
	wantStatus(t, e.do("", "GET", "/api/v1/me", nil, "X-API-Key", month.Secret), http.StatusUnauthorized)
	wantStatus(t, e.do("forever", "GET", "/api/v1/me", nil), http.StatusOK)

	wantStatus(t, e.do("forever", "DELETE", "/api/v1/me/api-keys/"+strconv.FormatInt(forever.ID, 10), nil), http.StatusNoContent)
	revoked := e.do("forever", "GET", "/api/v1/me", nil)
	wantStatus(t, revoked, http.StatusUnauthorized)
	got, want := decode[errorDTO](t, expired).Error, decode[errorDTO](t, revoked).Error
	if got.Code != want.Code || got.Message != want.Message || expired.Header().Get("WWW-Authenticate") != revoked.Header().Get("WWW-Authenticate") {
		t.Errorf("expired key: %+v %q; revoked key: %+v %q; want the same answer", got, expired.Header(), want, revoked.Header())
	}
}

func TestAPIKeyExpiresInDaysIsChecked(t *testing.T) {
	for _, c := range []struct {
		name string
		days string // the JSON value of expires_in_days
		want int
	}{
		{"one", "1", http.StatusCreated},
		{"the longest", strconv.Itoa(app.MaxAPIKeyDays), http.StatusCreated},
		{"null", "null", http.StatusCreated},
		{"zero", "0", http.StatusBadRequest},
		{"negative", "-5", http.StatusBadRequest},
		{"too long", strconv.Itoa(app.MaxAPIKeyDays + 1), http.StatusBadRequest},
		{"huge", "1e30", http.StatusBadRequest},
		{"fraction", "1.5", http.StatusBadRequest},
		{"string", `"7"`, http.StatusBadRequest},
		{"boolean", "true", http.StatusBadRequest},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.do("inst", "POST", "/api/v1/me/api-keys", `{"name": "lms", "expires_in_days": `+c.days+`}`)
			wantStatus(t, w, c.want)
			if c.want == http.StatusBadRequest {
				if msg := decode[errorDTO](t, w).Error.Message; !strings.Contains(msg, "expires_in_days must be a whole number of days from 1 to 3650") {
					t.Errorf("message %q does not say what expires_in_days may be", msg)
				}
				if len(e.db.keyList) != 0 {
					t.Errorf("a key was made: %+v", e.db.keyList)
				}
			}
		})
	}
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

// TestMetricsToken: with a MetricsToken, /metrics answers only `Authorization: Bearer <token>`;
// without one it stays open.
func TestMetricsToken(t *testing.T) {
	const token = "scrape-secret-0123456789"
	for _, c := range []struct {
		name, token string
		headers     []string
		want        int
	}{
		{"no token set, no header", "", nil, http.StatusOK},
		{"no token set, any header", "", []string{"Authorization", "Bearer whatever"}, http.StatusOK},
		{"the token", token, []string{"Authorization", "Bearer " + token}, http.StatusOK},
		{"the token, lower-case scheme", token, []string{"Authorization", "bearer " + token}, http.StatusOK},
		{"the token, set with a trailing newline", token + "\n", []string{"Authorization", "Bearer " + token}, http.StatusOK},
		{"a token of blanks is no token", " \n", nil, http.StatusOK},
		{"no header", token, nil, http.StatusUnauthorized},
		{"wrong token", token, []string{"Authorization", "Bearer scrape-secret-0123456780"}, http.StatusUnauthorized},
		{"a prefix of the token", token, []string{"Authorization", "Bearer " + token[:6]}, http.StatusUnauthorized},
		{"the token and more", token, []string{"Authorization", "Bearer " + token + "x"}, http.StatusUnauthorized},
		{"empty bearer", token, []string{"Authorization", "Bearer "}, http.StatusUnauthorized},
		{"basic scheme", token, []string{"Authorization", "Basic " + token}, http.StatusUnauthorized},
		{"as an API key header", token, []string{"X-API-Key", token}, http.StatusUnauthorized},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			d := e.srv.Deps
			d.MetricsToken = c.token
			var err error
			if e.srv, err = New(d); err != nil {
				t.Fatal(err)
			}
			w := e.do("", "GET", "/metrics", nil, c.headers...)
			wantStatus(t, w, c.want)
			if c.want == http.StatusOK && !strings.Contains(w.Body.String(), "go_goroutines") {
				t.Errorf("/metrics answered 200 without the metrics: %.200s", w.Body.String())
			}
			if c.want == http.StatusUnauthorized {
				if got := decode[errorDTO](t, w).Error; got.Code != gradjudge.EUNAUTHORIZED || strings.Contains(got.Message, token) ||
					w.Header().Get("WWW-Authenticate") == "" || strings.Contains(w.Body.String(), "go_goroutines") {
					t.Errorf("refusal: %s %q", w.Body.String(), w.Header())
				}
			}
		})
	}
}

// TestMetricsTokenIsNotAUserCredential: a signed-in user's token does not open a protected
// /metrics, and the metrics token does not sign in to the API.
func TestMetricsTokenIsNotAUserCredential(t *testing.T) {
	e := newEnv(t)
	d := e.srv.Deps
	d.MetricsToken = "scrape-secret-0123456789"
	var err error
	if e.srv, err = New(d); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, e.do("admin", "GET", "/metrics", nil), http.StatusUnauthorized)
	e.tok["metrics"] = d.MetricsToken
	wantStatus(t, e.do("metrics", "GET", "/api/v1/me", nil), http.StatusUnauthorized)
}

func TestUnknownRouteIsJSON404(t *testing.T) {
	e := newEnv(t)
	w := e.do("alice", "GET", "/api/v1/nope", nil)
	wantStatus(t, w, http.StatusNotFound)
	if got := decode[errorDTO](t, w); got.Error.Code != gradjudge.ENOTFOUND || got.Error.RequestID == "" {
		t.Errorf("error body = %+v", got)
	}
}
