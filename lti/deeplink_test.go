package lti_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

var (
	ticketRE = regexp.MustCompile(`name="ticket" value="([^"]+)"`)
	jwtRE    = regexp.MustCompile(`name="JWT" value="([^"]+)"`)
	actionRE = regexp.MustCompile(`action="([^"]+)" id="lti-return"`)
)

// TestDeepLinkingRoundTrip: an instructor's deep linking launch shows the catalog with previews;
// the chosen exercises go back to the platform as a signed LtiDeepLinkingResponse with one
// LtiResourceLink and line item each; a student's launch of such a link opens its exercise.
func TestDeepLinkingRoundTrip(t *testing.T) {
	for _, q := range []quirks{canvas, moodle, brightspace} {
		t.Run(q.name, func(t *testing.T) {
			h := newHarness(t)
			fp := newFakePlatform(t, q)
			h.register(fp)
			b := newBrowser()
			p := h.launch(t, b, fp, prof, launchOpts{msgType: "LtiDeepLinkingRequest", dest: "iframe"})
			if p.status != http.StatusOK || !strings.Contains(p.body, "One neuron") || !strings.Contains(p.body, "Find dL/dw for e1") {
				t.Fatalf("picker: %d\n%s", p.status, p.body)
			}
			if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors "+fp.srv.URL) {
				t.Errorf("picker CSP %q does not let the platform frame it", csp)
			}
			m := ticketRE.FindStringSubmatch(p.body)
			if m == nil {
				t.Fatal("no ticket in the picker")
			}
			form := url.Values{"ticket": {m[1]}, "exercise": {"e1", "e2", "unknown"}}
			r := b.do(t, http.MethodPost, h.url+"/lti/deeplink", form, nil)
			action, token := actionRE.FindStringSubmatch(r.body), jwtRE.FindStringSubmatch(r.body)
			if r.status != http.StatusOK || action == nil || token == nil || html.UnescapeString(action[1]) != fp.srv.URL+"/deep_links" {
				t.Fatalf("return page: %d\n%s", r.status, r.body)
			}
			if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+fp.srv.URL) {
				t.Errorf("return page CSP %q does not allow posting to the platform", csp)
			}
			checkDeepLinkResponse(t, h, fp, token[1])
			// The ticket is used once.
			if again := b.do(t, http.MethodPost, h.url+"/lti/deeplink", form, nil); again.status != http.StatusBadRequest {
				t.Errorf("second use of the ticket: %d", again.status)
			}
			// The platform made the links; a student opens the second one.
			sb := newBrowser()
			path := signedInTo(t, sb, h.url, h.launch(t, sb, fp, ann, launchOpts{mutate: secondLink(fp)}))
			if !strings.HasSuffix(path, "/exercises/e2") {
				t.Errorf("link to e2 opened %q", path)
			}
		})
	}
}

func checkDeepLinkResponse(t *testing.T, h *harness, fp *fakePlatform, token string) {
	t.Helper()
	kf, err := keyfunc.NewDefault([]string{h.url + "/.well-known/jwks.json"})
	if err != nil {
		t.Fatal(err)
	}
	c := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(token, c, kf.Keyfunc, jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired(),
		jwt.WithIssuer(fp.clientID), jwt.WithAudience(fp.issuer), jwt.WithTimeFunc(h.clock.Now))
	if err != nil {
		t.Fatalf("deep linking response does not verify with the tool's JWKS: %v", err)
	}
	if c["https://purl.imsglobal.org/spec/lti/claim/message_type"] != "LtiDeepLinkingResponse" ||
		c["https://purl.imsglobal.org/spec/lti/claim/version"] != "1.3.0" ||
		c["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] != fp.deploy ||
		c["https://purl.imsglobal.org/spec/lti-dl/claim/data"] != "opaque-data" || c["nonce"] == nil {
		t.Errorf("response claims %v", c)
	}
	items, _ := c["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"].([]any)
	if len(items) != 2 {
		t.Fatalf("content items %v, want e1 and e2 (the unknown id dropped)", items)
	}
	first := items[0].(map[string]any)
	li, _ := first["lineItem"].(map[string]any)
	custom, _ := first["custom"].(map[string]any)
	if first["type"] != "ltiResourceLink" || first["url"] != h.url+"/lti/launch" || custom["exercise_id"] != "e1" ||
		li["scoreMaximum"] != float64(100) || li["resourceId"] != "e1" || li["label"] != "One neuron" {
		t.Errorf("first item %v", first)
	}
}

// TestDeepLinkingOneItemNoLineItems: a platform that takes one item and no line items gets one
// item, without a line item, and the picker offers a single choice.
func TestDeepLinkingOneItemNoLineItems(t *testing.T) {
	h := newHarness(t)
	fp := newFakePlatform(t, moodle)
	h.register(fp)
	b := newBrowser()
	p := h.launch(t, b, fp, prof, launchOpts{msgType: "LtiDeepLinkingRequest", mutate: func(c jwt.MapClaims) {
		c["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = map[string]any{
			"deep_link_return_url": fp.srv.URL + "/deep_links", "accept_types": []string{"ltiResourceLink"},
			"accept_multiple": false, "accept_lineitem": false}
	}})
	m := ticketRE.FindStringSubmatch(p.body)
	if p.status != http.StatusOK || m == nil || !strings.Contains(p.body, `type="radio"`) {
		t.Fatalf("picker: %d\n%s", p.status, p.body)
	}
	r := b.do(t, http.MethodPost, h.url+"/lti/deeplink", url.Values{"ticket": {m[1]}, "exercise": {"e2", "e1"}}, nil)
	token := jwtRE.FindStringSubmatch(r.body)
	if token == nil {
		t.Fatalf("return page: %d\n%s", r.status, r.body)
	}
	c := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token[1], c); err != nil {
		t.Fatal(err)
	}
	items, _ := c["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["lineItem"] != nil || c["https://purl.imsglobal.org/spec/lti-dl/claim/data"] != nil {
		t.Errorf("items %v, data %v: want e2 alone, no line item, no data", items, c["https://purl.imsglobal.org/spec/lti-dl/claim/data"])
	}
}
