package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gradjudge/internal/ratelimit"
)

// TestDoorsMounted: the API answers under /api/ and the probes, the pages everywhere else, each
// with its own 404 (JSON under /api/, a page elsewhere).
func TestDoorsMounted(t *testing.T) {
	m := startMain(t, t.TempDir(), func(c *ServeConfig) { c.Code = false })
	for _, tt := range []struct {
		path        string
		status      int
		contentType string
		body        string
	}{
		{"/", 200, "text/html", "Sign in"},
		{"/no-such-page", 404, "text/html", "There is no such page."},
		{"/api/v1/nope", 404, "application/json", `"code":"not_found"`},
		{"/api/v1/openapi.json", 200, "application/json", `"openapi"`},
		{"/healthz", 200, "application/json", `"status":"ok"`},
	} {
		resp, err := http.Get(m.URL() + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(resp)
		if resp.StatusCode != tt.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.contentType) || !strings.Contains(body, tt.body) {
			t.Errorf("GET %s: %d %s, want %d %s with %q", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), tt.status, tt.contentType, tt.body)
		}
	}
}

// TestDoorsShareSignInLimit: the API's login and the web form spend one per-email budget, so
// that a guesser gets ratelimit.SignInEmailBurst guesses a minute, not twice as many.
func TestDoorsShareSignInLimit(t *testing.T) {
	m := startMain(t, t.TempDir(), func(c *ServeConfig) { c.Code = false })
	anon := &client{t: t, base: m.URL()}
	half := ratelimit.SignInEmailBurst / 2
	for range half {
		anon.must(http.StatusUnauthorized, "POST", "/api/v1/auth/login", map[string]string{"email": "admin@example.edu", "password": "wrong-password"}, nil)
	}
	form := func(password string) *http.Response {
		req, _ := http.NewRequest("POST", m.URL()+"/signin", strings.NewReader(url.Values{"email": {"admin@example.edu"}, "password": {password}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		readAll(resp)
		return resp
	}
	for i := half; i < ratelimit.SignInEmailBurst; i++ {
		if resp := form("wrong-password"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("web attempt %d: status %d, want 401", i+1, resp.StatusCode)
		}
	}
	if resp := form(testAdminPassword); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("web form past the shared burst: status %d, Retry-After %q; want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if code, _ := anon.call("POST", "/api/v1/auth/login", map[string]string{"email": "admin@example.edu", "password": testAdminPassword}, nil); code != http.StatusTooManyRequests {
		t.Errorf("API login past the shared burst: status %d, want 429", code)
	}
}

// readAll reads and closes a response body.
func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
