package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"

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
		if err := tx.Model(&userRow{}).Where("id = ?", row.UserID).Update("password_hash", hash).Error; err != nil {
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
