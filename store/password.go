package store

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2Params is the cost of argon2id password hashing. Each hash records its own parameters,
// so raising the cost later does not lock anyone out.
type Argon2Params struct {
	Time      uint32 // passes over memory
	MemoryKiB uint32
	Threads   uint8
}

// DefaultArgon2 is OWASP's minimum recommendation for argon2id: 19 MiB, two passes, one thread.
func DefaultArgon2() Argon2Params { return Argon2Params{Time: 2, MemoryKiB: 19 * 1024, Threads: 1} }

// Lengths of the parts of a password hash and an API key, in bytes.
const (
	saltBytes         = 16
	passwordKeyBytes  = 32
	apiKeySecretBytes = 32
	apiKeyPrefixLen   = 10 // characters of the secret kept in clear to tell keys apart
)

// apiKeyMarker starts every API key secret, so that a leaked key is recognizable.
const apiKeyMarker = "gjk_"

// hashPassword returns the PHC string of password under argon2id with p and a fresh salt.
func hashPassword(rand io.Reader, p Argon2Params, password string) (string, error) {
	salt := make([]byte, saltBytes)
	if _, err := io.ReadFull(rand, salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, passwordKeyBytes)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.MemoryKiB, p.Time, p.Threads, base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// checkPassword reports whether password matches the PHC string encoded, in constant time.
func checkPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("not an argon2id hash")
	}
	var version int
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false, fmt.Errorf("argon2 parameters %q: %w", parts[3], err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("salt: %w", err)
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("key: %w", err)
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// newAPIKeySecret returns a fresh API key secret. Its SHA-256 is what is stored: the secret has
// 256 random bits, so a fast hash is enough.
func newAPIKeySecret(rand io.Reader) (string, error) {
	b := make([]byte, apiKeySecretBytes)
	if _, err := io.ReadFull(rand, b); err != nil {
		return "", fmt.Errorf("api key: %w", err)
	}
	return apiKeyMarker + base64.RawURLEncoding.EncodeToString(b), nil
}

func hashAPIKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
