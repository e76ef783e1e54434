package store

import (
	"strings"
	"testing"
	"time"

	"gradjudge"
)

func TestCreateUser(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		mustUser(t, db, "taken@example.com", gradjudge.RoleStudent)
		for _, c := range []struct {
			name, email, password string
			role                  gradjudge.Role
			code                  string
		}{
			{"ok", "New@Example.com ", "long enough", gradjudge.RoleInstructor, ""},
			{"not an email", "nobody", "long enough", gradjudge.RoleStudent, gradjudge.EINVALID},
			{"named address", "Ann <ann@example.com>", "long enough", gradjudge.RoleStudent, gradjudge.EINVALID},
			{"unknown role", "x@example.com", "long enough", "root", gradjudge.EINVALID},
			{"short password", "y@example.com", "short", gradjudge.RoleStudent, gradjudge.EINVALID},
			{"email taken, other case", "TAKEN@example.com", "long enough", gradjudge.RoleStudent, gradjudge.ECONFLICT},
		} {
			t.Run(c.name, func(t *testing.T) {
				u, err := db.CreateUser(t.Context(), gradjudge.User{Email: c.email, Name: "N", Role: c.role}, c.password)
				wantCode(t, err, c.code)
				if err != nil {
					return
				}
				if u.ID == 0 || u.Email != "new@example.com" || u.Role != c.role || u.CreatedAt.IsZero() {
					t.Errorf("created %+v", u)
				}
				got, err := db.UserByEmail(t.Context(), "NEW@example.com")
				if err != nil || got != u {
					t.Errorf("UserByEmail = %+v, %v; want %+v", got, err, u)
				}
			})
		}
	})
}

func TestAuthenticate(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ann := mustUser(t, db, "ann@example.com", gradjudge.RoleStudent)
		for _, c := range []struct {
			name, email, password, code string
		}{
			{"right", "ann@example.com", "correct horse", ""},
			{"email in other case", "Ann@Example.com", "correct horse", ""},
			{"wrong password", "ann@example.com", "correct horsE", gradjudge.EUNAUTHORIZED},
			{"unknown email", "bob@example.com", "correct horse", gradjudge.EUNAUTHORIZED},
			{"empty", "", "", gradjudge.EUNAUTHORIZED},
		} {
			t.Run(c.name, func(t *testing.T) {
				u, err := db.Authenticate(t.Context(), c.email, c.password)
				wantCode(t, err, c.code)
				if err == nil && u.ID != ann.ID {
					t.Errorf("authenticated as %+v, want ann", u)
				}
				if err != nil && gradjudge.ErrorMessage(err) != "wrong email or password" {
					t.Errorf("message %q tells too much", gradjudge.ErrorMessage(err))
				}
			})
		}
		if err := db.SetPassword(t.Context(), ann.ID, "a new password"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(t.Context(), ann.Email, "correct horse"); err == nil {
			t.Error("the old password still works")
		}
		if _, err := db.Authenticate(t.Context(), ann.Email, "a new password"); err != nil {
			t.Errorf("the new password: %v", err)
		}
		wantCode(t, db.SetPassword(t.Context(), 9999, "long enough"), gradjudge.ENOTFOUND)
	})
}

func TestPasswordHashIsArgon2id(t *testing.T) {
	db := openTestDB(t, withSQLite(t, Config{}))
	ann := mustUser(t, db, "ann@example.com", gradjudge.RoleStudent)
	var hash string
	if err := db.SQL().QueryRow("SELECT password_hash FROM users WHERE id = ?", ann.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") || strings.Contains(hash, "correct horse") {
		t.Errorf("stored hash %q", hash)
	}
}

