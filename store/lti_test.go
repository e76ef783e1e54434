package store

import (
	"testing"
	"time"

	"gradjudge"
)

func ltiPlatform(issuer, client string) gradjudge.LTIPlatform {
	return gradjudge.LTIPlatform{Issuer: issuer, ClientID: client, AuthLoginURL: issuer + "/auth", TokenURL: issuer + "/token",
		JWKSURL: issuer + "/jwks", DeploymentIDs: []string{"d1"}}
}

// TestLTIPlatforms: a registration is keyed on (issuer, client_id), validated, listed with its
// deployments and removed with them.
func TestLTIPlatforms(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		a, err := db.CreateLTIPlatform(ctx, ltiPlatform("https://canvas.instructure.com", "1"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateLTIPlatform(ctx, ltiPlatform("https://canvas.instructure.com", "2")); err != nil {
			t.Errorf("a second client of the same issuer: %v", err)
		}
		_, err = db.CreateLTIPlatform(ctx, ltiPlatform("https://canvas.instructure.com", "1"))
		wantCode(t, err, gradjudge.ECONFLICT)
		bad := ltiPlatform("https://x.example", "3")
		bad.JWKSURL = "ftp://x"
		_, err = db.CreateLTIPlatform(ctx, bad)
		wantCode(t, err, gradjudge.EINVALID)
		if err := db.AddLTIDeployments(ctx, a.ID, []string{"d2", "d1"}); err != nil {
			t.Fatal(err)
		}
		got, err := db.LTIPlatform(ctx, "https://canvas.instructure.com", "1")
		if err != nil || len(got.DeploymentIDs) != 2 || got.Audience() != got.TokenURL {
			t.Errorf("platform %+v, %v", got, err)
		}
		if ps, _ := db.LTIPlatformsByIssuer(ctx, "https://canvas.instructure.com"); len(ps) != 2 {
			t.Errorf("by issuer: %d, want 2", len(ps))
		}
		if err := db.RemoveLTIPlatform(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.RemoveLTIPlatform(ctx, a.ID), gradjudge.ENOTFOUND)
	})
}

// TestLTIKeys: the first key is added once even when two processes try; rotation retires the
// active key, which is listed until the retention passes.
func TestLTIKeys(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		if ok, err := db.AddLTIKey(ctx, gradjudge.LTIKey{KID: "a", PrivatePEM: []byte("pem-a")}, false); !ok || err != nil {
			t.Fatalf("first key: %v %v", ok, err)
		}
		if ok, err := db.AddLTIKey(ctx, gradjudge.LTIKey{KID: "b", PrivatePEM: []byte("pem-b")}, false); ok || err != nil {
			t.Errorf("a second first key: %v %v, want refused quietly", ok, err)
		}
		if ok, err := db.AddLTIKey(ctx, gradjudge.LTIKey{KID: "c", PrivatePEM: []byte("pem-c")}, true); !ok || err != nil {
			t.Fatalf("rotate: %v %v", ok, err)
		}
		keys, err := db.LTIKeys(ctx, time.Time{})
		if err != nil || len(keys) != 2 || keys[0].KID != "c" || keys[0].RetiredAt != nil || keys[1].RetiredAt == nil {
			t.Errorf("keys %+v, %v; want c active then a retired", keys, err)
		}
		if keys, _ := db.LTIKeys(ctx, keys[1].RetiredAt.Add(time.Second)); len(keys) != 1 {
			t.Errorf("after the retention: %d keys, want 1", len(keys))
		}
	})
}

// TestLTIUsersAndCourses: (issuer, sub) is one user, created then updated; an LMS cannot take a
// local account's email; an LMS user has no password; a context is one course, made once.
func TestLTIUsersAndCourses(t *testing.T) {
	forEachDB(t, Config{Passwords: fastArgon2}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		local := mustUser(t, db, "ann@example.com", gradjudge.RoleInstructor)
		u, err := db.LTIUser(ctx, "https://lms", "s1", "Ann", "ann@example.com")
		if err != nil || u.ID == local.ID || u.Email == "ann@example.com" {
			t.Fatalf("LMS user %+v, %v: must not take the local account or its email", u, err)
		}
		again, err := db.LTIUser(ctx, "https://lms", "s1", "Ann B", "annb@example.com")
		if err != nil || again.ID != u.ID || again.Name != "Ann B" || again.Email != "annb@example.com" {
			t.Errorf("relaunch: %+v, %v", again, err)
		}
		other, _ := db.LTIUser(ctx, "https://other-lms", "s1", "", "")
		if other.ID == u.ID {
			t.Error("the same sub at another issuer is the same user")
		}
		if _, err := db.Authenticate(ctx, again.Email, ""); gradjudge.ErrorCode(err) != gradjudge.EUNAUTHORIZED {
			t.Errorf("an LMS user signed in with a password: %v", err)
		}
		if sub, err := db.LTIUserSub(ctx, "https://lms", u.ID); sub != "s1" || err != nil {
			t.Errorf("sub %q %v", sub, err)
		}
		p, _ := db.CreateLTIPlatform(ctx, ltiPlatform("https://lms", "c"))
		lc := gradjudge.LTIContext{PlatformID: p.ID, ContextID: "ctx", MembershipsURL: "https://lms/m"}
		c1, err := db.LTICourse(ctx, lc, "DL 101", u.ID)
		if err != nil {
			t.Fatal(err)
		}
		c2, _ := db.LTICourse(ctx, lc, "renamed", other.ID)
		if c2.ID != c1.ID || c1.Title != "DL 101" {
			t.Errorf("courses %+v and %+v, want one", c1, c2)
		}
		if role, _ := db.CourseRole(ctx, c1.ID, u.ID); role != "" {
			t.Errorf("the creator was enrolled as %q by LTICourse", role)
		}
		if err := db.LTIEnroll(ctx, c1.ID, u.ID, gradjudge.CourseInstructor); err != nil {
			t.Fatal(err)
		}
		if err := db.LTIEnroll(ctx, c1.ID, u.ID, gradjudge.CourseStudent); err != nil {
			t.Errorf("the LMS demoting its only instructor: %v", err)
		}
		if cs, _ := db.LTIContexts(ctx); len(cs) != 1 || cs[0].CourseID != c1.ID {
			t.Errorf("contexts %+v", cs)
		}
	})
}

