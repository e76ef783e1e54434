package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/internal/ratelimit"
	"gradjudge/store"
	"gradjudge/store/storetest"
)

// testCatalog has one exercise of each kind.
type testCatalog struct{}

func (testCatalog) Exercises() []gradjudge.Exercise {
	return []gradjudge.Exercise{
		{ID: "num", Title: "Numbers", Kind: gradjudge.KindNumeric, Concepts: []string{"chain-rule"}},
		{ID: "pick", Title: "Pick", Kind: gradjudge.KindChoice, Concepts: []string{"chain-rule"}},
		{ID: "code", Title: "Code", Kind: gradjudge.KindCode, Concepts: []string{"code"}},
	}
}

func (testCatalog) Variant(id string, seed uint64) (gradjudge.Variant, error) {
	for _, e := range (testCatalog{}).Exercises() {
		if e.ID == id {
			return gradjudge.Variant{Exercise: e, Seed: seed}, nil
		}
	}
	return gradjudge.Variant{}, gradjudge.Errorf(gradjudge.ENOTFOUND, "no exercise %q", id)
}

func (testCatalog) Misconceptions() []gradjudge.Misconception {
	return []gradjudge.Misconception{{Tag: "chain-rule-add", Title: "Added", Concept: "chain-rule"}}
}

// clock is a clock tests move by hand.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

// fixture is an App over a fresh SQLite store with an instructor, two students, an outsider and a
// course the students take.
type fixture struct {
	app                          *App
	db                           *store.DB
	clock                        *clock
	inst, alice, bob, eve, admin gradjudge.User
	course                       gradjudge.Course
}

func newFixture(t *testing.T, change func(*Deps)) *fixture {
	t.Helper()
	return newFixtureStore(t, store.Config{}, change)
}