func TestAPIKeys(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		ann := mustUser(t, db, "ann@example.com", gradjudge.RoleStudent)
		bob := mustUser(t, db, "bob@example.com", gradjudge.RoleStudent)
		key, secret, err := db.CreateAPIKey(ctx, ann.ID, "canvas", 0)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, key.Prefix) || len(secret) < 40 || key.RevokedAt != nil || key.ExpiresAt != nil {
			t.Fatalf("key %+v, secret %q", key, secret)
		}
		u, err := db.AuthenticateAPIKey(ctx, secret)
		if err != nil || u.ID != ann.ID {
			t.Fatalf("AuthenticateAPIKey = %+v, %v; want ann", u, err)
		}
		var stored int
		if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM api_keys WHERE secret_hash = '"+secret+"'").Scan(&stored); err != nil || stored != 0 {
			t.Errorf("the secret is stored in clear (%d, %v)", stored, err)
		}
		for _, c := range []struct{ name, secret string }{
			{"unknown", secret[:len(secret)-1] + "x"},
			{"no marker", "abc"},
			{"empty", ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := db.AuthenticateAPIKey(ctx, c.secret)
				wantCode(t, err, gradjudge.EUNAUTHORIZED)
			})
		}
		wantCode(t, db.RevokeAPIKey(ctx, bob.ID, key.ID), gradjudge.ENOTFOUND) // not bob's key
		if err := db.RevokeAPIKey(ctx, ann.ID, key.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeAPIKey(ctx, ann.ID, key.ID); err != nil {
			t.Fatalf("revoking twice: %v", err)
		}
		_, err = db.AuthenticateAPIKey(ctx, secret)
		wantCode(t, err, gradjudge.EUNAUTHORIZED)
		keys, err := db.APIKeys(ctx, ann.ID)
		if err != nil || len(keys) != 1 || keys[0].RevokedAt == nil {
			t.Errorf("APIKeys = %+v, %v; want one revoked key", keys, err)
		}
		_, _, err = db.CreateAPIKey(ctx, 9999, "nobody", 0)
		wantCode(t, err, gradjudge.ENOTFOUND)
	})
}

// TestAPIKeyExpiry: a key made with a lifetime works until its expiry and is refused from then on,
// with the revoked key's error; a key made without one never expires.
func TestAPIKeyExpiry(t *testing.T) {
	clock := new(testClock)
	advance := func(d time.Duration) { clock.ticks.Add(int64(d / time.Second)) }
	forEachDB(t, Config{Now: clock.Now}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		ann := mustUser(t, db, "ann@example.com", gradjudge.RoleStudent)
		forever, foreverSecret, err := db.CreateAPIKey(ctx, ann.ID, "forever", 0)
		if err != nil || forever.ExpiresAt != nil {
			t.Fatalf("CreateAPIKey(ttl 0) = %+v, %v; want no expiry", forever, err)
		}
		day, daySecret, err := db.CreateAPIKey(ctx, ann.ID, "one day", 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if day.ExpiresAt == nil || !day.ExpiresAt.Equal(day.CreatedAt.Add(24*time.Hour)) {
			t.Fatalf("ExpiresAt = %v, want CreatedAt %v + 24h", day.ExpiresAt, day.CreatedAt)
		}
		keys, err := db.APIKeys(ctx, ann.ID)
		if err != nil || len(keys) != 2 || keys[0].ExpiresAt != nil || keys[1].ExpiresAt == nil || !keys[1].ExpiresAt.Equal(*day.ExpiresAt) {
			t.Fatalf("APIKeys = %+v, %v; want the one-day key listed with its expiry", keys, err)
		}
		authenticates := func(secret string) error {
			t.Helper()
			u, err := db.AuthenticateAPIKey(ctx, secret)
			if err == nil && u.ID != ann.ID {
				t.Fatalf("AuthenticateAPIKey = %+v, want ann", u)
			}
			return err
		}
		advance(23 * time.Hour)
		if err := authenticates(daySecret); err != nil {
			t.Fatalf("before its expiry: %v", err)
		}
		advance(time.Hour)
		expired := authenticates(daySecret)
		wantCode(t, expired, gradjudge.EUNAUTHORIZED)
		if err := authenticates(foreverSecret); err != nil {
			t.Fatalf("the key without expiry: %v", err)
		}
		if err := db.RevokeAPIKey(ctx, ann.ID, forever.ID); err != nil {
			t.Fatal(err)
		}
		if revoked := authenticates(foreverSecret); gradjudge.ErrorMessage(revoked) != gradjudge.ErrorMessage(expired) {
			t.Errorf("expired: %q, revoked: %q; want the same answer", gradjudge.ErrorMessage(expired), gradjudge.ErrorMessage(revoked))
		}
		_, _, err = db.CreateAPIKey(ctx, ann.ID, "past", -time.Second)
		wantCode(t, err, gradjudge.EINVALID)
	})
}
