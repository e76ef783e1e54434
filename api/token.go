package api

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token limits and defaults.
const (
	DefaultTokenTTL    = time.Hour        // lifetime of a login token
	DefaultTokenLeeway = 30 * time.Second // clock skew tolerated on exp, nbf and iat
	MinSecretBytes     = 32               // shortest HS256 signing secret accepted
	maxVerifiedTokens  = 4096             // tokens whose verification Tokens remembers
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

	mu       sync.Mutex
	verified map[string]verifiedToken // by the whole token: see Verify
}

// verifiedToken is what a token's verification found.
type verifiedToken struct {
	subject string
	expires time.Time
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
		ttl: cmpOr(cfg.TTL, DefaultTokenTTL), leeway: cmpOr(cfg.Leeway, DefaultTokenLeeway), now: cfg.Now,
		verified: map[string]verifiedToken{}}
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
//
// A token that passed is remembered, byte for byte, until it expires: only its expiry can change
// the answer (the clock moves forward past nbf and iat), and parsing and signing it again cost
// more than the rest of a small request's authentication.
func (t *Tokens) Verify(token string) (string, error) {
	if sub, ok := t.remembered(token); ok {
		return sub, nil
	}
	sub, exp, err := t.verify(token)
	if err != nil {
		return "", err
	}
	t.remember(token, verifiedToken{subject: sub, expires: exp})
	return sub, nil
}

// remembered returns the subject of token if it was verified and has not expired since.
func (t *Tokens) remembered(token string) (string, bool) {
	t.mu.Lock()
	v, ok := t.verified[token]
	t.mu.Unlock()
	if !ok || !t.now().Before(v.expires) {
		return "", false // expired: verify says so, and why
	}
	return v.subject, true
}

// remember keeps a verified token; when the memory is full it starts over, which costs only
// verifications.
func (t *Tokens) remember(token string, v verifiedToken) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.verified) >= maxVerifiedTokens {
		clear(t.verified)
	}
	t.verified[token] = v
}

// verify parses and checks token, returning its subject and expiry.
func (t *Tokens) verify(token string) (string, time.Time, error) {
	var claims jwt.RegisteredClaims
	_, err := t.parser.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return t.secret, nil })
	if err != nil {
		return "", time.Time{}, err
	}
	if len(claims.Audience) != 1 {
		return "", time.Time{}, errors.New("token: the audience must name only this API")
	}
	if claims.Subject == "" {
		return "", time.Time{}, errors.New("token: no subject")
	}
	return claims.Subject, claims.ExpiresAt.Time, nil // the parser requires exp
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
