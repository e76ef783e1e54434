package store

import (
	"testing"
	"time"

	"gradjudge"
)

func TestPasswordTokens(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		u := mustUser(t, db, "new@example.com", gradjudge.RoleStudent)
		secret, err := db.CreatePasswordToken(ctx, u.ID, time.Hour)
		if err != nil || len(secret) < 40 {
			t.Fatalf("CreatePasswordToken = %q, %v", secret, err)
		}
		var stored string
		if err := db.SQL().QueryRowContext(ctx, "SELECT token_hash FROM set_password_tokens").Scan(&stored); err != nil || stored == secret {
			t.Fatalf("stored %q, %v: want a hash, not the secret", stored, err)
		}
		_, err = db.UsePasswordToken(ctx, secret, "short")
		wantCode(t, err, gradjudge.EINVALID)
		got, err := db.UsePasswordToken(ctx, secret, "a new password")
		if err != nil || got.ID != u.ID {
			t.Fatalf("UsePasswordToken = %+v, %v", got, err)
		}
		if _, err := db.Authenticate(ctx, u.Email, "a new password"); err != nil {
			t.Errorf("the new password does not work: %v", err)
		}
		_, err = db.UsePasswordToken(ctx, secret, "another password")
		wantCode(t, err, gradjudge.EUNAUTHORIZED) // single use
		_, err = db.UsePasswordToken(ctx, "no-such-token", "another password")
		wantCode(t, err, gradjudge.EUNAUTHORIZED)
		_, err = db.CreatePasswordToken(ctx, 9999, time.Hour)
		wantCode(t, err, gradjudge.ENOTFOUND)
		_, err = db.CreatePasswordToken(ctx, u.ID, 0)
		wantCode(t, err, gradjudge.EINVALID)
	})
}

func TestPasswordTokenExpires(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		u := mustUser(t, db, "late@example.com", gradjudge.RoleStudent)
		// The test clock moves a second per reading: a two-second token is over by its use.
		secret, err := db.CreatePasswordToken(t.Context(), u.ID, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		db.now()
		_, err = db.UsePasswordToken(t.Context(), secret, "a new password")
		wantCode(t, err, gradjudge.EUNAUTHORIZED)
	})
}

// TestRenewPasswordToken: a link is renewed only for an account made with one and never claimed;
// choosing a password, with a link or without, spends every link still out.
func TestRenewPasswordToken(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		chosen := mustUser(t, db, "chosen@example.com", gradjudge.RoleAdmin)
		_, err := db.RenewPasswordToken(ctx, chosen.ID, time.Hour)
		wantCode(t, err, gradjudge.EFORBIDDEN)
		_, err = db.RenewPasswordToken(ctx, 9999, time.Hour)
		wantCode(t, err, gradjudge.ENOTFOUND)
		invited := mustUser(t, db, "invited@example.com", gradjudge.RoleStudent)
		first, err := db.CreatePasswordToken(ctx, invited.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		second, err := db.RenewPasswordToken(ctx, invited.ID, time.Hour)
		if err != nil {
			t.Fatalf("renew an unclaimed account's link: %v", err)
		}
		if _, err := db.UsePasswordToken(ctx, second, "a new password"); err != nil {
			t.Fatal(err)
		}
		_, err = db.UsePasswordToken(ctx, first, "another password")
		wantCode(t, err, gradjudge.EUNAUTHORIZED)
		_, err = db.RenewPasswordToken(ctx, invited.ID, time.Hour)
		wantCode(t, err, gradjudge.EFORBIDDEN)

		other := mustUser(t, db, "other@example.com", gradjudge.RoleStudent)
		link, err := db.CreatePasswordToken(ctx, other.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetPassword(ctx, other.ID, "set by an admin"); err != nil {
			t.Fatal(err)
		}
		_, err = db.UsePasswordToken(ctx, link, "another password")
		wantCode(t, err, gradjudge.EUNAUTHORIZED)
	})
}

// TestInvite: an invited account has no password and one link; an email with an account already,
// or no email at all, is refused and leaves nothing behind.
func TestInvite(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		u, secret, err := db.Invite(ctx, gradjudge.User{Email: " New@Example.com ", Name: " Nia ", Role: gradjudge.RoleStudent}, time.Hour)
		if err != nil || u.Email != "new@example.com" || u.Name != "Nia" || secret == "" {
			t.Fatalf("Invite = %+v, %q, %v", u, secret, err)
		}
		_, err = db.Authenticate(ctx, u.Email, "\x00 no password")
		wantCode(t, err, gradjudge.EUNAUTHORIZED)
		_, _, err = db.Invite(ctx, gradjudge.User{Email: "new@example.com", Role: gradjudge.RoleStudent}, time.Hour)
		wantCode(t, err, gradjudge.ECONFLICT)
		_, _, err = db.Invite(ctx, gradjudge.User{Email: "not an email", Role: gradjudge.RoleStudent}, time.Hour)
		wantCode(t, err, gradjudge.EINVALID)
		if _, err := db.UsePasswordToken(ctx, secret, "nia's password"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, u.Email, "nia's password"); err != nil {
			t.Errorf("sign in once the link is used: %v", err)
		}
	})
}
