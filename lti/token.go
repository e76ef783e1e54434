package lti

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"gradjudge"
)

// tokenMargin is how long before its expiry a cached access token is no longer used, so that it
// does not expire on its way.
const tokenMargin = 30 * time.Second

// tokenCache holds access tokens by platform and scope set until they expire.
type tokenCache struct {
	mu     sync.Mutex
	tokens map[string]cachedToken
}

type cachedToken struct {
	value   string
	expires time.Time
}

func newTokenCache() *tokenCache { return &tokenCache{tokens: map[string]cachedToken{}} }

func tokenKey(p gradjudge.LTIPlatform, scopes []string) string {
	s := append([]string(nil), scopes...)
	sort.Strings(s)
	return fmt.Sprintf("%d %s", p.ID, strings.Join(s, " "))
}

// forget drops the cached token of p and scopes: the platform refused it.
func (c *tokenCache) forget(p gradjudge.LTIPlatform, scopes []string) {
	c.mu.Lock()
	delete(c.tokens, tokenKey(p, scopes))
	c.mu.Unlock()
}

// transientError is a failure worth retrying: the platform was down, slow or busy.
type transientError struct{ err error }

func (e *transientError) Error() string { return e.err.Error() }
func (e *transientError) Unwrap() error { return e.err }

// accessToken returns a token of p for scopes, from the cache or by the client-credentials grant
// with a JWT assertion signed by the tool's key (RFC 7523, as LTI Advantage asks). Only scopes a
// launch granted are asked for: the caller passes only those.
func (t *Tool) accessToken(ctx context.Context, p gradjudge.LTIPlatform, scopes []string) (string, error) {
	key := tokenKey(p, scopes)
	t.tokens.mu.Lock()
	tok, ok := t.tokens.tokens[key]
	t.tokens.mu.Unlock()
	if ok && t.now().Before(tok.expires.Add(-tokenMargin)) {
		return tok.value, nil
	}
	tok, err := t.requestToken(ctx, p, scopes)
	if err != nil {
		return "", err
	}
	t.tokens.mu.Lock()
	t.tokens.tokens[key] = tok
	t.tokens.mu.Unlock()
	return tok.value, nil
}

func (t *Tool) requestToken(ctx context.Context, p gradjudge.LTIPlatform, scopes []string) (cachedToken, error) {
	now := t.now()
	assertion, err := t.keys.Sign(ctx, jwt.RegisteredClaims{
		Issuer: p.ClientID, Subject: p.ClientID, Audience: jwt.ClaimStrings{p.Audience()},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(SignatureLifetime)), ID: randomToken(),
	})
	if err != nil {
		return cachedToken{}, err
	}
	form := url.Values{
		"grant_type":            {"client_credentials"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {assertion},
		"scope":                 {strings.Join(scopes, " ")},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return cachedToken{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := t.client.Do(req)
	if err != nil {
		return cachedToken{}, &transientError{fmt.Errorf("token endpoint: %w", err)}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if resp.StatusCode != http.StatusOK {
		// A refused client (400, 401) is as likely a registration an admin is fixing as a final
		// answer: scores wait, with backoff, rather than being lost.
		return cachedToken{}, &transientError{fmt.Errorf("token endpoint: %s: %s", resp.Status, snippet(body))}
	}
	var tr struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &tr); err != nil || tr.AccessToken == "" {
		return cachedToken{}, &transientError{fmt.Errorf("token endpoint: no access_token in %q", snippet(body))}
	}
	if tr.ExpiresIn <= 0 {
		tr.ExpiresIn = 3600
	}
	return cachedToken{value: tr.AccessToken, expires: now.Add(time.Duration(tr.ExpiresIn) * time.Second)}, nil
}

// snippet is the start of a platform's answer, for logs and the instructor's passback view.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}
