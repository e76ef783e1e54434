package api

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// TestTokensRejected forges tokens every way a JWT verifier is known to be fooled; each must be
// answered 401.
func TestTokensRejected(t *testing.T) {
	e := newEnv(t)
	now := e.clock.Now()
	sub := strconv.FormatInt(e.ids["alice"], 10)
	good := func() jwt.RegisteredClaims {
		return jwt.RegisteredClaims{Issuer: "gradjudge", Subject: sub, Audience: jwt.ClaimStrings{"gradjudge-api"},
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}
	}
	with := func(f func(*jwt.RegisteredClaims)) jwt.RegisteredClaims { c := good(); f(&c); return c }
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	hs := func(c jwt.RegisteredClaims, key []byte) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, good()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	rs256, _ := jwt.NewWithClaims(jwt.SigningMethodRS256, good()).SignedString(rsaKey)
	hs512, _ := jwt.NewWithClaims(jwt.SigningMethodHS512, good()).SignedString(testSecret)

	tests := []struct {
		name  string
		token string
	}{
		{"alg none", none},
		{"wrong key", hs(good(), []byte("another-secret-another-secret-xx"))},
		{"HS256 signed with the RSA public key", hs(good(), pubPEM)},
		{"RS256", rs256},
		{"HS512 with the right secret", hs512},
		{"no exp", hs(with(func(c *jwt.RegisteredClaims) { c.ExpiresAt = nil }), testSecret)},
		{"expired", hs(with(func(c *jwt.RegisteredClaims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Minute)) }), testSecret)},
		{"not yet valid", hs(with(func(c *jwt.RegisteredClaims) { c.NotBefore = jwt.NewNumericDate(now.Add(time.Hour)) }), testSecret)},
		{"issued in the future", hs(with(func(c *jwt.RegisteredClaims) { c.IssuedAt = jwt.NewNumericDate(now.Add(time.Hour)) }), testSecret)},
		{"wrong issuer", hs(with(func(c *jwt.RegisteredClaims) { c.Issuer = "evil" }), testSecret)},
		{"no issuer", hs(with(func(c *jwt.RegisteredClaims) { c.Issuer = "" }), testSecret)},
		{"wrong audience", hs(with(func(c *jwt.RegisteredClaims) { c.Audience = jwt.ClaimStrings{"lms"} }), testSecret)},
		{"extra audience", hs(with(func(c *jwt.RegisteredClaims) { c.Audience = append(c.Audience, "lms") }), testSecret)},
		{"no audience", hs(with(func(c *jwt.RegisteredClaims) { c.Audience = nil }), testSecret)},
		{"no subject", hs(with(func(c *jwt.RegisteredClaims) { c.Subject = "" }), testSecret)},
		{"unknown subject", hs(with(func(c *jwt.RegisteredClaims) { c.Subject = "999999" }), testSecret)},
		{"garbage", "a.b.c"},
	}
	e.tok["valid"] = hs(good(), testSecret)
	wantStatus(t, e.do("valid", "GET", "/api/v1/me", nil), http.StatusOK)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.tok["forged"] = tt.token
			w := e.do("forged", "GET", "/api/v1/me", nil)
			if w.Code != http.StatusUnauthorized {
				t.Errorf("status = %d, want 401; body %s", w.Code, w.Body.String())
			}
		})
	}
}

func TestTokenLeewayAndExpiry(t *testing.T) {
	e := newEnv(t)
	e.clock.Advance(time.Hour + DefaultTokenLeeway/2)
	wantStatus(t, e.do("alice", "GET", "/api/v1/me", nil), http.StatusOK)
	e.clock.Advance(DefaultTokenLeeway)
	wantStatus(t, e.do("alice", "GET", "/api/v1/me", nil), http.StatusUnauthorized)
}

func TestNewTokensRefusesAWeakConfig(t *testing.T) {
	for name, cfg := range map[string]TokenConfig{
		"short secret": {Secret: []byte("short"), Issuer: "i", Audience: "a"},
		"no issuer":    {Secret: testSecret, Audience: "a"},
		"no audience":  {Secret: testSecret, Issuer: "i"},
	} {
		if _, err := NewTokens(cfg); err == nil {
			t.Errorf("%s: NewTokens accepted it", name)
		}
	}
}

// TestTokensRemembered checks the memory of verified tokens: a remembered token still expires,
// a token that differs from a remembered one is verified afresh, and the memory stays bounded.
func TestTokensRemembered(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tokens, err := NewTokens(TokenConfig{Secret: testSecret, Issuer: "i", Audience: "a", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := tokens.Issue("7")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if sub, err := tokens.Verify(tok); sub != "7" || err != nil {
			t.Fatalf("Verify = %q, %v", sub, err)
		}
	}
	if _, ok := tokens.remembered(tok); !ok {
		t.Error("a verified token is not remembered")
	}
	tampered := tok[:len(tok)-2] + "xx"
	if _, err := tokens.Verify(tampered); err == nil {
		t.Error("a token with a changed signature passed")
	}
	now = now.Add(DefaultTokenTTL + 2*DefaultTokenLeeway)
	if _, err := tokens.Verify(tok); err == nil {
		t.Error("a remembered token passed after it expired")
	}
	for i := range maxVerifiedTokens + 1 {
		tok, _, _ := tokens.Issue(strconv.Itoa(i))
		if _, err := tokens.Verify(tok); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(tokens.verified); n > maxVerifiedTokens {
		t.Errorf("%d tokens remembered, more than %d", n, maxVerifiedTokens)
	}
}
