package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
