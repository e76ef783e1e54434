package lti_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"gradjudge"
)

// TestLaunchAttacks: each forged, replayed or malformed launch is refused with a page that says
// why, and creates no user and no course.
func TestLaunchAttacks(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, canvas)
	h.register(fp)
	// A second registration of the same issuer: a trusted extra audience.
	const second = "client-canvas-2"
	h.registerClient(fp, second)
	stranger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(&fp.signer().priv.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	set := func(k string, v any) func(jwt.MapClaims) { return func(c jwt.MapClaims) { c[k] = v } }
	del := func(k string) func(jwt.MapClaims) { return func(c jwt.MapClaims) { delete(c, k) } }
	now := h.clock.Now()
	for _, c := range []struct {
		name string
		o    launchOpts
		want string // in the page
	}{
		{"wrong aud", launchOpts{mutate: set("aud", "client-of-someone-else")}, "not meant for this tool"},
		{"extra untrusted aud", launchOpts{mutate: set("aud", []string{fp.clientID, "evil"})}, "not meant for this tool"},
		{"extra aud without azp", launchOpts{mutate: set("aud", []string{fp.clientID, second})}, "not meant for this tool"},
		{"extra aud, azp another client", launchOpts{mutate: func(c jwt.MapClaims) {
			c["aud"], c["azp"] = []string{fp.clientID, second}, second
		}}, "not meant for this tool"},
		{"azp not ours", launchOpts{mutate: set("azp", "evil")}, "not meant for this tool"},
		{"wrong iss", launchOpts{mutate: set("iss", "https://evil.example")}, "signature or dates"},
		{"expired", launchOpts{mutate: set("exp", now.Add(-2*time.Minute).Unix())}, "signature or dates"},
		{"missing exp", launchOpts{mutate: del("exp")}, "signature or dates"},
		{"iat in the future", launchOpts{mutate: set("iat", now.Add(time.Hour).Unix())}, "signature or dates"},
		{"iat too old", launchOpts{mutate: set("iat", now.Add(-time.Hour).Unix())}, "too old"},
		{"missing iat", launchOpts{mutate: del("iat")}, "too old"},
		{"nbf in the future", launchOpts{mutate: set("nbf", now.Add(time.Hour).Unix())}, "signature or dates"},
		{"target_link_uri not ours", launchOpts{mutate: set("https://purl.imsglobal.org/spec/lti/claim/target_link_uri", "https://evil.example/lti/launch")}, "does not lead to this tool"},
		{"nonce not ours", launchOpts{mutate: set("nonce", "made-up")}, "not started here"},
		{"unknown deployment", launchOpts{mutate: set("https://purl.imsglobal.org/spec/lti/claim/deployment_id", "deploy-x")}, "deployment"},
		{"wrong version", launchOpts{mutate: set("https://purl.imsglobal.org/spec/lti/claim/version", "1.1.0")}, "not a valid LTI"},
		{"unknown message type", launchOpts{mutate: set("https://purl.imsglobal.org/spec/lti/claim/message_type", "LtiSubmissionReviewRequest")}, "not a valid LTI"},
		{"no resource link", launchOpts{mutate: del("https://purl.imsglobal.org/spec/lti/claim/resource_link")}, "not a valid LTI"},
		{"no roles claim", launchOpts{mutate: del("https://purl.imsglobal.org/spec/lti/claim/roles")}, "not a valid LTI"},
		{"no target_link_uri", launchOpts{mutate: del("https://purl.imsglobal.org/spec/lti/claim/target_link_uri")}, "not a valid LTI"},
		{"no context", launchOpts{mutate: del("https://purl.imsglobal.org/spec/lti/claim/context")}, "from a course"},
		{"anonymous", launchOpts{mutate: del("sub")}, "anonymous"},
		{"sub over 255", launchOpts{mutate: set("sub", strings.Repeat("s", 256))}, "not a valid LTI"},
		{"context id over 255", launchOpts{mutate: set("https://purl.imsglobal.org/spec/lti/claim/context",
			map[string]any{"id": strings.Repeat("c", 256)})}, "not a valid LTI"},
		{"deep linking without return URL", launchOpts{msgType: "LtiDeepLinkingRequest",
			mutate: set("https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings", map[string]any{"accept_types": []string{"ltiResourceLink"}})}, "cannot take"},
		{"signed by another key", launchOpts{sign: func(c jwt.MapClaims) string {
			tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
			tok.Header["kid"] = fp.signer().kid // the platform's kid, a stranger's key
			s, _ := tok.SignedString(stranger)
			return s
		}}, "signature or dates"},
		{"unknown kid", launchOpts{sign: func(c jwt.MapClaims) string {
			tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
			tok.Header["kid"] = "nobody-knows"
			s, _ := tok.SignedString(stranger)
			return s
		}}, "signature or dates"},
		{"alg none", launchOpts{sign: func(c jwt.MapClaims) string {
			tok := jwt.NewWithClaims(jwt.SigningMethodNone, c)
			tok.Header["kid"] = fp.signer().kid
			s, _ := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
			return s
		}}, "signature or dates"},
		{"HS256 with the public key", launchOpts{sign: func(c jwt.MapClaims) string {
			tok := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
			tok.Header["kid"] = fp.signer().kid
			s, _ := tok.SignedString(pubPEM)
			return s
		}}, "signature or dates"},
		{"mentor role", launchOpts{mutate: set("https://purl.imsglobal.org/spec/lti/claim/roles",
			[]string{"http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"})}, "no access"},
		{"learner deep linking", launchOpts{msgType: "LtiDeepLinkingRequest"}, "Only instructors"},
		{"link to no exercise", launchOpts{mutate: set("https://purl.imsglobal.org/spec/lti/claim/custom", map[string]any{"exercise_id": "nope"})}, "names no gradjudge exercise"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := h.counts(t)
			p := h.launch(t, newBrowser(), fp, ann, c.o)
			if p.status < 400 || !strings.Contains(p.body, c.want) {
				t.Errorf("answered %d:\n%s\nwant a refusal saying %q", p.status, p.body, c.want)
			}
			if after := h.counts(t); after != before {
				t.Errorf("users and courses went from %v to %v: a refused launch created something", before, after)
			}
		})
	}
	// The trusted extra audience with azp ours is accepted.
	b := newBrowser()
	signedInTo(t, b, h.url, h.launch(t, b, fp, ann, launchOpts{mutate: func(c jwt.MapClaims) {
		c["aud"], c["azp"] = []string{fp.clientID, second}, fp.clientID
	}}))
}

