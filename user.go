package gradjudge

import (
	"context"
	"time"
)

// Role is a user's site-wide role. It decides who may create courses and manage users; what a
// user may do inside one course is decided by their CourseRole there.
type Role string

// The site roles.
const (
	RoleAdmin      Role = "admin"      // manages users and sees every course
	RoleInstructor Role = "instructor" // may create courses
	RoleStudent    Role = "student"    // takes courses
)

// Valid reports whether r is one of the site roles.
func (r Role) Valid() bool {
	return r == RoleAdmin || r == RoleInstructor || r == RoleStudent
}

// User is one account. Its password and API keys are never part of it: they live only hashed in
// the store.
type User struct {
	ID        int64
	Email     string // unique, stored lower-cased
	Name      string
	Role      Role
	CreatedAt time.Time
}

// APIKey describes one API key of a user, for integrations. The secret itself is returned once,
// by CreateAPIKey, and stored only as a hash.
type APIKey struct {
	ID        int64
	UserID    int64
	Name      string // chosen by the user, e.g. "canvas sync"
	Prefix    string // the first characters of the secret, to tell keys apart in a list
	CreatedAt time.Time
	RevokedAt *time.Time // nil unless revoked
	// ExpiresAt is when the key stops working, refused from then on as if revoked; nil for a key
	// that never expires.
	ExpiresAt *time.Time
}

// Expired reports whether k has an expiry and now has reached it.
func (k APIKey) Expired(now time.Time) bool {
	return k.ExpiresAt != nil && !now.Before(*k.ExpiresAt)
}

// UserService manages accounts, passwords and API keys. Implemented by store.DB.
type UserService interface {
	// CreateUser stores u (its ID and CreatedAt are ignored) with the password hashed. EINVALID
	// for a malformed email, an unknown role or a password shorter than MinPasswordLength;
	// ECONFLICT when the email is taken.
	CreateUser(ctx context.Context, u User, password string) (User, error)
	// User returns the user with id; ENOTFOUND when there is none.
	User(ctx context.Context, id int64) (User, error)
	// UserByEmail returns the user with email (case-insensitive); ENOTFOUND when there is none.
	UserByEmail(ctx context.Context, email string) (User, error)
	// Users lists every user by id.
	Users(ctx context.Context) ([]User, error)
	// SetPassword replaces the password of user id and spends the set-password links still out for
	// them; EINVALID for a too short password.
	SetPassword(ctx context.Context, id int64, password string) error
	// Authenticate returns the user with email and password; EUNAUTHORIZED when either is wrong,
	// without saying which.
	Authenticate(ctx context.Context, email, password string) (User, error)

	// CreateAPIKey makes a new key for user id and returns it with its secret, which is shown
	// once and never again. The key expires ttl after its creation; a zero ttl makes a key that
	// never expires, a negative one is EINVALID.
	CreateAPIKey(ctx context.Context, userID int64, name string, ttl time.Duration) (key APIKey, secret string, err error)
	// APIKeys lists the keys of user id, revoked ones included.
	APIKeys(ctx context.Context, userID int64) ([]APIKey, error)
	// RevokeAPIKey revokes key keyID of user userID; ENOTFOUND when that user has no such key.
	RevokeAPIKey(ctx context.Context, userID, keyID int64) error
	// AuthenticateAPIKey returns the owner of secret; EUNAUTHORIZED for an unknown, revoked or
	// expired key, without saying which.
	AuthenticateAPIKey(ctx context.Context, secret string) (User, error)
}

// MinPasswordLength is the shortest password CreateUser and SetPassword accept, in bytes.
const MinPasswordLength = 8
