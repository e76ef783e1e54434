package lti_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// quirks are how one LMS differs from the others, as far as the tool can tell.
type quirks struct {
	name string
	// authQuery is a query string the platform's auth URL carries already.
	authQuery string
	// tokenAudience, when set, is the aud client assertions must carry instead of the token URL
	// (Brightspace).
	tokenAudience string
	// jwksNoAlg leaves alg out of the platform's keys (Brightspace).
	jwksNoAlg bool
	// lineItemQuery is the query of line item URLs (Moodle: ?type_id=...).
	lineItemQuery string
	// loginByPost sends the login initiation as a form POST (Moodle) instead of a GET.
	loginByPost bool
	// audArray sends aud as a one-element array instead of a string.
	audArray bool
}

var (
	canvas      = quirks{name: "canvas"}
	moodle      = quirks{name: "moodle", authQuery: "lang=en", lineItemQuery: "type_id=7", loginByPost: true, audArray: true}
	brightspace = quirks{name: "brightspace", tokenAudience: "https://api.brightspace.example/auth/token", jwksNoAlg: true, audArray: true}
)

// fakePlatform is an LMS in a test: its own keys and JWKS, the OIDC auth, token, line item
// scores and memberships endpoints. It records what the tool sends it.
type fakePlatform struct {
	t        *testing.T
	q        quirks
	srv      *httptest.Server
	issuer   string
	clientID string
	deploy   string
	toolJWKS string // the tool's JWKS URL, to check client assertions
	toolURL  string // the tool's base URL: its launch URL is the one redirect URI registered
	now      func() time.Time

	mu        sync.Mutex
	keys      []*fakeKey // published; the last one signs
	scores    []receivedScore
	tokens    []tokenRequest
	down      int            // requests to the token and scores endpoints answered 503 before working
	scoreCode map[string]int // userId → status the scores endpoint answers
	members   []map[string]any
	pageSize  int
	people    map[string]person // by sub: who a login_hint names
	next      launchOpts        // how the auth endpoint answers the next authentication request
}

type fakeKey struct {
	kid  string
	priv *rsa.PrivateKey
}

type receivedScore struct {
	path, query string
	contentType string
	body        map[string]any
}

type tokenRequest struct {
	scope    string
	audience []string
}

func newFakePlatform(t *testing.T, q quirks) *fakePlatform {
	t.Helper()
	fp := &fakePlatform{t: t, q: q, clientID: "client-" + q.name, deploy: "deploy-1", scoreCode: map[string]int{}, pageSize: 2,
		people: map[string]person{}}
	fp.rotateKey()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /jwks", fp.serveJWKS)
	mux.HandleFunc("GET /auth", fp.serveAuth)
	mux.HandleFunc("POST /token", fp.serveToken)
	mux.HandleFunc("POST /lineitems/{id}/scores", fp.serveScore)
	mux.HandleFunc("GET /memberships", fp.serveMembers)
	fp.srv = httptest.NewServer(mux)
	t.Cleanup(fp.srv.Close)
	fp.issuer = fp.srv.URL // a real issuer is a URL too; hosted Canvas's is shared by every school
	return fp
}

// rotateKey adds a new signing key with a new kid; the old stays published.
func (fp *fakePlatform) rotateKey() *fakeKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		fp.t.Fatal(err)
	}
	fk := &fakeKey{kid: fmt.Sprintf("%s-key-%d", fp.q.name, len(fp.keys)+1), priv: k}
	fp.mu.Lock()
	fp.keys = append(fp.keys, fk)
	fp.mu.Unlock()
	return fk
}

func (fp *fakePlatform) signer() *fakeKey {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	return fp.keys[len(fp.keys)-1]
}

func (fp *fakePlatform) authURL() string {
	u := fp.srv.URL + "/auth"
	if fp.q.authQuery != "" {
		u += "?" + fp.q.authQuery
	}
	return u
}

func (fp *fakePlatform) tokenAudience() string {
	if fp.q.tokenAudience != "" {
		return fp.q.tokenAudience
	}
	return fp.srv.URL + "/token"
}

func (fp *fakePlatform) lineItem(id string) string {
	u := fp.srv.URL + "/lineitems/" + id
	if fp.q.lineItemQuery != "" {
		u += "?" + fp.q.lineItemQuery
	}
	return u
}

func (fp *fakePlatform) serveJWKS(w http.ResponseWriter, r *http.Request) {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	var keys []map[string]string
	for _, k := range fp.keys {
		m := map[string]string{"kty": "RSA", "kid": k.kid, "use": "sig",
			"n": b64(k.priv.N.Bytes()), "e": b64(big.NewInt(int64(k.priv.E)).Bytes())}
		if !fp.q.jwksNoAlg {
			m["alg"] = "RS256"
		}
		keys = append(keys, m)
	}
	json.NewEncoder(w).Encode(map[string]any{"keys": keys})
}

