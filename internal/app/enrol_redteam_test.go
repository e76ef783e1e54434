package app

import (
	"testing"
	"time"

	"gradjudge"
)

// TestSetPasswordLinkTakesNoAccountOver: an instructor may hand out a fresh link only to a student
// whose account was made by a paste and never claimed. Pasting an admin's, another instructor's,
// a student's or an LMS user's address enrols them, but gives no way to choose their password.
func TestSetPasswordLinkTakesNoAccountOver(t *testing.T) {
	f := newFixture(t, func(d *Deps) { d.PasswordTokens = d.Users.(gradjudge.PasswordTokenService) })
	ctx := t.Context()
	other, err := f.db.CreateUser(ctx, gradjudge.User{Email: "otto@example.edu", Name: "Otto", Role: gradjudge.RoleInstructor}, "password-otto")
	if err != nil {
		t.Fatal(err)
	}
	lms, err := f.db.LTIUser(ctx, "https://lms.example", "sub-1", "Lee", "lee@example.edu")
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.app.EnrolPasted(ctx, f.visit(t, f.inst), f.admin.Email+"\n"+other.Email+"\ncara@example.edu\n"+lms.Email+"\n")
	if err != nil || len(got) != 4 || got[0].New || got[1].New || !got[2].New || got[3].New {
		t.Fatalf("enrolled %+v, %v", got, err)
	}
	unclaimed, err := f.app.Unclaimed(ctx, f.visit(t, f.inst), []gradjudge.Enrollment{
		{UserID: f.admin.ID, Role: gradjudge.CourseStudent}, {UserID: other.ID, Role: gradjudge.CourseStudent},
		{UserID: got[2].UserID, Role: gradjudge.CourseStudent}, {UserID: lms.ID, Role: gradjudge.CourseStudent}, {UserID: f.alice.ID, Role: gradjudge.CourseStudent}})
	if err != nil || len(unclaimed) != 1 || !unclaimed[got[2].UserID] {
		t.Errorf("unclaimed %v, %v; want only cara (%d)", unclaimed, err, got[2].UserID)
	}
	for _, u := range []gradjudge.User{f.admin, other, f.alice, lms} {
		secret, err := f.app.NewSetPasswordLink(ctx, f.visit(t, f.inst), u.ID)
		wantCode(t, "a link for "+u.Email, err, gradjudge.EFORBIDDEN)
		if secret != "" {
			if _, err := f.app.SetPasswordWithLink(ctx, secret, "taken over!", "10.0.0.9"); err == nil {
				t.Errorf("the instructor chose %s's password", u.Email)
			}
		}
	}
	if _, err := f.app.SignIn(ctx, f.admin.Email, "password-admin", "10.0.0.1"); err != nil {
		t.Errorf("the admin's own password: %v", err)
	}
	cara := got[2].UserID
	fresh, err := f.app.NewSetPasswordLink(ctx, f.visit(t, f.inst), cara)
	if err != nil {
		t.Fatalf("a new link for an unclaimed account: %v", err)
	}
	if _, err := f.app.SetPasswordWithLink(ctx, fresh, "cara's password", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	_, err = f.app.SetPasswordWithLink(ctx, got[2].Secret, "someone else", "10.0.0.1")
	wantCode(t, "the older link after the password was chosen", err, gradjudge.EUNAUTHORIZED)
	_, err = f.app.NewSetPasswordLink(ctx, f.visit(t, f.inst), cara)
	wantCode(t, "a link once the password is chosen", err, gradjudge.EFORBIDDEN)
	if unclaimed, err := f.app.Unclaimed(ctx, f.visit(t, f.inst), []gradjudge.Enrollment{{UserID: cara, Role: gradjudge.CourseStudent}}); err != nil || unclaimed[cara] {
		t.Errorf("cara still unclaimed after choosing her password: %v, %v", unclaimed, err)
	}
}

// TestSetPasswordLinkLifetime: a link works until SetPasswordLinkTTL after it was made and not
// after; a password set another way voids the links still out.
func TestSetPasswordLinkLifetime(t *testing.T) {
	f := newFixture(t, func(d *Deps) { d.PasswordTokens = d.Users.(gradjudge.PasswordTokenService) })
	ctx := t.Context()
	got, err := f.app.EnrolPasted(ctx, f.visit(t, f.inst), "dan@example.edu\nema@example.edu\nfay@example.edu\n")
	if err != nil || len(got) != 3 {
		t.Fatalf("enrolled %+v, %v", got, err)
	}
	f.clock.t = f.clock.t.Add(SetPasswordLinkTTL - time.Minute)
	if _, err := f.app.SetPasswordWithLink(ctx, got[0].Secret, "dan's password", "10.0.0.1"); err != nil {
		t.Errorf("a link a minute before it expires: %v", err)
	}
	if err := f.db.SetPassword(ctx, got[2].UserID, "fay chose this"); err != nil {
		t.Fatal(err)
	}
	_, err = f.app.SetPasswordWithLink(ctx, got[2].Secret, "someone else", "10.0.0.1")
	wantCode(t, "a link after the password was set another way", err, gradjudge.EUNAUTHORIZED)
	f.clock.t = f.clock.t.Add(2 * time.Minute)
	_, err = f.app.SetPasswordWithLink(ctx, got[1].Secret, "ema's password", "10.0.0.1")
	wantCode(t, "a link a minute after it expired", err, gradjudge.EUNAUTHORIZED)
	renewed, err := f.app.NewSetPasswordLink(ctx, f.visit(t, f.inst), got[1].UserID)
	if err != nil {
		t.Fatalf("a new link once the first expired: %v", err)
	}
	if _, err := f.app.SetPasswordWithLink(ctx, renewed, "ema's password", "10.0.0.1"); err != nil {
		t.Errorf("the renewed link: %v", err)
	}
}

// TestPastedAccountsHaveNoPassword: a pasted student's account is made without a password, so
// that a class pasted at once costs no password hashing (a thousand argon2id hashes kept a core
// busy for minutes), and nobody signs in to it until its link sets one.
func TestPastedAccountsHaveNoPassword(t *testing.T) {
	f := newFixture(t, func(d *Deps) { d.PasswordTokens = d.Users.(gradjudge.PasswordTokenService) })
	ctx := t.Context()
	got, err := f.app.EnrolPasted(ctx, f.visit(t, f.inst), "gus@example.edu\nhal@example.edu\n")
	if err != nil || len(got) != 2 || !got[0].New || got[0].Secret == "" {
		t.Fatalf("enrolled %+v, %v", got, err)
	}
	var hashed int
	if err := f.db.SQL().QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE email IN ('gus@example.edu', 'hal@example.edu') AND password_hash <> ''").Scan(&hashed); err != nil || hashed != 0 {
		t.Errorf("%d pasted accounts have a password hash (%v), want none", hashed, err)
	}
	for _, pw := range []string{"\x00 no password", "whatever password"} {
		_, err := f.app.SignIn(ctx, "gus@example.edu", pw, "10.0.0.1")
		wantCode(t, "sign in before the link is used", err, gradjudge.EUNAUTHORIZED)
	}
	if _, err := f.app.SetPasswordWithLink(ctx, got[0].Secret, "gus's password", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.SignIn(ctx, "gus@example.edu", "gus's password", "10.0.0.1"); err != nil {
		t.Errorf("sign in with the chosen password: %v", err)
	}
}
