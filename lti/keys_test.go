package lti_test

import (
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"testing"

	"gradjudge/lti"
)

type jwksDoc struct {
	Keys []struct {
		Kty, Alg, Use, Kid, N, E string
	}
}

func fetchJWKS(t *testing.T, h *harness) jwksDoc {
	t.Helper()
	p := newBrowser().do(t, http.MethodGet, h.url+"/.well-known/jwks.json", nil, nil)
	var d jwksDoc
	if p.status != http.StatusOK || json.Unmarshal([]byte(p.body), &d) != nil {
		t.Fatalf("jwks: %d %s", p.status, p.body)
	}
	return d
}

// TestToolKeys: the first start makes one RSA key of at least 2048 bits with a kid, kept across
// restarts; a rotation keeps the old key published until RetiredKeyPublished has passed, and the
// platform accepts client assertions signed by the new key.
func TestToolKeys(t *testing.T) {
	h := newHarness(t)
	d := fetchJWKS(t, h)
	if len(d.Keys) != 1 {
		t.Fatalf("%d keys at first start, want 1", len(d.Keys))
	}
	k := d.Keys[0]
	n, _ := base64.RawURLEncoding.DecodeString(k.N)
	if k.Kty != "RSA" || k.Alg != "RS256" || k.Use != "sig" || k.Kid == "" || new(big.Int).SetBytes(n).BitLen() < 2048 {
		t.Errorf("key %+v (%d bits)", k, new(big.Int).SetBytes(n).BitLen())
	}
	h.restart()
	if again := fetchJWKS(t, h); len(again.Keys) != 1 || again.Keys[0].Kid != k.Kid {
		t.Errorf("after restart: %+v, want the same key", again)
	}
	kid, err := lti.NewKeys(h.db, h.clock.Now).Rotate(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	d = fetchJWKS(t, h)
	if len(d.Keys) != 2 || d.Keys[0].Kid != kid || d.Keys[1].Kid != k.Kid {
		t.Errorf("after rotation: %+v, want the new key first and the old one still published", d.Keys)
	}
	// The new key signs: a score's token request verifies against the published set.
	fp := newFakePlatform(t, canvas)
	h.register(fp)
	b := newBrowser()
	course := courseOf(t, signedInTo(t, b, h.url, h.launch(t, b, fp, ann, launchOpts{})))
	h.solve(t, userOf(t, b, h.url), course, "e1", "1")
	h.tool.SendScores(t.Context())
	if len(fp.received()) != 1 {
		t.Error("the platform refused the rotated key's client assertion")
	}
	h.clock.Advance(lti.RetiredKeyPublished + 1)
	if d = fetchJWKS(t, h); len(d.Keys) != 1 || d.Keys[0].Kid != kid {
		t.Errorf("after the retention: %+v, want the new key only", d.Keys)
	}
}

// TestAdminAPI registers, lists and removes platforms through the admin routes.
func TestAdminAPI(t *testing.T) {
	h := newHarness(t)
	admin := map[string]string{"X-Admin": "yes", "Content-Type": "application/json"}
	body := `{"issuer":"https://canvas.instructure.com","client_id":"10000000000001","auth_login_url":"https://sso.canvaslms.com/api/lti/authorize_redirect",
		"token_url":"https://sso.canvaslms.com/login/oauth2/token","jwks_url":"https://sso.canvaslms.com/api/lti/security/jwks","deployment_ids":["1:abc"]}`
	do := func(method, path, body string, hd map[string]string) (int, string) {
		req, _ := http.NewRequest(method, h.url+path, strings.NewReader(body))
		for k, v := range hd {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var sb strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			sb.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp.StatusCode, sb.String()
	}
	if code, _ := do("POST", "/api/v1/lti/platforms", body, map[string]string{"Content-Type": "application/json"}); code != 401 {
		t.Errorf("without credentials: %d", code)
	}
	if code, out := do("POST", "/api/v1/lti/platforms", body, admin); code != 201 || !strings.Contains(out, `"id":1`) {
		t.Errorf("register: %d %s", code, out)
	}
	if code, out := do("POST", "/api/v1/lti/platforms", body, admin); code != 409 {
		t.Errorf("register again: %d %s, want 409", code, out)
	}
	if code, out := do("POST", "/api/v1/lti/platforms", `{"issuer":"x"}`, admin); code != 400 || !strings.Contains(out, "invalid") {
		t.Errorf("bad registration: %d %s, want 400", code, out)
	}
	if code, out := do("GET", "/api/v1/lti/platforms", "", admin); code != 200 || !strings.Contains(out, "1:abc") {
		t.Errorf("list: %d %s", code, out)
	}
	if code, _ := do("DELETE", "/api/v1/lti/platforms/1", "", admin); code != 204 {
		t.Errorf("remove: %d", code)
	}
	if code, _ := do("DELETE", "/api/v1/lti/platforms/1", "", admin); code != 404 {
		t.Errorf("remove again: %d", code)
	}
	if code, out := do("GET", "/lti/config.json", "", nil); code != 200 || !strings.Contains(out, h.url+"/lti/login") ||
		!strings.Contains(out, h.url+"/.well-known/jwks.json") {
		t.Errorf("config.json: %d %s", code, out)
	}
}

// TestScoresPage: a course's staff see each score's passback state and can resend; students
// cannot.
func TestScoresPage(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, canvas)
	h.register(fp)
	pb := newBrowser()
	course := courseOf(t, signedInTo(t, pb, h.url, h.launch(t, pb, fp, prof, launchOpts{})))
	sb := newBrowser()
	signedInTo(t, sb, h.url, h.launch(t, sb, fp, ann, launchOpts{}))
	h.solve(t, userOf(t, sb, h.url), course, "e1", "1")
	h.tool.SendScores(t.Context())
	p := pb.do(t, http.MethodGet, h.url+"/lti/courses/"+itoa(course)+"/scores", nil, nil)
	if p.status != 200 || !strings.Contains(p.body, "sub-ann") || !strings.Contains(p.body, "sent") {
		t.Fatalf("scores page: %d %s", p.status, p.body)
	}
	scores, _ := h.db.LTIScores(t.Context(), course)
	r := pb.do(t, http.MethodPost, h.url+"/lti/courses/"+itoa(course)+"/scores/"+itoa(scores[0].ID)+"/resend", nil, nil)
	if r.status != http.StatusSeeOther {
		t.Errorf("resend: %d %s", r.status, r.body)
	}
	h.tool.SendScores(t.Context())
	if len(fp.received()) != 2 {
		t.Errorf("after resend: %d sends, want 2", len(fp.received()))
	}
	if p := sb.do(t, http.MethodGet, h.url+"/lti/courses/"+itoa(course)+"/scores", nil, nil); p.status != http.StatusForbidden {
		t.Errorf("a student's view: %d", p.status)
	}
	if p := newBrowser().do(t, http.MethodGet, h.url+"/lti/courses/"+itoa(course)+"/scores", nil, nil); p.status != http.StatusUnauthorized {
		t.Errorf("signed out: %d", p.status)
	}
}
