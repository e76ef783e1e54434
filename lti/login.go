package lti

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"gradjudge"
)

// Lifetimes of the values a login hands out.
const (
	// StateLifetime is how long a login's state waits for its launch: the platform answers in
	// seconds, unless it asks the user to sign in first.
	StateLifetime = 10 * time.Minute
	// stateCookiePrefix starts the name of the cookie that binds a state to the browser that
	// began the login; the state itself ends the name, so parallel launches (several links on
	// one LMS page) do not overwrite each other's.
	stateCookiePrefix = "gj_lti_"
)

// loginState is what a login remembers for its launch, under the state value.
type loginState struct {
	PlatformID  int64  `json:"platform_id"`
	Nonce       string `json:"nonce"`
	Binding     string `json:"binding"` // SHA-256 of the state cookie's value
	Issuer      string `json:"iss"`
	ClientID    string `json:"client_id"`
	LoginHint   string `json:"login_hint"`
	MessageHint string `json:"lti_message_hint,omitempty"`
	Target      string `json:"target_link_uri"`
	Deployment  string `json:"lti_deployment_id,omitempty"`
}

// login is the OIDC login initiation (third-party initiated login), by GET or POST: it checks
// the platform and target_link_uri, remembers a state and a nonce, binds the state to this
// browser with a cookie, and redirects to the platform's authorization endpoint.
func (t *Tool) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		t.page(w, r, http.StatusBadRequest, "Launch failed", "The login request could not be read.")
		return
	}
	f := r.Form
	st := loginState{Issuer: f.Get("iss"), ClientID: f.Get("client_id"), LoginHint: f.Get("login_hint"),
		MessageHint: f.Get("lti_message_hint"), Target: f.Get("target_link_uri"), Deployment: f.Get("lti_deployment_id")}
	if st.Issuer == "" || st.LoginHint == "" || st.Target == "" {
		t.page(w, r, http.StatusBadRequest, "Launch failed", "The login request lacks iss, login_hint or target_link_uri.")
		return
	}
	if !t.ours(st.Target) {
		t.page(w, r, http.StatusBadRequest, "Launch failed", "The link does not lead to this tool.")
		return
	}
	p, err := t.loginPlatform(r, st.Issuer, st.ClientID)
	if err != nil {
		t.page(w, r, http.StatusBadRequest, "Launch failed", gradjudge.ErrorMessage(err))
		return
	}
	st.PlatformID, st.ClientID = p.ID, p.ClientID
	state, cookie := randomToken(), randomToken()
	st.Nonce, st.Binding = randomToken(), hashToken(cookie)
	payload, _ := json.Marshal(st)
	if err := t.cfg.Once.PutOnce(r.Context(), "state", state, string(payload), t.now().Add(StateLifetime)); err != nil {
		t.fail(w, r, err)
		return
	}
	setStateCookie(w, r, state, cookie, int(StateLifetime/time.Second))
	http.Redirect(w, r, t.authURL(p, st, state), http.StatusFound)
}

// loginPlatform finds the registration of a login: (iss, client_id), or the only one of iss
// when the platform sends no client_id.
func (t *Tool) loginPlatform(r *http.Request, iss, clientID string) (gradjudge.LTIPlatform, error) {
	if clientID != "" {
		p, err := t.cfg.Platforms.LTIPlatform(r.Context(), iss, clientID)
		if gradjudge.ErrorCode(err) == gradjudge.ENOTFOUND {
			return p, gradjudge.Errorf(gradjudge.ENOTFOUND, "This platform (%s, client %s) is not registered with gradjudge.", iss, clientID)
		}
		return p, err
	}
	ps, err := t.cfg.Platforms.LTIPlatformsByIssuer(r.Context(), iss)
	switch {
	case err != nil:
		return gradjudge.LTIPlatform{}, err
	case len(ps) == 0:
		return gradjudge.LTIPlatform{}, gradjudge.Errorf(gradjudge.ENOTFOUND, "The platform %s is not registered with gradjudge.", iss)
	case len(ps) > 1:
		return gradjudge.LTIPlatform{}, gradjudge.Errorf(gradjudge.EINVALID, "Several registrations share the issuer %s: the platform must send client_id.", iss)
	}
	return ps[0], nil
}

// authURL is p's authorization endpoint with the authentication request's parameters merged
// into the query it has already (Moodle's and others' carry parameters of their own);
// lti_message_hint goes back exactly as it came.
func (t *Tool) authURL(p gradjudge.LTIPlatform, st loginState, state string) string {
	u, _ := url.Parse(p.AuthLoginURL) // validated at registration
	q := u.Query()
	for k, v := range map[string]string{
		"scope": "openid", "response_type": "id_token", "response_mode": "form_post", "prompt": "none",
		"client_id": p.ClientID, "redirect_uri": t.url(PathLaunch), "login_hint": st.LoginHint,
		"state": state, "nonce": st.Nonce,
	} {
		q.Set(k, v)
	}
	if st.MessageHint != "" {
		q.Set("lti_message_hint", st.MessageHint)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// ours reports whether target is the tool's launch URL (any query): never an open redirect.
func (t *Tool) ours(target string) bool {
	u, err := url.Parse(target)
	return err == nil && u.Scheme == t.base.Scheme && u.Host == t.base.Host && u.User == nil &&
		u.Path == t.base.Path+PathLaunch
}

// setStateCookie binds state to this browser. SameSite=None: the launch is a cross-site POST
// from the platform, which a Lax cookie would not come with; browsers want Secure with it, so
// plain HTTP (development) falls back to Lax.
func setStateCookie(w http.ResponseWriter, r *http.Request, state, value string, maxAge int) {
	c := &http.Cookie{Name: stateCookiePrefix + state, Value: value, Path: "/lti/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode}
	if isTLS(r) {
		c.Secure, c.SameSite = true, http.SameSiteNoneMode
	}
	http.SetCookie(w, c)
}

// isTLS reports whether the browser reached us over HTTPS, directly or through a proxy.
func isTLS(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// randomToken is 256 random bits, URL-safe.
func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
