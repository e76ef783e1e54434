package app

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"gradjudge"
)

// Limits of a user's texts, in bytes.
const (
	MaxNameBytes       = 200
	MaxEmailBytes      = 254
	MaxAPIKeyNameBytes = 100
	MaxAPIKeyDays      = 3650 // the longest lifetime of a new API key, in days (about ten years)
)

// CreateUser makes an account, for admins (and for the CLI, which acts as one).
func (a *App) CreateUser(ctx context.Context, actor gradjudge.User, u gradjudge.User, password string) (gradjudge.User, error) {
	if actor.Role != gradjudge.RoleAdmin {
		return gradjudge.User{}, gradjudge.Errorf(gradjudge.EFORBIDDEN, "only admins may create accounts")
	}
	u.Email, u.Name = strings.TrimSpace(u.Email), strings.TrimSpace(u.Name)
	if err := checkUserText(u); err != nil {
		return gradjudge.User{}, err
	}
	if err := gradjudge.CheckText("password", password); err != nil {
		return gradjudge.User{}, err
	}
	return a.d.Users.CreateUser(ctx, u, password)
}

func checkUserText(u gradjudge.User) error {
	if err := checkEmail(u.Email); err != nil {
		return err
	}
	return checkName(u.Name)
}

// checkEmail checks an account's email address: one line of at most MaxEmailBytes, a plain
// address (no display name), and no invisible character (a byte-order mark, a zero-width space, a
// soft hyphen: Unicode's format characters), which nobody would type to sign in.
func checkEmail(email string) error {
	if err := gradjudge.CheckLine("the email", email); err != nil {
		return err
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || strings.IndexFunc(email, func(r rune) bool { return unicode.Is(unicode.Cf, r) }) >= 0 {
		return gradjudge.Errorf(gradjudge.EINVALID, "%q is not an email address", email)
	}
	if len(email) > MaxEmailBytes {
		return gradjudge.Errorf(gradjudge.EINVALID, "an email has at most %d bytes", MaxEmailBytes)
	}
	return nil
}

// checkName checks a person's name: one line of at most MaxNameBytes.
func checkName(name string) error {
	if err := gradjudge.CheckLine("the name", name); err != nil {
		return err
	}
	if len(name) > MaxNameBytes {
		return gradjudge.Errorf(gradjudge.EINVALID, "the name is longer than %d bytes", MaxNameBytes)
	}
	return nil
}

// Users lists every account, for admins.
func (a *App) Users(ctx context.Context, actor gradjudge.User) ([]gradjudge.User, error) {
	if actor.Role != gradjudge.RoleAdmin {
		return nil, gradjudge.Errorf(gradjudge.EFORBIDDEN, "only admins may list accounts")
	}
	return a.d.Users.Users(ctx)
}

// CreateAPIKey makes an API key named name for u, expiring after days days (0: never). viaKey
// says that u's request was itself signed with an API key: such a key cannot make keys, or a key
// could mint one that outlives it, or one more for whoever stole it.
func (a *App) CreateAPIKey(ctx context.Context, u gradjudge.User, viaKey bool, name string, days int) (gradjudge.APIKey, string, error) {
	if viaKey {
		return gradjudge.APIKey{}, "", gradjudge.Errorf(gradjudge.EFORBIDDEN, "an API key cannot create API keys; sign in with your password and use the login token")
	}
	name = strings.TrimSpace(name)
	if err := gradjudge.CheckText("name", name); err != nil {
		return gradjudge.APIKey{}, "", err
	}
	if name == "" || len(name) > MaxAPIKeyNameBytes {
		return gradjudge.APIKey{}, "", gradjudge.Errorf(gradjudge.EINVALID, "name must be 1 to %d bytes long", MaxAPIKeyNameBytes)
	}
	if days < 0 || days > MaxAPIKeyDays {
		return gradjudge.APIKey{}, "", gradjudge.Errorf(gradjudge.EINVALID, "expires_in_days must be a whole number of days from 1 to %d, or left out for a key that never expires", MaxAPIKeyDays)
	}
	return a.d.Users.CreateAPIKey(ctx, u.ID, name, time.Duration(days)*24*time.Hour)
}

// APIKeys lists u's keys; RevokeAPIKey revokes one of them.
func (a *App) APIKeys(ctx context.Context, u gradjudge.User) ([]gradjudge.APIKey, error) {
	return a.d.Users.APIKeys(ctx, u.ID)
}

// RevokeAPIKey revokes key id of u; ENOTFOUND when u has no such key.
func (a *App) RevokeAPIKey(ctx context.Context, u gradjudge.User, id int64) error {
	return a.d.Users.RevokeAPIKey(ctx, u.ID, id)
}

// UserByKey returns the owner of an API key secret; EUNAUTHORIZED for an unknown, revoked or
// expired key. The user is read afresh on every request, so a changed role takes effect at once.
func (a *App) UserByKey(ctx context.Context, secret string) (gradjudge.User, error) {
	u, err := a.d.Users.AuthenticateAPIKey(ctx, secret)
	return u, unauthorizedIfMissing(err)
}

// UserByID returns the user a verified login token names; EUNAUTHORIZED when it is gone.
func (a *App) UserByID(ctx context.Context, id int64) (gradjudge.User, error) {
	u, err := a.d.Users.User(ctx, id)
	return u, unauthorizedIfMissing(err)
}

func unauthorizedIfMissing(err error) error {
	if code := gradjudge.ErrorCode(err); code == gradjudge.ENOTFOUND || code == gradjudge.EUNAUTHORIZED {
		return gradjudge.Errorf(gradjudge.EUNAUTHORIZED, "the credentials are invalid or expired")
	}
	return err
}
