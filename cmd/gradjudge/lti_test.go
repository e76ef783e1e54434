package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestLTICommands registers, lists and removes a platform and rotates the tool's key from the
// command line; serve with --public-url then publishes both keys, the Canvas configuration and
// the admin registration API, beside the API and the pages.
func TestLTICommands(t *testing.T) {
	dir := t.TempDir()
	args := []string{"lti", "add-platform", "--data-dir", dir, "--issuer", "https://canvas.instructure.com", "--client-id", "10000000000001",
		"--auth-login-url", "https://sso.canvaslms.com/api/lti/authorize_redirect", "--token-url", "https://sso.canvaslms.com/login/oauth2/token",
		"--jwks-url", "https://sso.canvaslms.com/api/lti/security/jwks", "--deployment-ids", "1:abc, 2:def"}
	if code, out, errs := runCLI(t, "", args...); code != 0 || !strings.Contains(out, "platform 1 registered") {
		t.Fatalf("add-platform: %d %q %q", code, out, errs)
	}
	if code, _, errs := runCLI(t, "", args...); code != 1 || !strings.Contains(errs, "exists already") {
		t.Errorf("add-platform twice: %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "", "lti", "add-platform", "--data-dir", dir, "--issuer", "x"); code != 1 || !strings.Contains(errs, "client_id") {
		t.Errorf("add-platform without fields: %d %q", code, errs)
	}
	if code, out, _ := runCLI(t, "", "lti", "list-platforms", "--data-dir", dir); code != 0 || !strings.Contains(out, "1:abc,2:def") {
		t.Errorf("list-platforms: %d %q", code, out)
	}
	// The first key is made at the first start; rotate-key before it makes one and retires none.
	if code, out, errs := runCLI(t, "", "lti", "rotate-key", "--data-dir", dir); code != 0 || !strings.Contains(out, "new signing key") {
		t.Errorf("rotate-key: %d %q %q", code, out, errs)
	}
	m := startMain(t, dir, func(c *ServeConfig) { c.PublicURL = "https://judge.example.edu" })
	var jwks struct{ Keys []struct{ Kid string } }
	resp, err := http.Get(m.URL() + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&jwks)
	resp.Body.Close()
	if len(jwks.Keys) != 1 {
		t.Errorf("jwks %+v, want the one key", jwks)
	}
	admin := login(t, m.URL(), "admin@example.edu", testAdminPassword)
	admin.must(201, "POST", "/api/v1/lti/platforms", map[string]any{"issuer": "https://moodle.example.edu", "client_id": "abc",
		"auth_login_url": "https://moodle.example.edu/mod/lti/auth.php", "token_url": "https://moodle.example.edu/mod/lti/token.php",
		"jwks_url": "https://moodle.example.edu/mod/lti/certs.php", "deployment_ids": []string{"3"}}, nil)
	raw := admin.must(200, "GET", "/api/v1/lti/platforms", nil, nil)
	if !strings.Contains(raw, "moodle.example.edu") || !strings.Contains(raw, "canvas.instructure.com") {
		t.Errorf("platforms %s", raw)
	}
	(&client{t: t, base: m.URL()}).must(401, "GET", "/api/v1/lti/platforms", nil, nil)
	cfg := (&client{t: t, base: m.URL()}).must(200, "GET", "/lti/config.json", nil, nil)
	if !strings.Contains(cfg, "https://judge.example.edu/lti/login") {
		t.Errorf("config.json %s", cfg)
	}
	// The pages and the API are still served, and the pages still refuse every frame.
	resp, err = http.Get(m.URL() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("sign-in page: %d %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
	if code, out, errs := runCLI(t, "", "lti", "remove-platform", "--data-dir", dir, "--id", "1"); code != 0 || !strings.Contains(out, "removed") {
		t.Errorf("remove-platform: %d %q %q", code, out, errs)
	}
}