// TestOnce: a value is taken once, and not after it expires.
func TestOnce(t *testing.T) {
	clock := new(testClock)
	forEachDB(t, Config{Now: clock.Now}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		now := clock.Now()
		if err := db.PutOnce(ctx, "state", "v1", "p1", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if p, err := db.TakeOnce(ctx, "state", "v1"); p != "p1" || err != nil {
			t.Errorf("take: %q %v", p, err)
		}
		_, err := db.TakeOnce(ctx, "state", "v1")
		wantCode(t, err, gradjudge.ENOTFOUND)
		db.PutOnce(ctx, "state", "v2", "p2", now.Add(2*time.Second))
		clock.Now()
		clock.Now()
		_, err = db.TakeOnce(ctx, "state", "v2")
		wantCode(t, err, gradjudge.ENOTFOUND)
		_, err = db.TakeOnce(ctx, "ticket", "v1")
		wantCode(t, err, gradjudge.ENOTFOUND)
	})
}

// TestLTIOutbox: a verdict queues a score, in its transaction, only for a student who came from
// the platform of a link with a line item for the exercise; the grade is the best so far; a newer
// score supersedes a pending one with a later timestamp; leases keep a score from two workers;
// outcomes are recorded.
func TestLTIOutbox(t *testing.T) {
	forEachDB(t, Config{InlineJudge: newFakeJudge(), Passwords: fastArgon2}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		p, _ := db.CreateLTIPlatform(ctx, ltiPlatform("https://lms", "c"))
		ann, _ := db.LTIUser(ctx, "https://lms", "sub-ann", "Ann", "")
		course, _ := db.LTICourse(ctx, gradjudge.LTIContext{PlatformID: p.ID, ContextID: "ctx"}, "DL", ann.ID)
		db.LTIEnroll(ctx, course.ID, ann.ID, gradjudge.CourseStudent)
		local := mustUser(t, db, "bob@example.com", gradjudge.RoleStudent)
		db.LTIEnroll(ctx, course.ID, local.ID, gradjudge.CourseStudent)
		if err := db.SaveLTIResourceLink(ctx, gradjudge.LTIResourceLink{PlatformID: p.ID, ResourceLinkID: "rl", CourseID: course.ID,
			ExerciseID: "e1", LineItemURL: "https://lms/li/1"}); err != nil {
			t.Fatal(err)
		}
		mustSubmit(t, db, ann.ID, course.ID, "e2", numeric("1"))   // no link for e2
		mustSubmit(t, db, local.ID, course.ID, "e1", numeric("1")) // not from the LMS
		mustSubmit(t, db, ann.ID, course.ID, "e1", numeric("?"))   // invalid: no attempt
		if s, _ := db.LTIScores(ctx, course.ID); len(s) != 0 {
			t.Fatalf("queued %+v, want nothing yet", s)
		}
		mustSubmit(t, db, ann.ID, course.ID, "e1", numeric("1"))
		mustSubmit(t, db, ann.ID, course.ID, "e1", numeric("0.5"))
		scores, _ := db.LTIScores(ctx, course.ID)
		if len(scores) != 2 || scores[0].ScoreGiven != 100 || scores[0].UserSub != "sub-ann" ||
			scores[1].State != gradjudge.LTIScoreSuperseded || !scores[0].Timestamp.After(scores[1].Timestamp) {
			t.Fatalf("outbox %+v; want the best (100) pending, the older superseded, timestamps increasing", scores)
		}
		a, _ := db.ClaimLTIScores(ctx, 10, time.Minute)
		b, _ := db.ClaimLTIScores(ctx, 10, time.Minute)
		if len(a) != 1 || len(b) != 0 {
			t.Fatalf("claimed %d then %d, want 1 then 0", len(a), len(b))
		}
		if err := db.FinishLTIScore(ctx, a[0].ID, gradjudge.LTIScorePending, "503", time.Time{}); err != nil {
			t.Fatal(err)
		}
		if again, _ := db.ClaimLTIScores(ctx, 10, time.Minute); len(again) != 1 {
			t.Fatalf("a retried score was not claimable")
		}
		db.FinishLTIScore(ctx, a[0].ID, gradjudge.LTIScoreSent, "", time.Time{})
		scores, _ = db.LTIScores(ctx, course.ID)
		if scores[0].State != gradjudge.LTIScoreSent || scores[0].Attempts != 2 || scores[0].SentAt == nil {
			t.Errorf("finished %+v", scores[0])
		}
		wantCode(t, db.FinishLTIScore(ctx, a[0].ID, gradjudge.LTIScoreSuperseded, "", time.Time{}), gradjudge.EINVALID)
		_, err := db.ResendLTIScore(ctx, course.ID+1, a[0].ID)
		wantCode(t, err, gradjudge.ENOTFOUND)
	})
}
