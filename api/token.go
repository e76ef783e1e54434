package api

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token limits and defaults.
const (
	DefaultTokenTTL    = time.Hour        // lifetime of a login token
	DefaultTokenLeeway = 30 * time.Second // clock skew tolerated on exp, nbf and iat
	MinSecretBytes     = 32               // shortest HS256 signing secret accepted
)

// signingMethod is the only algorithm the API signs with and accepts.
var signingMethod = jwt.SigningMethodHS256

// Tokens issues and verifies the API's login tokens: HS256 JWTs whose subject is the user id. The
// zero value is unusable; build one with NewTokens.
type Tokens struct {
	secret   []byte
	issuer   string
	audience string
	ttl      time.Duration
	leeway   time.Duration
	now      func() time.Time
	parser   *jwt.Parser
}

// TokenConfig configures Tokens. Secret is required; zero TTL and Leeway take the defaults, a nil
// Now takes time.Now.
type TokenConfig struct {
	Secret   []byte
	Issuer   string
	Audience string
	TTL      time.Duration
	Leeway   time.Duration
	Now      func() time.Time
}

// NewTokens returns Tokens for cfg; it refuses a short secret or an empty issuer or audience.
func NewTokens(cfg TokenConfig) (*Tokens, error) {
	if len(cfg.Secret) < MinSecretBytes {
		return nil, fmt.Errorf("api: the token secret must be at least %d bytes", MinSecretBytes)
	}
	if cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("api: the token issuer and audience must be set")
	}
	t := &Tokens{secret: cfg.Secret, issuer: cfg.Issuer, audience: cfg.Audience,
		ttl: cmpOr(cfg.TTL, DefaultTokenTTL), leeway: cmpOr(cfg.Leeway, DefaultTokenLeeway), now: cfg.Now}
	if t.now == nil {
		t.now = time.Now
	}
	t.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{signingMethod.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(t.issuer),
		jwt.WithAudience(t.audience),
		jwt.WithLeeway(t.leeway),
		jwt.WithTimeFunc(t.now),
	)
	return t, nil
}

// Issue returns a signed token for subject (a user id) and the time it expires.
func (t *Tokens) Issue(subject string) (string, time.Time, error) {
	now := t.now()
	exp := now.Add(t.ttl)
	claims := jwt.RegisteredClaims{
		Issuer:    t.issuer,
		Subject:   subject,
		Audience:  jwt.ClaimStrings{t.audience},
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
	}
	s, err := jwt.NewWithClaims(signingMethod, claims).SignedString(t.secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token: %w", err)
	}
	return s, exp, nil
}

// Verify checks a token's signature, algorithm, expiry, issuer and audience and returns its
// subject. The audience must be exactly this API's: a token also meant for another service is
// refused, so that it cannot be replayed here.
func (t *Tokens) Verify(token string) (string, error) {
	var claims jwt.RegisteredClaims
	_, err := t.parser.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return t.secret, nil })
	if err != nil {
		return "", err
	}
	if len(claims.Audience) != 1 {
		return "", errors.New("token: the audience must name only this API")
	}
	if claims.Subject == "" {
		return "", errors.New("token: no subject")
	}
	return claims.Subject, nil
}

// looksLikeJWT reports whether a bearer credential has a JWT's three dot-separated parts; any other
// credential is tried as an API key.
func looksLikeJWT(s string) bool { return strings.Count(s, ".") == 2 }

// GenerateSecret returns n random bytes for a signing secret.
func GenerateSecret(n int) ([]byte, error) {
	b := make([]byte, n)
	_, err := rand.Read(b)
	return b, err
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