// TestReplayAndStateAttacks: a launch cannot be replayed, its state cannot be used from another
// browser, and an id_token cannot be posted with another login's state.
func TestReplayAndStateAttacks(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, moodle)
	h.register(fp)
	b := newBrowser()
	q := h.login(t, b, fp, ann)
	token := fp.sign(fp.idToken(ann, q.Get("nonce"), "LtiResourceLinkRequest", h.url, h.clock.Now()), nil)
	// Another browser posts the victim's state and token: the state cookie is missing.
	before := h.counts(t)
	if p := h.post(t, b, launchOpts{poster: newBrowser()}, q.Get("state"), token); p.status != http.StatusBadRequest ||
		!strings.Contains(p.body, "another browser") {
		t.Errorf("state from another browser: %d %s", p.status, p.body)
	}
	if h.counts(t) != before {
		t.Error("a launch with a stolen state created something")
	}
	// The state is spent now, even for its own browser.
	if p := h.post(t, b, launchOpts{}, q.Get("state"), token); p.status != http.StatusBadRequest || !strings.Contains(p.body, "used already") {
		t.Errorf("spent state: %d %s", p.status, p.body)
	}
	// A good launch, then its replay.
	b = newBrowser()
	q = h.login(t, b, fp, ann)
	token = fp.sign(fp.idToken(ann, q.Get("nonce"), "LtiResourceLinkRequest", h.url, h.clock.Now()), nil)
	signedInTo(t, b, h.url, h.post(t, b, launchOpts{}, q.Get("state"), token))
	if p := h.post(t, b, launchOpts{}, q.Get("state"), token); p.status != http.StatusBadRequest {
		t.Errorf("replayed launch: %d %s", p.status, p.body)
	}
	// The same id_token (its nonce used) with a fresh login's state.
	q2 := h.login(t, b, fp, ann)
	if p := h.post(t, b, launchOpts{}, q2.Get("state"), token); p.status != http.StatusUnauthorized || !strings.Contains(p.body, "used already") {
		t.Errorf("replayed nonce with a new state: %d %s", p.status, p.body)
	}
	// An expired state: the platform took longer than StateLifetime.
	q3 := h.login(t, b, fp, ann)
	h.clock.Advance(11 * time.Minute)
	token = fp.sign(fp.idToken(ann, q3.Get("nonce"), "LtiResourceLinkRequest", h.url, h.clock.Now()), nil)
	if p := h.post(t, b, launchOpts{}, q3.Get("state"), token); p.status != http.StatusBadRequest {
		t.Errorf("expired state: %d %s", p.status, p.body)
	}
}

