package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"gradjudge"
)

// passwordTokenBytes is the randomness of a set-password token: 256 bits, so that a fast hash
// (SHA-256, as for API keys) is enough to store it.
const passwordTokenBytes = 32

// passwordTokenRow is a row of set_password_tokens.
type passwordTokenRow struct {
	ID        int64 `gorm:"primaryKey"`
	UserID    int64
	TokenHash string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (passwordTokenRow) TableName() string { return "set_password_tokens" }

var _ gradjudge.PasswordTokenService = (*DB)(nil)

// CreatePasswordToken implements gradjudge.PasswordTokenService.
func (db *DB) CreatePasswordToken(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	const op = "store.CreatePasswordToken"
	if ttl <= 0 {
		return "", invalid(op, "a set-password link must expire after a positive time")
	}
	secret, err := newPasswordToken(db.cfg.Rand)
	if err != nil {
		return "", dbError(op, "", err)
	}
	now := db.now()
	row := passwordTokenRow{UserID: userID, TokenHash: hashAPIKey(secret), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	err = db.gorm.WithContext(ctx).Create(&row).Error
	if isForeignKey(err) {
		return "", notFound(op, "user")
	}
	return secret, dbError(op, "", err)
}

// Invite implements gradjudge.PasswordTokenService. The account's password hash is empty, as an
// LMS user's is: Authenticate refuses it whatever the password, and making it costs no hashing,
// so that a class pasted at once is enrolled in moments.
func (db *DB) Invite(ctx context.Context, u gradjudge.User, ttl time.Duration) (gradjudge.User, string, error) {
	const op = "store.Invite"
	email, ok := normalizeEmail(u.Email)
	switch {
	case !ok:
		return gradjudge.User{}, "", invalid(op, "%q is not an email address", u.Email)
	case !u.Role.Valid():
		return gradjudge.User{}, "", invalid(op, "role %q is not admin, instructor or student", u.Role)
	case ttl <= 0:
		return gradjudge.User{}, "", invalid(op, "a set-password link must expire after a positive time")
	}
	secret, err := newPasswordToken(db.cfg.Rand)
	if err != nil {
		return gradjudge.User{}, "", dbError(op, "", err)
	}
	now := db.now()
	row := userRow{Email: email, Name: strings.TrimSpace(u.Name), Role: string(u.Role), CreatedAt: now}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return tx.Create(&passwordTokenRow{UserID: row.ID, TokenHash: hashAPIKey(secret), CreatedAt: now, ExpiresAt: now.Add(ttl)}).Error
	})
	if err != nil {
		return gradjudge.User{}, "", dbError(op, "a user with this email", err)
	}
	return row.user(), secret, nil
}

// RenewPasswordToken implements gradjudge.PasswordTokenService. The user's row is locked first
// (on PostgreSQL; SQLite's writes run one at a time anyway), as UsePasswordToken's update of it
// does, so that a link cannot be renewed past the moment its password is chosen.
func (db *DB) RenewPasswordToken(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	const op = "store.RenewPasswordToken"
	if ttl <= 0 {
		return "", invalid(op, "a set-password link must expire after a positive time")
	}
	secret, err := newPasswordToken(db.cfg.Rand)
	if err != nil {
		return "", dbError(op, "", err)
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).Take(&userRow{}, userID).Error; err != nil {
			return err
		}
		unclaimed, err := unclaimedUsers(tx, []int64{userID})
		if err != nil {
			return err
		}
		if !unclaimed[userID] {
			return &gradjudge.Error{Code: gradjudge.EFORBIDDEN, Op: op,
				Message: "this account's password has been chosen: only its owner, or an admin, can change it"}
		}
		now := db.now()
		return tx.Create(&passwordTokenRow{UserID: userID, TokenHash: hashAPIKey(secret), CreatedAt: now, ExpiresAt: now.Add(ttl)}).Error
	})
	if isNotFound(err) {
		return "", notFound(op, "user")
	}
	return secret, dbError(op, "", err)
}

// Unclaimed implements gradjudge.PasswordTokenService.
func (db *DB) Unclaimed(ctx context.Context, userIDs []int64) (map[int64]bool, error) {
	out, err := unclaimedUsers(db.read.WithContext(ctx), userIDs)
	return out, dbError("store.Unclaimed", "", err)
}

// unclaimedUsers is the one rule of which accounts may get a new set-password link: those of
// userIDs with tokens, none of them spent (a password chosen by any way spends them all).
func unclaimedUsers(q *gorm.DB, userIDs []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(userIDs))
	if len(userIDs) == 0 {
		return out, nil
	}
	var ids []int64
	err := q.Model(&passwordTokenRow{}).Where("user_id IN ?", userIDs).Group("user_id").
		Having("COUNT(used_at) = 0").Pluck("user_id", &ids).Error
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// setPasswordHash stores a user's new password hash and spends every set-password link of theirs
// still out: once a password is chosen, by whatever way, no older link may choose another.
func setPasswordHash(tx *gorm.DB, userID int64, hash string, now time.Time) error {
	res := tx.Model(&userRow{}).Where("id = ?", userID).Update("password_hash", hash)
	if res.Error != nil || res.RowsAffected == 0 {
		return cmp.Or(res.Error, gorm.ErrRecordNotFound)
	}
	return tx.Model(&passwordTokenRow{}).Where("user_id = ? AND used_at IS NULL", userID).Update("used_at", now).Error
}

// UsePasswordToken implements gradjudge.PasswordTokenService. The token is spent by a
// conditional update, so that two uses at once cannot both succeed.
func (db *DB) UsePasswordToken(ctx context.Context, secret, password string) (gradjudge.User, error) {
	const op = "store.UsePasswordToken"
	refused := &gradjudge.Error{Code: gradjudge.EUNAUTHORIZED, Message: "this set-password link is not valid: it may have been used already or have expired", Op: op}
	if len(password) < gradjudge.MinPasswordLength {
		return gradjudge.User{}, invalid(op, "the password needs at least %d characters", gradjudge.MinPasswordLength)
	}
	hash, err := hashPassword(db.cfg.Rand, db.cfg.Passwords, password)
	if err != nil {
		return gradjudge.User{}, dbError(op, "", err)
	}
	var user userRow
	err = db.tx(ctx, func(tx *gorm.DB) error {
		var row passwordTokenRow
		now := db.now()
		if err := tx.Where("token_hash = ?", hashAPIKey(secret)).Take(&row).Error; err != nil {
			return err
		}
		res := tx.Model(&passwordTokenRow{}).Where("id = ? AND used_at IS NULL AND expires_at > ?", row.ID, now).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		if err := setPasswordHash(tx, row.UserID, hash, now); err != nil {
			return err
		}
		return tx.Take(&user, row.UserID).Error
	})
	if isNotFound(err) {
		return gradjudge.User{}, refused
	}
	return user.user(), dbError(op, "", err)
}

// newPasswordToken returns a fresh token for a link: URL-safe, no padding.
func newPasswordToken(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, passwordTokenBytes)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("set-password token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
