package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"gradjudge/internal/app"
	"gradjudge/internal/ratelimit"
)

// loginAs is a login request body.
func loginAs(email, password string) map[string]string {
	return map[string]string{"email": email, "password": password}
}

// spendClientLogins makes the client's whole burst of sign-in attempts, each for another made-up
// email, from remoteAddr with header pairs; every one reaches the password check.
func (e *env) spendClientLogins(remoteAddr string, headers ...string) {
	e.t.Helper()
	for i := range ratelimit.SignInClientBurst {
		w := e.doFrom(remoteAddr, "", "POST", "/api/v1/auth/login", loginAs(fmt.Sprintf("nobody%d@example.edu", i), "x"), headers...)
		if w.Code != http.StatusUnauthorized {
			e.t.Fatalf("attempt %d: status %d, want 401: %s", i+1, w.Code, w.Body)
		}
	}
}

// TestLoginRateLimitPerClient: one client trying many emails is refused past its burst, even for
// a right password, with Retry-After; another client is not affected, and neither is it by the
// first one's spoofed X-Forwarded-For (no proxy is trusted); a token comes back with time.
func TestLoginRateLimitPerClient(t *testing.T) {
	e := newEnv(t)
	e.spendClientLogins("192.0.2.1:1234")
	w := e.doFrom("192.0.2.1:5678", "", "POST", "/api/v1/auth/login", loginAs("alice@example.edu", "password-alice"))
	wantStatus(t, w, http.StatusTooManyRequests)
	if got := decode[errorDTO](t, w); got.Error.Code != "rate_limited" || w.Header().Get("Retry-After") != "1" {
		t.Errorf("refused login: code %q, Retry-After %q; want rate_limited, 1", got.Error.Code, w.Header().Get("Retry-After"))
	}
	spoofed := e.doFrom("192.0.2.1:1234", "", "POST", "/api/v1/auth/login", loginAs("alice@example.edu", "password-alice"),
		"X-Forwarded-For", "203.0.113.9", "X-Real-IP", "203.0.113.9")
	wantStatus(t, spoofed, http.StatusTooManyRequests)
	wantStatus(t, e.doFrom("198.51.100.2:1234", "", "POST", "/api/v1/auth/login", loginAs("alice@example.edu", "password-alice")), http.StatusOK)
	e.clock.Advance(time.Second)
	wantStatus(t, e.doFrom("192.0.2.1:1234", "", "POST", "/api/v1/auth/login", loginAs("alice@example.edu", "password-alice")), http.StatusOK)
}

// TestLoginRateLimitBehindTrustedProxy: requests relayed by a trusted proxy are limited by the
// client that X-Forwarded-For (or X-Real-IP) names, not by the proxy.
func TestLoginRateLimitBehindTrustedProxy(t *testing.T) {
	e := newEnv(t)
	e.srv = e.newServer(app.Deps{TrustedProxies: []string{"10.0.0.0/8", "192.0.2.1"}})
	e.spendClientLogins("192.0.2.1:1234", "X-Forwarded-For", "203.0.113.1")
	for _, tt := range []struct {
		name    string
		headers []string
		status  int
	}{
		{"the same client", []string{"X-Forwarded-For", "203.0.113.1"}, http.StatusTooManyRequests},
		{"the same client, through two proxies", []string{"X-Forwarded-For", "203.0.113.1, 10.1.2.3"}, http.StatusTooManyRequests},
		{"the same client, by X-Real-IP", []string{"X-Real-IP", "203.0.113.1"}, http.StatusTooManyRequests},
		{"another client", []string{"X-Forwarded-For", "203.0.113.2"}, http.StatusOK},
		{"another client, by X-Real-IP", []string{"X-Real-IP", "203.0.113.3"}, http.StatusOK},
		{"the nearest untrusted entry, not a forged first one", []string{"X-Forwarded-For", "203.0.113.1, 203.0.113.4, 10.1.2.3"}, http.StatusOK},
		{"the proxy itself", nil, http.StatusOK},
	} {
		w := e.doFrom("192.0.2.1:1234", "", "POST", "/api/v1/auth/login", loginAs("alice@example.edu", "password-alice"), tt.headers...)
		if w.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, w.Code, tt.status)
		}
	}
}

// TestNewChecksTrustedProxies: New accepts IP addresses and CIDRs, and names the first entry that
// is neither.
func TestNewChecksTrustedProxies(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		name    string
		proxies []string
		named   string // quoted in New's error; "" when New must succeed
	}{
		{"none", nil, ""},
		{"empty", []string{}, ""},
		{"addresses and CIDRs", []string{"10.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"}, ""},
		{"a name", []string{"10.0.0.1", "not-an-ip"}, `"not-an-ip"`},
		{"a prefix too long", []string{"10.0.0.0/33"}, `"10.0.0.0/33"`},
		{"a space", []string{" 10.0.0.1"}, `" 10.0.0.1"`},
		{"an empty entry", []string{""}, `""`},
	} {
		_, err := app.New(app.Deps{Users: e.db, Courses: e.db, Submissions: e.db, Progress: e.db,
			Catalog: fakeCatalog{}, TrustedProxies: tt.proxies})
		if tt.named == "" && err != nil {
			t.Errorf("%s: New: %v", tt.name, err)
		}
		if tt.named != "" && (err == nil || !strings.Contains(err.Error(), "trusted proxy "+tt.named)) {
			t.Errorf("%s: New = %v, want an error naming %s", tt.name, err, tt.named)
		}
	}
}