// TestPlatformKeyRotation: a platform that signs with a new kid is still accepted (its JWKS is
// fetched again); Brightspace's keys without alg work.
func TestPlatformKeyRotation(t *testing.T) {
	for _, q := range []quirks{canvas, brightspace} {
		t.Run(q.name, func(t *testing.T) {
			h := newHarness(t)
			fp := newFakePlatform(t, q)
			h.register(fp)
			b := newBrowser()
			signedInTo(t, b, h.url, h.launch(t, b, fp, ann, launchOpts{})) // JWKS fetched with the first key
			fp.rotateKey()
			b = newBrowser()
			signedInTo(t, b, h.url, h.launch(t, b, fp, ann, launchOpts{}))
		})
	}
}

// TestLoginChecks: the login initiation refuses targets that are not ours (never an open
// redirect), unknown platforms, and an ambiguous issuer without client_id; GET and POST work.
func TestLoginChecks(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, canvas)
	h.register(fp)
	base := url.Values{"iss": {fp.issuer}, "login_hint": {"x"}, "client_id": {fp.clientID}}
	for _, c := range []struct {
		name   string
		change url.Values
		status int
	}{
		{"foreign target", url.Values{"target_link_uri": {"https://evil.example/lti/launch"}}, 400},
		{"our host, another path", url.Values{"target_link_uri": {h.url + "/courses"}}, 400},
		{"userinfo trick", url.Values{"target_link_uri": {strings.Replace(h.url, "://", "://evil@", 1) + "/lti/launch"}}, 400},
		{"unknown client", url.Values{"target_link_uri": {h.url + "/lti/launch"}, "client_id": {"nobody"}}, 400},
		{"unknown issuer", url.Values{"target_link_uri": {h.url + "/lti/launch"}, "iss": {"https://other.example"}}, 400},
		{"no login_hint", url.Values{"target_link_uri": {h.url + "/lti/launch"}, "login_hint": {""}}, 400},
		{"no client_id, one registration", url.Values{"target_link_uri": {h.url + "/lti/launch?exercise=e1"}, "client_id": {""}}, 302},
	} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			t.Run(c.name+" "+method, func(t *testing.T) {
				form := url.Values{}
				for k, v := range base {
					form[k] = v
				}
				for k, v := range c.change {
					form[k] = v
				}
				p := newBrowser().do(t, method, h.url+"/lti/login", form, nil)
				if p.status != c.status {
					t.Errorf("%d %s, want %d", p.status, p.body, c.status)
				}
				if c.status != 302 && p.header.Get("Location") != "" {
					t.Errorf("redirected to %q", p.header.Get("Location"))
				}
			})
		}
	}
	h.registerClient(fp, "client-2")
	p := newBrowser().do(t, http.MethodGet, h.url+"/lti/login", url.Values{"iss": {fp.issuer}, "login_hint": {"x"},
		"target_link_uri": {h.url + "/lti/launch"}}, nil)
	if p.status != 400 || !strings.Contains(p.body, "client_id") {
		t.Errorf("ambiguous issuer without client_id: %d %s", p.status, p.body)
	}
	_ = gradjudge.ENOTFOUND
}
