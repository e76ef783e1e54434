package api

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/exercises"
	"gradjudge/internal/app"
	"gradjudge/internal/mastery"
	"gradjudge/judge"
	"gradjudge/judge/code"
	"gradjudge/store"
)

// Exercises the contract tests answer: one numeric (judged inline, so its answer is done at once)
// and one code exercise (queued: the fixture starts no worker, so its answer stays queued).
const (
	numericExercise = "chain-rule-multiply"
	codeExercise    = "code-relu-backward"
)

// contractMetricsToken is the --metrics-token of the contract fixture's server.
const contractMetricsToken = "contract-metrics-token"

// contractFixture is a real Server over a real SQLite store and the real exercise catalog, served
// by httptest: the server the contract tests drive. Its users are admin, inst (the instructor of
// course), ta, alice, bob and carol (students of course), and dave (a student in no course).
type contractFixture struct {
	srv    *Server
	http   *httptest.Server
	db     *store.DB
	cat    *exercises.Catalog
	course int64            // the course everyone but dave is enrolled in
	ids    map[string]int64 // user ids by name
	tok    map[string]string
	// apiKey is a secret of alice's; apiKeyID the id of another key of hers, to revoke.
	apiKey   string
	apiKeyID int64
}

// contractPassword is the password of the fixture's user name.
func contractPassword(name string) string { return "password-of-" + name }

// newContractFixture starts the server; submitBurst is how many submissions a user may make at
// once before a 429.
func newContractFixture(t *testing.T, submitBurst int) *contractFixture {
	t.Helper()
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	db, cat := openContractStore(t, now)
	tokens, err := NewTokens(TokenConfig{Secret: testSecret, Issuer: "gradjudge", Audience: "gradjudge-api", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	f := &contractFixture{db: db, cat: cat, ids: map[string]int64{}, tok: map[string]string{}}
	f.srv = newContractServer(t, db, cat, tokens, now, submitBurst)
	f.http = httptest.NewServer(f.srv.Handler())
	t.Cleanup(f.http.Close)
	f.addUsers(t, ctx, tokens)
	course, err := db.CreateCourse(ctx, gradjudge.Course{Title: "Backprop", CreatedBy: f.ids["inst"],
		ExerciseIDs: []string{numericExercise, codeExercise}})
	if err != nil {
		t.Fatal(err)
	}
	f.course = course.ID
	for name, role := range map[string]gradjudge.CourseRole{"ta": gradjudge.CourseTA,
		"alice": gradjudge.CourseStudent, "bob": gradjudge.CourseStudent, "carol": gradjudge.CourseStudent} {
		if _, err := db.Enroll(ctx, course.ID, name+"@example.edu", role); err != nil {
			t.Fatal(err)
		}
	}
	if _, f.apiKey, err = db.CreateAPIKey(ctx, f.ids["alice"], "sync", 0); err != nil {
		t.Fatal(err)
	}
	key, _, err := db.CreateAPIKey(ctx, f.ids["alice"], "old", 0)
	if err != nil {
		t.Fatal(err)
	}
	f.apiKeyID = key.ID
	return f
}

// variantSeed is the seed of user's variant of the numeric exercise, in decimal as the API gives it.
func (f *contractFixture) variantSeed(user string) string {
	return strconv.FormatUint(gradjudge.VariantSeed(f.course, f.ids[user], numericExercise), 10)
}

// seeded is numericAnswer sent with seed, the variant it says it was worked on.
func (f *contractFixture) seeded(t *testing.T, user, seed string) map[string]any {
	a := f.numericAnswer(t, user)
	a["seed"] = seed
	return a
}

// numericAnswer is an answer of user's to the numeric exercise: 1 for every asked quantity,
// judged like any other (most likely wrong).
func (f *contractFixture) numericAnswer(t *testing.T, user string) map[string]any {
	t.Helper()
	v, err := f.cat.Variant(numericExercise, gradjudge.VariantSeed(f.course, f.ids[user], numericExercise))
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]any{}
	for _, q := range v.Quantities {
		fields[q.ID] = "1"
	}
	return map[string]any{"fields": fields}
}

// newContractServer is the API over a core over db, as cmd wires them, with a metrics token and
// a per-user burst of submitBurst submissions.
func newContractServer(t *testing.T, db *store.DB, cat *exercises.Catalog, tokens *Tokens, now func() time.Time, submitBurst int) *Server {
	t.Helper()
	core, err := app.New(app.Deps{Users: db, Courses: db, Submissions: db, Progress: db, Catalog: cat, Now: now,
		Learners: db, Mastery: newContractLearner(t, cat), Hints: db,
		Policies: db, Regrades: db, ExerciseVersion: func(id string) (string, error) {
			e, err := cat.Lookup(id)
			if err != nil {
				return "", err
			}
			return judge.ExerciseVersion(e), nil
		},
		SubmitPerMinute: 60, SubmitBurst: submitBurst, MaxWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Deps{App: core, Tokens: tokens, Now: now, Ready: db.Ping, MetricsToken: contractMetricsToken})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// newContractLearner is the learner model over cat, as cmd wires it.
func newContractLearner(t *testing.T, cat *exercises.Catalog) *mastery.Model {
	t.Helper()
	j, err := judge.New(cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mastery.New(mastery.Config{Catalog: cat, Variants: code.Variants{Catalog: cat, Judge: j}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// openContractStore opens and migrates a SQLite store in a temporary directory, with the real
// catalog and an inline judge for numeric answers; the test closes it.
func openContractStore(t *testing.T, now func() time.Time) (*store.DB, *exercises.Catalog) {
	t.Helper()
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	j, err := judge.New(cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), store.Config{DataDir: t.TempDir(), InlineJudge: j, Learner: newContractLearner(t, cat),
		Now: now, Passwords: store.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db, cat
}

func (f *contractFixture) addUsers(t *testing.T, ctx context.Context, tokens *Tokens) {
	t.Helper()
	roles := map[string]gradjudge.Role{"admin": gradjudge.RoleAdmin, "inst": gradjudge.RoleInstructor,
		"ta": gradjudge.RoleStudent, "alice": gradjudge.RoleStudent, "bob": gradjudge.RoleStudent,
		"carol": gradjudge.RoleStudent, "dave": gradjudge.RoleStudent}
	for name, role := range roles {
		u, err := f.db.CreateUser(ctx, gradjudge.User{Email: name + "@example.edu", Name: name, Role: role}, contractPassword(name))
		if err != nil {
			t.Fatal(err)
		}
		f.ids[name] = u.ID
		if f.tok[name], _, err = tokens.Issue(strconv.FormatInt(u.ID, 10)); err != nil {
			t.Fatal(err)
		}
	}
}

// newBrokenServer is a real Server whose database is closed: readiness fails and every request
// that reads the database is an internal error.
func newBrokenServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	db, cat := openContractStore(t, now)
	tokens, err := NewTokens(TokenConfig{Secret: testSecret, Issuer: "gradjudge", Audience: "gradjudge-api", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	srv := newContractServer(t, db, cat, tokens, now, 1)
	tok, _, err := tokens.Issue("1")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	h := httptest.NewServer(srv.Handler())
	t.Cleanup(h.Close)
	return h, tok
}
