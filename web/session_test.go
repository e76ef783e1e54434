package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"gradjudge/internal/ratelimit"
)

func signInForm(email, password, next string) url.Values {
	return url.Values{"email": {email}, "password": {password}, "next": {next}}
}

// TestSignIn posts the sign-in form: the right password sets the API's token in a strict cookie
// and goes on; anything else answers the form again with a message and no cookie.
func TestSignIn(t *testing.T) {
	tests := []struct {
		name     string
		form     url.Values
		headers  []string
		status   int
		location string
		cookie   string // the Set-Cookie value's token; "" for none
		secure   bool
		has      string
	}{
		{"right password", signInForm("alice@example.edu", "password-4", ""), nil, 303, "/courses", "tok-4", false, ""},
		{"email in another case", signInForm(" ALICE@example.edu ", "password-4", ""), nil, 303, "/courses", "tok-4", false, ""},
		{"over a TLS proxy", signInForm("alice@example.edu", "password-4", ""), []string{"X-Forwarded-Proto", "https"}, 303, "/courses", "tok-4", true, ""},
		{"back to the page asked for", signInForm("alice@example.edu", "password-4", "/courses/10?x=1"), nil, 303, "/courses/10?x=1", "tok-4", false, ""},
		{"no open redirect: //host", signInForm("alice@example.edu", "password-4", "//evil.example/x"), nil, 303, "/courses", "tok-4", false, ""},
		{"no open redirect: URL", signInForm("alice@example.edu", "password-4", "https://evil.example/"), nil, 303, "/courses", "tok-4", false, ""},
		{"no open redirect: backslash", signInForm("alice@example.edu", "password-4", "/\\evil.example"), nil, 303, "/courses", "tok-4", false, ""},
		{"wrong password", signInForm("alice@example.edu", "password-5", ""), nil, 401, "", "", false, "The email or the password is wrong."},
		{"unknown email, escaped back", signInForm("<b>x</b>@example.edu", "password-4", ""), nil, 401, "", "", false, `value="&lt;b&gt;x&lt;/b&gt;@example.edu"`},
		{"no password", signInForm("alice@example.edu", "", ""), nil, 400, "", "", false, "Enter your email and password."},
		{"from another site", signInForm("alice@example.edu", "password-4", ""), []string{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}, 403, "", "", false, "another site"},
		{"old browser, foreign origin", signInForm("alice@example.edu", "password-4", ""), []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}, 403, "", "", false, "another site"},
		{"old browser, own origin", signInForm("alice@example.edu", "password-4", ""), []string{"Sec-Fetch-Site", "", "Origin", "http://example.com"}, 303, "/courses", "tok-4", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.post("/signin", tt.form, tt.headers...)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d\n%s", w.Code, tt.status, w.Body)
			}
			if got := w.Header().Get("Location"); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
			c := sessionCookieOf(w.Result())
			if tt.cookie == "" {
				if c != nil {
					t.Errorf("cookie set: %v", c)
				}
			} else if c == nil || c.Value != tt.cookie || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure != tt.secure ||
				c.Path != "/" || c.MaxAge != 3600 {
				t.Errorf("cookie = %+v, want %s, HttpOnly, SameSite=Strict, Secure=%v, Path=/, Max-Age=3600", c, tt.cookie, tt.secure)
			}
			if tt.has != "" && !strings.Contains(w.Body.String(), tt.has) {
				t.Errorf("body lacks %q:\n%s", tt.has, w.Body)
			}
		})
	}
}

func sessionCookieOf(r *http.Response) *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	return nil
}

// TestSignInRateLimit: past ratelimit.SignInEmailBurst attempts for one email, the form answers 429 until the
// bucket refills, even with the right password; other emails are not affected.
func TestSignInRateLimit(t *testing.T) {
	e := newEnv(t)
	for i := range ratelimit.SignInEmailBurst {
		if w := e.post("/signin", signInForm("alice@example.edu", "wrong-password", "")); w.Code != 401 {
			t.Fatalf("attempt %d: status %d, want 401", i+1, w.Code)
		}
	}
	w := e.post("/signin", signInForm("Alice@Example.edu", "password-4", ""))
	if w.Code != 429 || w.Header().Get("Retry-After") != "6" {
		t.Fatalf("attempt past the burst: status %d, Retry-After %q; want 429, 6", w.Code, w.Header().Get("Retry-After"))
	}
	if w := e.post("/signin", signInForm("bob@example.edu", "password-5", "")); w.Code != 303 {
		t.Errorf("another email: status %d, want 303", w.Code)
	}
	e.now = e.now.Add(6 * time.Second)
	if w := e.post("/signin", signInForm("alice@example.edu", "password-4", "")); w.Code != 303 {
		t.Errorf("after the refill: status %d, want 303", w.Code)
	}
}

