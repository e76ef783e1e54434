package store

import (
	"testing"

	"gradjudge"
)

// TestNoPasswordNoSignIn: an account without a password (an LMS user, who signs in through the
// LMS only) cannot be signed in with any password, not even the one the timing dummy hashes.
func TestNoPasswordNoSignIn(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		u, err := db.LTIUser(ctx, "https://lms.example", "sub-1", "Lee", "lee@example.com")
		if err != nil {
			t.Fatal(err)
		}
		for _, pw := range []string{"\x00 no password", "", "correct horse"} {
			_, err := db.Authenticate(ctx, u.Email, pw)
			wantCode(t, err, gradjudge.EUNAUTHORIZED)
		}
	})
}