// serveAuth is the OIDC authorization endpoint: it checks the authentication request the tool's
// login redirected to, and answers, as a platform does, with a form that posts the signed
// id_token and the state back to the redirect URI (the browser submits it).
func (fp *fakePlatform) serveAuth(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	fp.mu.Lock()
	who, known := fp.people[q.Get("login_hint")]
	o := fp.next
	fp.mu.Unlock()
	switch {
	case q.Get("scope") != "openid" || q.Get("response_type") != "id_token" || q.Get("response_mode") != "form_post" ||
		q.Get("prompt") != "none" || q.Get("nonce") == "" || q.Get("state") == "":
		http.Error(w, "invalid_request", http.StatusBadRequest)
	case q.Get("redirect_uri") != fp.toolURL+"/lti/launch":
		http.Error(w, "invalid redirect_uri", http.StatusBadRequest)
	case !known || q.Get("lti_message_hint") != messageHint:
		http.Error(w, "login_required", http.StatusBadRequest)
	default:
		if o.msgType == "" {
			o.msgType = "LtiResourceLinkRequest"
		}
		claims := fp.idToken(who, q.Get("nonce"), o.msgType, fp.toolURL, fp.now())
		claims["aud"] = fp.audience(q.Get("client_id"))
		if o.mutate != nil {
			o.mutate(claims)
		}
		token := ""
		if o.sign != nil {
			token = o.sign(claims)
		} else {
			token = fp.sign(claims, nil)
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<form method="post" action="%s"><input type="hidden" name="id_token" value="%s">`+
			`<input type="hidden" name="state" value="%s"></form>`, q.Get("redirect_uri"), token, url.QueryEscape(q.Get("state")))
	}
}

// audience is the aud of an id_token for clientID, as a string or a one-element array.
func (fp *fakePlatform) audience(clientID string) any {
	if fp.q.audArray {
		return []string{clientID}
	}
	return clientID
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// failing answers 503 while the platform is down, and reports whether it did.
func (fp *fakePlatform) failing(w http.ResponseWriter) bool {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	if fp.down > 0 {
		fp.down--
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
		return true
	}
	return false
}

// serveToken checks the client-credentials grant: a JWT assertion signed by the tool's published
// key, iss = sub = client_id, aud = the platform's token audience.
func (fp *fakePlatform) serveToken(w http.ResponseWriter, r *http.Request) {
	if fp.failing(w) {
		return
	}
	r.ParseForm()
	if r.Form.Get("grant_type") != "client_credentials" ||
		r.Form.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		http.Error(w, `{"error":"unsupported_grant_type"}`, http.StatusBadRequest)
		return
	}
	kf, err := keyfunc.NewDefault([]string{fp.toolJWKS})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var c jwt.RegisteredClaims
	_, err = jwt.ParseWithClaims(r.Form.Get("client_assertion"), &c, kf.Keyfunc, jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithExpirationRequired(), jwt.WithAudience(fp.tokenAudience()), jwt.WithIssuer(fp.clientID), jwt.WithSubject(fp.clientID))
	if err != nil || c.ID == "" {
		http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
		return
	}
	fp.mu.Lock()
	fp.tokens = append(fp.tokens, tokenRequest{scope: r.Form.Get("scope"), audience: c.Audience})
	fp.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]any{"access_token": "tok-" + r.Form.Get("scope"), "token_type": "Bearer", "expires_in": 3600})
}

func (fp *fakePlatform) serveScore(w http.ResponseWriter, r *http.Request) {
	if fp.failing(w) {
		return
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer tok-") ||
		!strings.Contains(r.Header.Get("Authorization"), "lti-ags/scope/score") {
		http.Error(w, "no token", http.StatusUnauthorized)
		return
	}
	var body map[string]any
	b, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(b, &body); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	fp.mu.Lock()
	defer fp.mu.Unlock()
	fp.scores = append(fp.scores, receivedScore{path: r.URL.Path, query: r.URL.RawQuery, contentType: r.Header.Get("Content-Type"), body: body})
	if code := fp.scoreCode[fmt.Sprint(body["userId"])]; code != 0 {
		http.Error(w, `{"error":"User is not a student"}`, code)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// serveMembers pages through the roster pageSize members at a time, with Link: rel="next".
func (fp *fakePlatform) serveMembers(w http.ResponseWriter, r *http.Request) {
	if !strings.Contains(r.Header.Get("Authorization"), "contextmembership.readonly") {
		http.Error(w, "no token", http.StatusUnauthorized)
		return
	}
	var from int
	fmt.Sscan(r.URL.Query().Get("from"), &from)
	fp.mu.Lock()
	end := min(from+fp.pageSize, len(fp.members))
	page := fp.members[from:end]
	fp.mu.Unlock()
	if end < len(fp.members) {
		w.Header().Add("Link", fmt.Sprintf(`<%s/memberships?from=%d>; rel="next"`, fp.srv.URL, end))
	}
	w.Header().Set("Content-Type", "application/vnd.ims.lti-nrps.v2.membershipcontainer+json")
	json.NewEncoder(w).Encode(map[string]any{"id": r.URL.String(), "members": page})
}

func (fp *fakePlatform) received() []receivedScore {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	return append([]receivedScore(nil), fp.scores...)
}

// person is an LMS user.
type person struct {
	sub, name, email string
	roles            []string
}

const (
	roleLearner    = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
	roleInstructor = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
	roleTA         = "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"
)

// idToken is the claims of a launch for who, in the course "ctx-1", before the test's changes.
func (fp *fakePlatform) idToken(who person, nonce, msgType string, toolURL string, now time.Time) jwt.MapClaims {
	c := jwt.MapClaims{
		"iss": fp.issuer, "aud": fp.audience(fp.clientID), "sub": who.sub, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"nonce": nonce, "name": who.name, "email": who.email,
		"https://purl.imsglobal.org/spec/lti/claim/message_type":    msgType,
		"https://purl.imsglobal.org/spec/lti/claim/version":         "1.3.0",
		"https://purl.imsglobal.org/spec/lti/claim/deployment_id":   fp.deploy,
		"https://purl.imsglobal.org/spec/lti/claim/target_link_uri": toolURL + "/lti/launch",
		"https://purl.imsglobal.org/spec/lti/claim/roles":           who.roles,
		"https://purl.imsglobal.org/spec/lti/claim/context":         map[string]any{"id": "ctx-1", "title": "Deep Learning 101"},
		"https://purl.imsglobal.org/spec/lti/claim/launch_presentation": map[string]any{
			"return_url": fp.srv.URL + "/courses/1/modules"},
		"https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": map[string]any{
			"context_memberships_url": fp.srv.URL + "/memberships", "service_versions": []string{"2.0"}},
	}
	if msgType == "LtiResourceLinkRequest" {
		c["https://purl.imsglobal.org/spec/lti/claim/resource_link"] = map[string]any{"id": "rl-1", "title": "Exercise one"}
		c["https://purl.imsglobal.org/spec/lti/claim/custom"] = map[string]any{"exercise_id": "e1"}
		c["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = map[string]any{
			"scope":    []string{"https://purl.imsglobal.org/spec/lti-ags/scope/lineitem", "https://purl.imsglobal.org/spec/lti-ags/scope/score"},
			"lineitem": fp.lineItem("9"), "lineitems": fp.srv.URL + "/lineitems"}
	} else {
		c["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = map[string]any{
			"deep_link_return_url": fp.srv.URL + "/deep_links", "accept_types": []string{"ltiResourceLink"},
			"accept_presentation_document_targets": []string{"iframe", "window"}, "accept_multiple": true,
			"accept_lineitem": true, "data": "opaque-data"}
	}
	return c
}

// sign signs claims with key (the platform's current one when nil), RS256 with its kid.
func (fp *fakePlatform) sign(claims jwt.MapClaims, key *fakeKey) string {
	if key == nil {
		key = fp.signer()
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = key.kid
	s, err := tok.SignedString(key.priv)
	if err != nil {
		fp.t.Fatal(err)
	}
	return s
}

// authRequest checks the tool's redirect to the auth endpoint and returns its parameters.
func (fp *fakePlatform) authRequest(t *testing.T, location string) url.Values {
	t.Helper()
	u, err := url.Parse(location)
	if err != nil || !strings.HasPrefix(location, fp.srv.URL+"/auth") {
		t.Fatalf("login redirected to %q, want the platform's auth URL", location)
	}
	q := u.Query()
	for k, want := range map[string]string{"scope": "openid", "response_type": "id_token", "response_mode": "form_post",
		"prompt": "none", "client_id": fp.clientID} {
		if got := q.Get(k); got != want {
			t.Errorf("auth request %s = %q, want %q", k, got, want)
		}
	}
	if fp.q.authQuery != "" && !strings.Contains(u.RawQuery, fp.q.authQuery) {
		t.Errorf("auth request %q lost the auth URL's own query %q", u.RawQuery, fp.q.authQuery)
	}
	return q
}
