package lti

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"gradjudge"
)

// Key sizes and lifetimes of the tool's own keys and signatures.
const (
	// KeyBits is the size of a new signing key. IMS asks for at least 2048; 2048 is what every
	// platform accepts and is quick to generate at first start.
	KeyBits = 2048
	// MinKeyBits is the smallest stored key the tool signs with.
	MinKeyBits = 2048
	// SignatureLifetime is the exp - iat of every JWT the tool signs: client assertions and deep
	// linking responses.
	SignatureLifetime = 5 * time.Minute
	// RetiredKeyPublished is how long a retired key stays in the JWKS: longer than
	// SignatureLifetime, so the last signature it made can have expired, with room for
	// platforms that cache our JWKS for up to an hour.
	RetiredKeyPublished = SignatureLifetime + time.Hour
)

// Keys are the tool's signing keys, kept by a KeyStore (the database). Every read goes to the
// store, so a rotation by another process (the CLI) takes effect at once.
type Keys struct {
	store KeyStore
	now   func() time.Time
}

// signingKey is a parsed key.
type signingKey struct {
	kid string
	key *rsa.PrivateKey
}

// Ensure makes the first signing key when there is none (the first start).
func (k *Keys) Ensure(ctx context.Context) error {
	keys, err := k.store.LTIKeys(ctx, k.now().Add(-RetiredKeyPublished))
	if err != nil {
		return err
	}
	for _, key := range keys {
		if key.RetiredAt == nil {
			return nil
		}
	}
	_, err = k.add(ctx, false)
	return err
}

// Rotate makes a new signing key and retires the active one, which stays published for
// RetiredKeyPublished. It returns the new key's kid.
func (k *Keys) Rotate(ctx context.Context) (string, error) { return k.add(ctx, true) }

func (k *Keys) add(ctx context.Context, rotate bool) (string, error) {
	priv, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return "", fmt.Errorf("lti: generate key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return "", fmt.Errorf("lti: encode key: %w", err)
	}
	kid := thumbprint(&priv.PublicKey)
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	_, err = k.store.AddLTIKey(ctx, gradjudge.LTIKey{KID: kid, PrivatePEM: pemBytes}, rotate)
	return kid, err
}

// active returns the key that signs now.
func (k *Keys) active(ctx context.Context) (signingKey, error) {
	keys, err := k.published(ctx)
	if err != nil {
		return signingKey{}, err
	}
	for _, key := range keys {
		if key.retired == nil {
			return key.signingKey, nil
		}
	}
	return signingKey{}, errors.New("lti: no active signing key; the server makes one at start")
}

type publishedKey struct {
	signingKey
	retired *time.Time
}

// published returns the keys of the JWKS: the active one and those retired recently.
func (k *Keys) published(ctx context.Context) ([]publishedKey, error) {
	stored, err := k.store.LTIKeys(ctx, k.now().Add(-RetiredKeyPublished))
	if err != nil {
		return nil, err
	}
	out := make([]publishedKey, 0, len(stored))
	for _, s := range stored {
		priv, err := parseKey(s.PrivatePEM)
		if err != nil {
			return nil, fmt.Errorf("lti: key %s: %w", s.KID, err)
		}
		out = append(out, publishedKey{signingKey{kid: s.KID, key: priv}, s.RetiredAt})
	}
	return out, nil
}

func parseKey(pemBytes []byte) (*rsa.PrivateKey, error) {
	b, _ := pem.Decode(pemBytes)
	if b == nil {
		return nil, errors.New("not PEM")
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok || rk.N.BitLen() < MinKeyBits {
		return nil, fmt.Errorf("not an RSA key of at least %d bits", MinKeyBits)
	}
	return rk, nil
}

// Sign returns claims signed RS256 with the active key, its kid in the header.
func (k *Keys) Sign(ctx context.Context, claims jwt.Claims) (string, error) {
	key, err := k.active(ctx)
	if err != nil {
		return "", err
	}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = key.kid
	return t.SignedString(key.key)
}

// jwk is one public key of the JWKS.
type jwk struct {
	Kty string `json:"kty"`
	Alg string `json:"alg"`
	Use string `json:"use"`
	Kid string `json:"kid"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// JWKS returns the tool's public keys as a JSON Web Key Set.
func (k *Keys) JWKS(ctx context.Context) ([]byte, error) {
	keys, err := k.published(ctx)
	if err != nil {
		return nil, err
	}
	set := struct {
		Keys []jwk `json:"keys"`
	}{Keys: make([]jwk, 0, len(keys))}
	for _, key := range keys {
		pub := key.key.PublicKey
		set.Keys = append(set.Keys, jwk{Kty: "RSA", Alg: "RS256", Use: "sig", Kid: key.kid,
			N: b64(pub.N.Bytes()), E: b64(big.NewInt(int64(pub.E)).Bytes())})
	}
	return json.Marshal(set)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// thumbprint is the RFC 7638 thumbprint of pub: a kid that names the key itself.
func thumbprint(pub *rsa.PublicKey) string {
	// Members in lexicographic order, no spaces, as RFC 7638 requires.
	s := `{"e":"` + b64(big.NewInt(int64(pub.E)).Bytes()) + `","kty":"RSA","n":"` + b64(pub.N.Bytes()) + `"}`
	sum := sha256.Sum256([]byte(s))
	return b64(sum[:])
}

// NewKeys returns the signing keys kept by s, on the clock now (nil: time.Now): what the
// rotate-key command needs without a whole Tool.
func NewKeys(s KeyStore, now func() time.Time) *Keys {
	if now == nil {
		now = time.Now
	}
	return &Keys{store: s, now: now}
}