// signInFrom posts form to /signin from the client at remoteAddr ("host:port"), with extra
// header pairs.
func (e *env) signInFrom(remoteAddr string, form url.Values, headers ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	req := postRequest("/signin", form, headers...)
	req.RemoteAddr = remoteAddr
	return e.serve(req)
}

// TestSignInRateLimitPerClient: past ratelimit.SignInClientBurst attempts from one client, each
// for another email, the form answers 429 even with the right password; another client is not
// affected. The client is the peer of the connection: with no trusted proxy, its
// X-Forwarded-For is not believed (app's tests cover the trusted ones).
func TestSignInRateLimitPerClient(t *testing.T) {
	e := newEnv(t)
	for i := range ratelimit.SignInClientBurst {
		if w := e.signInFrom("192.0.2.1:1234", signInForm(fmt.Sprintf("nobody%d@example.edu", i), "x", "")); w.Code != 401 {
			t.Fatalf("attempt %d: status %d, want 401", i+1, w.Code)
		}
	}
	for _, tt := range []struct {
		name       string
		remoteAddr string
		headers    []string
		status     int
	}{
		{"the same client, another port", "192.0.2.1:5678", nil, 429},
		{"the same client, with a forged X-Forwarded-For", "192.0.2.1:1234", []string{"X-Forwarded-For", "203.0.113.9"}, 429},
		{"another client", "198.51.100.2:1234", nil, 303},
	} {
		w := e.signInFrom(tt.remoteAddr, signInForm("alice@example.edu", "password-4", ""), tt.headers...)
		if w.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, w.Code, tt.status)
		}
		if tt.status == 429 && (w.Header().Get("Retry-After") != "1" || !strings.Contains(w.Body.String(), "Too many sign-in attempts from your network: try again in 1s.")) {
			t.Errorf("%s: Retry-After %q, want 1, and a message\n%s", tt.name, w.Header().Get("Retry-After"), w.Body)
		}
	}
	e.now = e.now.Add(time.Second)
	if w := e.signInFrom("192.0.2.1:1234", signInForm("alice@example.edu", "password-4", "")); w.Code != 303 {
		t.Errorf("after a second: status %d, want 303", w.Code)
	}
}

// TestSignOut clears the cookie (a same-site POST only) and goes back to the form.
func TestSignOut(t *testing.T) {
	e := newEnv(t)
	w := e.post("/signout", nil)
	c := sessionCookieOf(w.Result())
	if w.Code != 303 || w.Header().Get("Location") != "/" || c == nil || c.MaxAge >= 0 || c.Value != "" {
		t.Errorf("sign out: status %d, Location %q, cookie %+v", w.Code, w.Header().Get("Location"), c)
	}
	if w := e.post("/signout", nil, "Sec-Fetch-Site", "cross-site"); w.Code != 403 || sessionCookieOf(w.Result()) != nil {
		t.Errorf("cross-site sign out: status %d, want 403 and no cookie", w.Code)
	}
	if w := e.get(alice, "/signout"); w.Code != 404 && w.Code != 405 {
		t.Errorf("GET /signout: status %d, want 404 or 405", w.Code)
	}
}

// TestSignInFormOversized refuses a form body past maxFormBytes without reading it all.
func TestSignInFormOversized(t *testing.T) {
	e := newEnv(t)
	w := e.post("/signin", url.Values{"email": {strings.Repeat("a", maxFormBytes)}, "password": {"x"}})
	if w.Code != 400 {
		t.Errorf("status %d, want 400", w.Code)
	}
}

// TestSignInForAnotherDoor: SignIn sets the same strict session cookie the form sets, which the
// pages then accept through User; ExercisePath stays on the site.
func TestSignInForAnotherDoor(t *testing.T) {
	e := newEnv(t)
	w := httptest.NewRecorder()
	if err := e.h.SignIn(w, httptest.NewRequest("POST", "/lti/launch", nil), 4); err != nil {
		t.Fatal(err)
	}
	c := sessionCookieOf(w.Result())
	if c == nil || c.Value != "tok-4" || c.SameSite != http.SameSiteStrictMode || !c.HttpOnly {
		t.Fatalf("cookie %+v, want the strict session cookie of user 4", c)
	}
	req := httptest.NewRequest("GET", "/courses", nil)
	req.AddCookie(c)
	if u, err := e.h.User(req); err != nil || u.ID != 4 {
		t.Errorf("User = %+v, %v; want user 4", u, err)
	}
	if _, err := e.h.User(httptest.NewRequest("GET", "/courses", nil)); err == nil {
		t.Error("User without a cookie succeeded")
	}
	if p := e.h.ExercisePath(10, "neuron/1 x"); p != "/courses/10/exercises/neuron%2F1%20x" || safeNext(p) != p {
		t.Errorf("ExercisePath = %q", p)
	}
}
