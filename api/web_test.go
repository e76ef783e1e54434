package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"gradjudge/internal/ratelimit"
	"gradjudge/web"
)

// TestWebMounted: with Deps.Web set, every path outside /api/ and the probes goes to the pages
// with the status they choose (gin's preset 404 is not kept), while an unknown /api/ path stays a
// JSON 404 and no route is added (the OpenAPI document still matches).
func TestWebMounted(t *testing.T) {
	pages := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gone" {
			w.WriteHeader(http.StatusNotFound)
		}
		w.Write([]byte("page " + r.Method + " " + r.URL.Path))
	})
	e := newEnv(t)
	srv, err := New(Deps{Users: e.db, Courses: e.db, Submissions: e.db, Progress: e.db, Stats: e.db,
		Catalog: fakeCatalog{}, Tokens: e.tokens, Now: e.clock.Now, Web: pages})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(srv.engine.Routes()), len(e.srv.engine.Routes()); got != want {
		t.Errorf("%d routes with Web, %d without: mounting must add none", got, want)
	}
	for _, tt := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/", 200, "page GET /"},
		{"GET", "/courses/1", 200, "page GET /courses/1"},
		{"POST", "/signin", 200, "page POST /signin"},
		{"GET", "/gone", 404, "page GET /gone"},
		{"GET", "/api/v1/nope", 404, `"code":"not_found"`},
		{"GET", "/healthz", 200, `"status":"ok"`},
	} {
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
		if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.body) {
			t.Errorf("%s %s: %d %q, want %d with %q", tt.method, tt.path, w.Code, w.Body, tt.status, tt.body)
		}
	}
}

// TestWebSignInLimitedPerClient: the web sign-in form, mounted here, limits the client the API
// sees: behind a trusted proxy, X-Forwarded-For separates clients.
func TestWebSignInLimitedPerClient(t *testing.T) {
	e := newEnv(t)
	pages, err := web.New(web.Deps{Users: e.db, Courses: e.db, Progress: e.db, Stats: e.db, Catalog: fakeCatalog{}, Tokens: e.tokens, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Deps{Users: e.db, Courses: e.db, Submissions: e.db, Progress: e.db, Stats: e.db,
		Catalog: fakeCatalog{}, Tokens: e.tokens, Now: e.clock.Now, Web: pages, TrustedProxies: []string{"192.0.2.1"}})
	if err != nil {
		t.Fatal(err)
	}
	signIn := func(client, email, password string) *httptest.ResponseRecorder {
		form := url.Values{"email": {email}, "password": {password}}
		req := httptest.NewRequest("POST", "/signin", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("X-Forwarded-For", client)
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, req)
		return w
	}
	for i := range ratelimit.SignInClientBurst {
		if w := signIn("203.0.113.1", fmt.Sprintf("nobody%d@example.edu", i), "x"); w.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i+1, w.Code)
		}
	}
	if w := signIn("203.0.113.1", "alice@example.edu", "password-alice"); w.Code != http.StatusTooManyRequests ||
		!strings.Contains(w.Body.String(), "Too many sign-in attempts from your network") {
		t.Errorf("past the client's burst: status %d, want 429 with a message\n%s", w.Code, w.Body)
	}
	if w := signIn("203.0.113.2", "alice@example.edu", "password-alice"); w.Code != http.StatusSeeOther {
		t.Errorf("another client: status %d, want 303", w.Code)
	}
}
