package gradjudge

import (
	"context"
	"time"
)

// PasswordTokenService keeps one-time set-password links: an instructor who enrols a student
// without an account gets a link to hand out, and the student chooses a password with it.
// Implemented by store.DB. A token's secret is returned once and stored only hashed.
type PasswordTokenService interface {
	// Invite makes an account for u without a password, with its first token, in one
	// transaction, and returns the account and the token's secret: nobody can sign in to it until
	// a token sets its password. EINVALID for a bad email or role; ECONFLICT when the email has an
	// account already.
	Invite(ctx context.Context, u User, ttl time.Duration) (User, string, error)
	// CreatePasswordToken makes a new token for user userID that expires ttl from now and returns
	// its secret. ENOTFOUND for an unknown user; EINVALID for a ttl that is not positive.
	CreatePasswordToken(ctx context.Context, userID int64, ttl time.Duration) (secret string, err error)
	// RenewPasswordToken makes a new token, as CreatePasswordToken does, for a user who has never
	// chosen a password: one with tokens, none of them spent (an account made by enrolment and
	// not claimed yet). EFORBIDDEN for any other user, whose account a link would take over.
	RenewPasswordToken(ctx context.Context, userID int64, ttl time.Duration) (secret string, err error)
	// Unclaimed returns those of userIDs whom RenewPasswordToken would give a new token: accounts
	// made by enrolment whose password nobody has chosen yet.
	Unclaimed(ctx context.Context, userIDs []int64) (map[int64]bool, error)
	// UsePasswordToken sets the password of the token's user and spends the token, with every
	// other token of the user's, in one transaction, and returns the user. EUNAUTHORIZED for a token that is unknown, spent or
	// expired, without saying which; EINVALID for a too short password (the token stays unspent).
	UsePasswordToken(ctx context.Context, secret, password string) (User, error)
}
