package main

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"gradjudge"
	"gradjudge/exercises"
)

// TestLTILaunchOpensExercisePage launches serve's LTI tool from a minimal platform and follows
// the hand-over into the real pages: the session cookie the launch sets is the pages' own, and
// the exercise page of the link opens signed in.
func TestLTILaunchOpensExercisePage(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	platform := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
			"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()), "e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes())}}})
	}))
	defer platform.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr
	m := startMain(t, t.TempDir(), func(c *ServeConfig) { c.Addr, c.PublicURL, c.Code = addr, base, false })
	if _, err := m.DB.CreateLTIPlatform(t.Context(), gradjudge.LTIPlatform{Issuer: platform.URL, ClientID: "c1",
		AuthLoginURL: platform.URL + "/auth", TokenURL: platform.URL + "/token", JWKSURL: platform.URL + "/jwks",
		DeploymentIDs: []string{"d1"}}); err != nil {
		t.Fatal(err)
	}
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ex := cat.Exercises()[0]
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(base + "/lti/login?" + url.Values{"iss": {platform.URL}, "client_id": {"c1"}, "login_hint": {"u1"},
		"target_link_uri": {base + "/lti/launch"}}.Encode())
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("login: %v %v", resp, err)
	}
	auth, _ := url.Parse(resp.Header.Get("Location"))
	now := time.Now()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": platform.URL, "aud": "c1", "sub": "u1", "iat": now.Unix(), "exp": now.Add(time.Minute).Unix(),
		"nonce": auth.Query().Get("nonce"), "name": "Lin Student",
		"https://purl.imsglobal.org/spec/lti/claim/message_type":    "LtiResourceLinkRequest",
		"https://purl.imsglobal.org/spec/lti/claim/version":         "1.3.0",
		"https://purl.imsglobal.org/spec/lti/claim/deployment_id":   "d1",
		"https://purl.imsglobal.org/spec/lti/claim/target_link_uri": base + "/lti/launch",
		"https://purl.imsglobal.org/spec/lti/claim/roles":           []string{"http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"},
		"https://purl.imsglobal.org/spec/lti/claim/context":         map[string]string{"id": "course-1", "title": "Backprop"},
		"https://purl.imsglobal.org/spec/lti/claim/resource_link":   map[string]string{"id": "link-1"},
		"https://purl.imsglobal.org/spec/lti/claim/custom":          map[string]string{"exercise_id": ex.ID},
	})
	tok.Header["kid"] = "k1"
	idToken, _ := tok.SignedString(key)
	resp, err = browser.PostForm(base+"/lti/launch", url.Values{"state": {auth.Query().Get("state")}, "id_token": {idToken}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	next := regexp.MustCompile(`url=([^"]+)"`).FindStringSubmatch(string(body))
	if resp.StatusCode != http.StatusOK || next == nil {
		t.Fatalf("launch: %d %s", resp.StatusCode, body)
	}
	resp, err = browser.Get(base + html.UnescapeString(next[1]))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), html.EscapeString(ex.Title)) {
		t.Errorf("exercise page %s: %d, want the exercise %q signed in\n%.500s", next[1], resp.StatusCode, ex.Title, page)
	}
}