// newFixtureStore is newFixture over a store with cfg's database (PostgreSQL at DatabaseURL, or
// a new SQLite one), learner model and inline judge.
func newFixtureStore(t *testing.T, cfg store.Config, change func(*Deps)) *fixture {
	t.Helper()
	f := &fixture{clock: &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}}
	db, err := store.Open(t.Context(), store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: t.TempDir(), Now: f.clock.Now, Learner: cfg.Learner,
		InlineJudge: cfg.InlineJudge, Passwords: store.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.db = db
	d := Deps{Users: db, Courses: db, Submissions: db, Progress: db, Catalog: testCatalog{}, Now: f.clock.Now}
	if change != nil {
		change(&d)
	}
	if f.app, err = New(d); err != nil {
		t.Fatal(err)
	}
	mk := func(name string, role gradjudge.Role) gradjudge.User {
		u, err := db.CreateUser(t.Context(), gradjudge.User{Email: name + "@example.edu", Name: name, Role: role}, "password-"+name)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.inst, f.alice, f.bob, f.eve, f.admin = mk("inst", gradjudge.RoleInstructor), mk("alice", gradjudge.RoleStudent),
		mk("bob", gradjudge.RoleStudent), mk("eve", gradjudge.RoleStudent), mk("admin", gradjudge.RoleAdmin)
	if f.course, err = f.app.CreateCourse(t.Context(), f.inst, "Backprop", nil); err != nil {
		t.Fatal(err)
	}
	v := f.visit(t, f.inst)
	for _, u := range []gradjudge.User{f.alice, f.bob} {
		if _, err := f.app.Enroll(t.Context(), v, u.Email, gradjudge.CourseStudent); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// forEachDB runs test as a subtest with a store configuration for SQLite and, when
// storetest.PostgresEnv names a server, for a fresh PostgreSQL database (skipped, saying how to
// enable it, otherwise).
func forEachDB(t *testing.T, test func(t *testing.T, cfg store.Config)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { test(t, store.Config{}) })
	t.Run("postgres", func(t *testing.T) { test(t, store.Config{DatabaseURL: storetest.PostgresURL(t)}) })
}

func (f *fixture) visit(t *testing.T, u gradjudge.User) Visit {
	t.Helper()
	v, err := f.app.OpenCourse(t.Context(), u, f.course.ID)
	if err != nil {
		t.Fatalf("%s opens the course: %v", u.Name, err)
	}
	return v
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := gradjudge.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

// TestNoExistenceOracle: what is not there and what is not yours get the same answer, word for
// word, so that ids cannot be probed.
func TestNoExistenceOracle(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	_, notEnrolled := f.app.OpenCourse(ctx, f.eve, f.course.ID)
	_, missing := f.app.OpenCourse(ctx, f.eve, f.course.ID+1000)
	_, zero := f.app.OpenCourse(ctx, f.eve, 0)
	for name, err := range map[string]error{"not enrolled": notEnrolled, "missing": missing, "zero": zero} {
		wantCode(t, name, err, gradjudge.ENOTFOUND)
		if err.Error() != notEnrolled.Error() {
			t.Errorf("%s course: %q, not enrolled: %q; want the same", name, err, notEnrolled)
		}
	}
	s, err := f.app.Submit(ctx, f.visit(t, f.alice), SubmitRequest{ExerciseID: "pick", Answer: gradjudge.Answer{Choice: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	_, othersErr := f.app.Submission(ctx, f.bob, s.ID)
	_, missingErr := f.app.Submission(ctx, f.bob, s.ID+1000)
	wantCode(t, "another's submission", othersErr, gradjudge.ENOTFOUND)
	if othersErr == nil || missingErr == nil || othersErr.Error() != missingErr.Error() {
		t.Errorf("another's submission: %v; a missing one: %v; want the same", othersErr, missingErr)
	}
	if _, err := f.app.Submission(ctx, f.inst, s.ID); err != nil {
		t.Errorf("the course's instructor reads alice's submission: %v", err)
	}
	if _, err := f.app.Submission(ctx, f.admin, s.ID); err != nil {
		t.Errorf("an admin reads alice's submission: %v", err)
	}
}

// TestProgressScoping: a student reads their own progress only; the staff read a student's, and a
// user who is not a student of the course is not found.
func TestProgressScoping(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	if _, err := f.app.Progress(ctx, f.visit(t, f.alice), f.alice.ID); err != nil {
		t.Errorf("own progress: %v", err)
	}
	_, err := f.app.Progress(ctx, f.visit(t, f.alice), f.bob.ID)
	wantCode(t, "a student reads another's", err, gradjudge.EFORBIDDEN)
	_, err = f.app.Progress(ctx, f.visit(t, f.alice), 999999)
	wantCode(t, "a student names a missing user", err, gradjudge.EFORBIDDEN)
	if _, err := f.app.Progress(ctx, f.visit(t, f.inst), f.bob.ID); err != nil {
		t.Errorf("the instructor reads bob's: %v", err)
	}
	for name, id := range map[string]int64{"a missing user": 999999, "an outsider": f.eve.ID, "the instructor": f.inst.ID} {
		_, err := f.app.Progress(ctx, f.visit(t, f.inst), id)
		if name == "the instructor" {
			continue // their own: allowed, and empty
		}
		wantCode(t, "the staff name "+name, err, gradjudge.ENOTFOUND)
	}
}

// TestCheckAnswer: the exercise's kind alone decides which part an answer holds; sizes and texts
// are checked before anything is stored.
func TestCheckAnswer(t *testing.T) {
	fields := map[string]json.RawMessage{"dz": json.RawMessage(`"6"`)}
	for _, c := range []struct {
		name string
		kind gradjudge.ExerciseKind
		req  SubmitRequest
		code string // "" for ok
	}{
		{"numeric", gradjudge.KindNumeric, SubmitRequest{Answer: gradjudge.Answer{Fields: fields}}, ""},
		{"numeric with code", gradjudge.KindNumeric, SubmitRequest{Answer: gradjudge.Answer{Fields: fields, Code: "xx"}}, gradjudge.EINVALID},
		{"numeric with choice", gradjudge.KindNumeric, SubmitRequest{Answer: gradjudge.Answer{Fields: fields, Choice: "a"}}, gradjudge.EINVALID},
		{"numeric empty", gradjudge.KindNumeric, SubmitRequest{Answer: gradjudge.Answer{Fields: map[string]json.RawMessage{}}}, gradjudge.EINVALID},
		{"choice", gradjudge.KindChoice, SubmitRequest{Answer: gradjudge.Answer{Choice: "a"}}, ""},
		{"choice with fields", gradjudge.KindChoice, SubmitRequest{Answer: gradjudge.Answer{Choice: "a", Fields: fields}}, gradjudge.EINVALID},
		{"choice missing", gradjudge.KindChoice, SubmitRequest{Answer: gradjudge.Answer{Code: "xx"}}, gradjudge.EINVALID},
		{"code", gradjudge.KindCode, SubmitRequest{Answer: gradjudge.Answer{Code: "package x"}}, ""},
		{"code with choice", gradjudge.KindCode, SubmitRequest{Answer: gradjudge.Answer{Code: "package x", Choice: "a"}}, gradjudge.EINVALID},
		{"code too long", gradjudge.KindCode, SubmitRequest{Answer: gradjudge.Answer{Code: strings.Repeat("x", MaxCodeBytes+1)}}, gradjudge.ETOOLARGE},
		{"field too long", gradjudge.KindNumeric, SubmitRequest{Answer: gradjudge.Answer{Fields: map[string]json.RawMessage{"dz": json.RawMessage(`"` + strings.Repeat("1", MaxFieldBytes) + `"`)}}}, gradjudge.ETOOLARGE},
		{"invalid UTF-8 in a field", gradjudge.KindNumeric, SubmitRequest{Answer: gradjudge.Answer{Fields: map[string]json.RawMessage{"dz": json.RawMessage("\"\xff\xfe\"")}}}, gradjudge.EINVALID},
		{"invalid UTF-8 in a field name", gradjudge.KindNumeric, SubmitRequest{Answer: gradjudge.Answer{Fields: map[string]json.RawMessage{"d\xffz": json.RawMessage(`"6"`)}}}, gradjudge.EINVALID},
		{"NUL in code", gradjudge.KindCode, SubmitRequest{Answer: gradjudge.Answer{Code: "package x\x00"}}, gradjudge.EINVALID},
		{"invalid UTF-8 in the key", gradjudge.KindChoice, SubmitRequest{Answer: gradjudge.Answer{Choice: "a"}, IdempotencyKey: "k\xff"}, gradjudge.EINVALID},
		{"key too long", gradjudge.KindChoice, SubmitRequest{Answer: gradjudge.Answer{Choice: "a"}, IdempotencyKey: strings.Repeat("k", MaxIdempotencyKeyBytes+1)}, gradjudge.EINVALID},
	} {
		err := checkAnswer(c.kind, c.req)
		if gradjudge.ErrorCode(err) != c.code {
			t.Errorf("%s: checkAnswer = %v, want code %q", c.name, err, c.code)
		}
	}
}

// TestSubmitRefusesBadTextAndStoresNothing: an answer with invalid UTF-8 is refused with a message
// naming its field, and nothing is stored.
func TestSubmitRefusesBadTextAndStoresNothing(t *testing.T) {
	f := newFixture(t, nil)
	v := f.visit(t, f.alice)
	_, err := f.app.Submit(t.Context(), v, SubmitRequest{ExerciseID: "num",
		Answer: gradjudge.Answer{Fields: map[string]json.RawMessage{"dz": json.RawMessage("\"\xff\xfe\"")}}})
	wantCode(t, "invalid UTF-8", err, gradjudge.EINVALID)
	if msg := gradjudge.ErrorMessage(err); !strings.Contains(msg, `"dz"`) || !strings.Contains(msg, "UTF-8") {
		t.Errorf("message %q does not name the field and the problem", msg)
	}
	subs, err := f.app.Submissions(t.Context(), v, gradjudge.SubmissionFilter{})
	if err != nil || len(subs) != 0 {
		t.Errorf("stored %d submissions (%v), want none", len(subs), err)
	}
}

// TestSubmitRoutesByKind: the core, not the store, names the exercise's kind on the submission,
// which the store's queue routing reads.
func TestSubmitRoutesByKind(t *testing.T) {
	f := newFixture(t, nil)
	s, err := f.app.Submit(t.Context(), f.visit(t, f.alice), SubmitRequest{ExerciseID: "code", Answer: gradjudge.Answer{Code: "package x"}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind != gradjudge.KindCode || s.Status != gradjudge.SubmissionQueued {
		t.Errorf("submission kind %q status %q, want code and queued", s.Kind, s.Status)
	}
}

// TestSubmitRateLimit: past the burst a user is told when to come back; another user is not.
func TestSubmitRateLimit(t *testing.T) {
	f := newFixture(t, func(d *Deps) { d.SubmitBurst, d.SubmitPerMinute = 2, 60 })
	pick := SubmitRequest{ExerciseID: "pick", Answer: gradjudge.Answer{Choice: "a"}}
	for range 2 {
		if _, err := f.app.Submit(t.Context(), f.visit(t, f.alice), pick); err != nil {
			t.Fatal(err)
		}
	}
	_, err := f.app.Submit(t.Context(), f.visit(t, f.alice), pick)
	wantCode(t, "past the burst", err, gradjudge.ERATELIMIT)
	if got := RetryAfterSeconds(err); got != 1 {
		t.Errorf("Retry-After %d, want 1", got)
	}
	if _, err := f.app.Submit(t.Context(), f.visit(t, f.bob), pick); err != nil {
		t.Errorf("bob: %v", err)
	}
}

// TestSignInBusy: when every password-hashing slot is taken, a sign-in waits a bounded time and is
// then told to come back, without checking the password.
func TestSignInBusy(t *testing.T) {
	f := newFixture(t, nil)
	f.app.hashWait = time.Millisecond
	for range cap(f.app.hashSlots) {
		f.app.hashSlots <- struct{}{}
	}
	_, err := f.app.SignIn(t.Context(), "alice@example.edu", "password-alice", "192.0.2.1")
	wantCode(t, "busy", err, gradjudge.ERATELIMIT)
	if RetryAfterSeconds(err) != 1 {
		t.Errorf("Retry-After %d, want 1", RetryAfterSeconds(err))
	}
	<-f.app.hashSlots
	if _, err := f.app.SignIn(t.Context(), "alice@example.edu", "password-alice", "192.0.2.1"); err != nil {
		t.Errorf("with a free slot: %v", err)
	}
}

// TestSignInFloodCannotResetAnAccount: an attacker who has used up an account's sign-in attempts
// cannot win them back by filling the limiter with made-up emails from many clients.
func TestSignInFloodCannotResetAnAccount(t *testing.T) {
	f := newFixture(t, nil)
	f.app.signInsByEmail = ratelimit.NewSignInsByEmail[string](f.clock.Now, 4)
	for range ratelimit.SignInEmailBurst {
		_, err := f.app.SignIn(t.Context(), "alice@example.edu", "guess", "192.0.2.1")
		wantCode(t, "a wrong guess", err, gradjudge.EUNAUTHORIZED)
	}
	for i := range 100 {
		f.app.SignIn(t.Context(), fmt.Sprintf("nobody%d@example.edu", i), "x", fmt.Sprintf("198.51.100.%d", i))
	}
	_, err := f.app.SignIn(t.Context(), "ALICE@example.edu", "password-alice", "192.0.2.7")
	wantCode(t, "alice after the flood", err, gradjudge.ERATELIMIT)
}

// TestSignInNeverSaysWhich: a wrong password and an unknown email get the same answer.
func TestSignInNeverSaysWhich(t *testing.T) {
	f := newFixture(t, nil)
	_, wrong := f.app.SignIn(t.Context(), "alice@example.edu", "guess", "192.0.2.1")
	_, unknown := f.app.SignIn(t.Context(), "nobody@example.edu", "guess", "192.0.2.1")
	if wrong == nil || unknown == nil || wrong.Error() != unknown.Error() {
		t.Errorf("wrong password: %v; unknown email: %v; want the same", wrong, unknown)
	}
	_, err := f.app.SignIn(t.Context(), "ali\xffce@example.edu", "x", "192.0.2.1")
	wantCode(t, "invalid UTF-8 email", err, gradjudge.EINVALID)
}

func TestClientIP(t *testing.T) {
	f := newFixture(t, func(d *Deps) { d.TrustedProxies = []string{"10.0.0.0/8", "192.0.2.1"} })
	for _, tt := range []struct {
		name, peer string
		headers    []string
		want       string
	}{
		{"no proxy", "203.0.113.5:1234", nil, "203.0.113.5"},
		{"an untrusted peer's header is ignored", "203.0.113.5:1234", []string{"X-Forwarded-For", "198.51.100.1"}, "203.0.113.5"},
		{"a trusted proxy names the client", "192.0.2.1:1234", []string{"X-Forwarded-For", "198.51.100.1"}, "198.51.100.1"},
		{"the right-most untrusted hop", "10.1.2.3:1234", []string{"X-Forwarded-For", "6.6.6.6, 198.51.100.1, 10.0.0.9"}, "198.51.100.1"},
		{"X-Real-IP from a trusted proxy", "10.1.2.3:1234", []string{"X-Real-IP", "198.51.100.2"}, "198.51.100.2"},
		{"a malformed hop stops the walk", "10.1.2.3:1234", []string{"X-Forwarded-For", "198.51.100.1, junk"}, "10.1.2.3"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.peer
		for i := 0; i+1 < len(tt.headers); i += 2 {
			r.Header.Set(tt.headers[i], tt.headers[i+1])
		}
		if got := f.app.ClientIP(r); got != tt.want {
			t.Errorf("%s: ClientIP = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestStaffRules: course changes are for its instructors, reading the class for its staff.
func TestStaffRules(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	alice := f.visit(t, f.alice)
	_, err := f.app.Stats(ctx, alice)
	wantCode(t, "a student's dashboard", err, gradjudge.EFORBIDDEN)
	_, err = f.app.Gradebook(ctx, alice)
	wantCode(t, "a student's gradebook", err, gradjudge.EFORBIDDEN)
	_, err = f.app.Enroll(ctx, alice, f.eve.Email, gradjudge.CourseStudent)
	wantCode(t, "a student enrolls", err, gradjudge.EFORBIDDEN)
	_, err = f.app.SetCourseExercises(ctx, f.visit(t, f.inst), []string{"num", "nope"})
	wantCode(t, "an unknown exercise", err, gradjudge.EINVALID)
	_, err = f.app.CreateCourse(ctx, f.alice, "Mine", nil)
	wantCode(t, "a student creates a course", err, gradjudge.EFORBIDDEN)
	_, err = f.app.CreateCourse(ctx, f.inst, "bad\x00title", nil)
	wantCode(t, "a NUL in a title", err, gradjudge.EINVALID)
	_, err = f.app.CreateUser(ctx, f.admin, gradjudge.User{Email: "x@example.edu", Name: "N\x00", Role: gradjudge.RoleStudent}, "password-x")
	wantCode(t, "a NUL in a name", err, gradjudge.EINVALID)
	if g, err := f.app.Gradebook(ctx, f.visit(t, f.inst)); err != nil || len(g.Students) != 2 {
		t.Errorf("the instructor's gradebook: %d students, %v; want 2", len(g.Students), err)
	}
}

func TestHTTPStatusTable(t *testing.T) {
	for code, want := range map[string]int{gradjudge.EINVALID: 400, gradjudge.ENOTFOUND: 404, gradjudge.EUNAUTHORIZED: 401,
		gradjudge.EFORBIDDEN: 403, gradjudge.ECONFLICT: 409, gradjudge.ERATELIMIT: 429, gradjudge.ETOOLARGE: 413,
		gradjudge.EINTERNAL: 500, "something new": 500} {
		if got := HTTPStatus(code); got != want {
			t.Errorf("HTTPStatus(%q) = %d, want %d", code, got, want)
		}
	}
	if RetryAfterSeconds(errors.New("x")) != 0 {
		t.Error("Retry-After for a plain error")
	}
}
