package store

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"

	"gradjudge"
)

// userRow is a row of users.
type userRow struct {
	ID           int64 `gorm:"primaryKey"`
	Email        string
	Name         string
	Role         string
	PasswordHash string
	CreatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

func (r userRow) user() gradjudge.User {
	return gradjudge.User{ID: r.ID, Email: r.Email, Name: r.Name, Role: gradjudge.Role(r.Role), CreatedAt: utc(r.CreatedAt)}
}

// apiKeyRow is a row of api_keys.
type apiKeyRow struct {
	ID         int64 `gorm:"primaryKey"`
	UserID     int64
	Name       string
	Prefix     string
	SecretHash string
	CreatedAt  time.Time
	RevokedAt  *time.Time
	ExpiresAt  *time.Time
}

func (apiKeyRow) TableName() string { return "api_keys" }

func (r apiKeyRow) apiKey() gradjudge.APIKey {
	return gradjudge.APIKey{ID: r.ID, UserID: r.UserID, Name: r.Name, Prefix: r.Prefix, CreatedAt: utc(r.CreatedAt),
		RevokedAt: utcPtr(r.RevokedAt), ExpiresAt: utcPtr(r.ExpiresAt)}
}

// normalizeEmail lower-cases email and checks it is a bare address.
func normalizeEmail(email string) (string, bool) {
	email = strings.ToLower(strings.TrimSpace(email))
	a, err := mail.ParseAddress(email)
	return email, err == nil && a.Address == email
}

// CreateUser implements gradjudge.UserService.
func (db *DB) CreateUser(ctx context.Context, u gradjudge.User, password string) (gradjudge.User, error) {
	const op = "store.CreateUser"
	email, ok := normalizeEmail(u.Email)
	switch {
	case !ok:
		return gradjudge.User{}, invalid(op, "%q is not an email address", u.Email)
	case !u.Role.Valid():
		return gradjudge.User{}, invalid(op, "role %q is not admin, instructor or student", u.Role)
	case len(password) < gradjudge.MinPasswordLength:
		return gradjudge.User{}, invalid(op, "the password needs at least %d characters", gradjudge.MinPasswordLength)
	}
	hash, err := hashPassword(db.cfg.Rand, db.cfg.Passwords, password)
	if err != nil {
		return gradjudge.User{}, dbError(op, "", err)
	}
	row := userRow{Email: email, Name: strings.TrimSpace(u.Name), Role: string(u.Role), PasswordHash: hash, CreatedAt: db.now()}
	if err := db.gorm.WithContext(ctx).Create(&row).Error; err != nil {
		return gradjudge.User{}, dbError(op, "a user with this email", err)
	}
	return row.user(), nil
}

// User implements gradjudge.UserService.
func (db *DB) User(ctx context.Context, id int64) (gradjudge.User, error) {
	var row userRow
	err := db.read.WithContext(ctx).Take(&row, id).Error
	return row.user(), dbError("store.User", "user", err)
}

// UserByEmail implements gradjudge.UserService.
func (db *DB) UserByEmail(ctx context.Context, email string) (gradjudge.User, error) {
	row, err := db.userByEmail(ctx, db.read, email)
	return row.user(), dbError("store.UserByEmail", "user", err)
}

func (db *DB) userByEmail(ctx context.Context, tx *gorm.DB, email string) (userRow, error) {
	var row userRow
	email = strings.ToLower(strings.TrimSpace(email))
	err := tx.WithContext(ctx).Where("email = ?", email).Take(&row).Error
	return row, err
}

// Users implements gradjudge.UserService.
func (db *DB) Users(ctx context.Context) ([]gradjudge.User, error) {
	var rows []userRow
	if err := db.read.WithContext(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, dbError("store.Users", "", err)
	}
	users := make([]gradjudge.User, len(rows))
	for i, r := range rows {
		users[i] = r.user()
	}
	return users, nil
}

// SetPassword implements gradjudge.UserService.
func (db *DB) SetPassword(ctx context.Context, id int64, password string) error {
	const op = "store.SetPassword"
	if len(password) < gradjudge.MinPasswordLength {
		return invalid(op, "the password needs at least %d characters", gradjudge.MinPasswordLength)
	}
	hash, err := hashPassword(db.cfg.Rand, db.cfg.Passwords, password)
	if err != nil {
		return dbError(op, "", err)
	}
	err = db.tx(ctx, func(tx *gorm.DB) error { return setPasswordHash(tx, id, hash, db.now()) })
	if isNotFound(err) {
		return notFound(op, "user")
	}
	return dbError(op, "user", err)
}

// Authenticate implements gradjudge.UserService. An unknown email, or an account without a
// password (an LMS user's), costs the same hashing as a wrong password, so that timing does not
// tell which accounts exist, and is refused whatever the password: the dummy hash it checks is a
// hash of a known text.
func (db *DB) Authenticate(ctx context.Context, email, password string) (gradjudge.User, error) {
	const op = "store.Authenticate"
	row, err := db.userByEmail(ctx, db.read, email)
	if err != nil && !isNotFound(err) {
		return gradjudge.User{}, dbError(op, "", err)
	}
	hash := row.PasswordHash
	if hash == "" {
		hash = db.dummyHash()
	}
	ok, herr := checkPassword(hash, password)
	if herr != nil {
		return gradjudge.User{}, dbError(op, "", herr)
	}
	if !ok || row.ID == 0 || row.PasswordHash == "" {
		return gradjudge.User{}, &gradjudge.Error{Code: gradjudge.EUNAUTHORIZED, Message: "wrong email or password", Op: op}
	}
	return row.user(), nil
}

// dummyHash is a hash with the configured cost that no password matches.
func (db *DB) dummyHash() string {
	db.dummyOnce.Do(func() {
		db.dummy, _ = hashPassword(db.cfg.Rand, db.cfg.Passwords, "\x00 no password")
	})
	return db.dummy
}

// CreateAPIKey implements gradjudge.UserService. The expiry is reckoned on the store's clock
// (Config.Now), the one AuthenticateAPIKey checks it against.
func (db *DB) CreateAPIKey(ctx context.Context, userID int64, name string, ttl time.Duration) (gradjudge.APIKey, string, error) {
	const op = "store.CreateAPIKey"
	if ttl < 0 {
		return gradjudge.APIKey{}, "", invalid(op, "an API key's lifetime cannot be negative (%s)", ttl)
	}
	secret, err := newAPIKeySecret(db.cfg.Rand)
	if err != nil {
		return gradjudge.APIKey{}, "", dbError(op, "", err)
	}
	now := db.now()
	row := apiKeyRow{UserID: userID, Name: strings.TrimSpace(name), Prefix: secret[:apiKeyPrefixLen], SecretHash: hashAPIKey(secret), CreatedAt: now}
	if ttl > 0 {
		exp := now.Add(ttl)
		row.ExpiresAt = &exp
	}
	if err := db.gorm.WithContext(ctx).Create(&row).Error; err != nil {
		if isForeignKey(err) {
			return gradjudge.APIKey{}, "", notFound(op, "user")
		}
		return gradjudge.APIKey{}, "", dbError(op, "api key", err)
	}
	return row.apiKey(), secret, nil
}

// APIKeys implements gradjudge.UserService.
func (db *DB) APIKeys(ctx context.Context, userID int64) ([]gradjudge.APIKey, error) {
	var rows []apiKeyRow
	if err := db.read.WithContext(ctx).Where("user_id = ?", userID).Order("id").Find(&rows).Error; err != nil {
		return nil, dbError("store.APIKeys", "", err)
	}
	keys := make([]gradjudge.APIKey, len(rows))
	for i, r := range rows {
		keys[i] = r.apiKey()
	}
	return keys, nil
}

// RevokeAPIKey implements gradjudge.UserService. Revoking a revoked key is not an error.
func (db *DB) RevokeAPIKey(ctx context.Context, userID, keyID int64) error {
	const op = "store.RevokeAPIKey"
	return db.tx(ctx, func(tx *gorm.DB) error {
		var row apiKeyRow
		if err := tx.Where("id = ? AND user_id = ?", keyID, userID).Take(&row).Error; err != nil {
			return dbError(op, "api key", err)
		}
		if row.RevokedAt != nil {
			return nil
		}
		return dbError(op, "", tx.Model(&row).Update("revoked_at", db.now()).Error)
	})
}

// AuthenticateAPIKey implements gradjudge.UserService. An expired key is refused with the same
// error as an unknown or revoked one. Expiry is compared in Go, on the store's clock, rather than
// in SQL, where SQLite would compare the times as text.
func (db *DB) AuthenticateAPIKey(ctx context.Context, secret string) (gradjudge.User, error) {
	const op = "store.AuthenticateAPIKey"
	unauthorized := &gradjudge.Error{Code: gradjudge.EUNAUTHORIZED, Message: "unknown, revoked or expired API key", Op: op}
	if !strings.HasPrefix(secret, apiKeyMarker) {
		return gradjudge.User{}, unauthorized
	}
	var row struct {
		User         userRow `gorm:"embedded"`
		KeyExpiresAt *time.Time
	}
	err := db.read.WithContext(ctx).Table("users").
		Select("users.*, api_keys.expires_at AS key_expires_at").
		Joins("JOIN api_keys ON api_keys.user_id = users.id").
		Where("api_keys.secret_hash = ? AND api_keys.revoked_at IS NULL", hashAPIKey(secret)).
		Take(&row).Error
	switch {
	case isNotFound(err):
		return gradjudge.User{}, unauthorized
	case err != nil:
		return gradjudge.User{}, dbError(op, "", err)
	case (gradjudge.APIKey{ExpiresAt: row.KeyExpiresAt}).Expired(db.now()):
		return gradjudge.User{}, unauthorized
	}
	return row.User.user(), nil
}
