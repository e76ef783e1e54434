package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/store/storetest"
)

// fastArgon2 keeps password hashing cheap in tests.
var fastArgon2 = Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}

// testClock is a clock that moves one second per reading, from a fixed start.
type testClock struct{ ticks atomic.Int64 }

func (c *testClock) Now() time.Time {
	return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(c.ticks.Add(1)) * time.Second)
}

// forEachDB runs test as a subtest on a fresh, migrated SQLite database and, when
// storetest.PostgresEnv is set, on a fresh PostgreSQL database.
func forEachDB(t *testing.T, cfg Config, test func(t *testing.T, db *DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { test(t, openTestDB(t, withSQLite(t, cfg))) })
	t.Run("postgres", func(t *testing.T) { test(t, openTestDB(t, withPostgres(t, cfg))) })
}

func withSQLite(t *testing.T, cfg Config) Config {
	cfg.DataDir = t.TempDir()
	return cfg
}

// withPostgres points cfg at a new database on the test server, dropped when t ends; it skips
// t when no server is configured.
func withPostgres(t testing.TB, cfg Config) Config {
	t.Helper()
	cfg.DatabaseURL = storetest.PostgresURL(t)
	return cfg
}

// openTestDB opens and migrates the database of cfg, closed when t ends.
func openTestDB(t *testing.T, cfg Config) *DB {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = new(testClock).Now
	}
	if cfg.Passwords == (Argon2Params{}) {
		cfg.Passwords = fastArgon2
	}
	db, err := Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return db
}

// fixture is a course with an instructor and two students.
type fixture struct {
	course            gradjudge.Course
	teacher, ann, bob gradjudge.User
}

func newFixture(t *testing.T, db *DB) fixture {
	t.Helper()
	ctx := t.Context()
	var f fixture
	f.teacher = mustUser(t, db, "teacher@example.com", gradjudge.RoleInstructor)
	f.ann = mustUser(t, db, "ann@example.com", gradjudge.RoleStudent)
	f.bob = mustUser(t, db, "bob@example.com", gradjudge.RoleStudent)
	var err error
	f.course, err = db.CreateCourse(ctx, gradjudge.Course{Title: "Backprop", CreatedBy: f.teacher.ID, ExerciseIDs: []string{"e1", "e2"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []gradjudge.User{f.ann, f.bob} {
		if _, err := db.Enroll(ctx, f.course.ID, u.Email, gradjudge.CourseStudent); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func mustUser(t *testing.T, db *DB, email string, role gradjudge.Role) gradjudge.User {
	t.Helper()
	u, err := db.CreateUser(t.Context(), gradjudge.User{Email: email, Name: email, Role: role}, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// numeric is a numeric answer with one field x.
func numeric(x string) gradjudge.Answer {
	return gradjudge.Answer{Fields: map[string]json.RawMessage{"x": json.RawMessage(`"` + x + `"`)}}
}

func mustSubmit(t *testing.T, db *DB, userID, courseID int64, exercise string, a gradjudge.Answer) gradjudge.Submission {
	t.Helper()
	s, _, err := db.CreateSubmission(t.Context(), gradjudge.Submission{UserID: userID, CourseID: courseID, ExerciseID: exercise, Kind: testKind(exercise), Seed: 7, Answer: a})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fakeJudge grades numeric answers by field x: "1" is accepted, "0.5" partial, "2" wrong with the
// tag chain-rule-add, "3" wrong with tags chain-rule-add and relu-gate-ignored, "?" invalid;
// "err" makes Grade fail and "block" makes it wait for release (or its context).
type fakeJudge struct {
	mu      sync.Mutex
	calls   map[string]int // per answer x
	total   atomic.Int64
	started chan string   // receives x when a blocking grade starts, if set
	release chan struct{} // closed to let blocking grades finish
}

func newFakeJudge() *fakeJudge {
	return &fakeJudge{calls: map[string]int{}, started: make(chan string, 100), release: make(chan struct{})}
}

func (j *fakeJudge) Grade(ctx context.Context, exerciseID string, seed uint64, a gradjudge.Answer) (gradjudge.Verdict, error) {
	j.total.Add(1)
	var x string
	if err := json.Unmarshal(a.Fields["x"], &x); err != nil {
		return gradjudge.Verdict{}, fmt.Errorf("fake judge: %w", err)
	}
	j.mu.Lock()
	j.calls[x]++
	j.mu.Unlock()
	switch x {
	case "1":
		return gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}, nil
	case "0.5":
		return gradjudge.Verdict{Status: gradjudge.StatusPartial, Score: 0.5}, nil
	case "2":
		return gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Misconceptions: []string{"chain-rule-add"}}, nil
	case "3":
		return gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Misconceptions: []string{"chain-rule-add", "relu-gate-ignored", "chain-rule-add"}}, nil
	case "?":
		return gradjudge.Verdict{Status: gradjudge.StatusInvalid}, nil
	case "err":
		return gradjudge.Verdict{}, errors.New("fake judge: broken")
	case "panic":
		panic("fake judge: panic")
	case "block":
		j.started <- x
		select {
		case <-j.release:
			return gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}, nil
		case <-ctx.Done():
			return gradjudge.Verdict{}, ctx.Err()
		}
	}
	return gradjudge.Verdict{}, fmt.Errorf("fake judge: no rule for %q", x)
}

// fakeCatalog has exercises e1 (chain-rule), e2 (chain-rule, relu) and two misconceptions.
type fakeCatalog struct{}

func (fakeCatalog) Exercises() []gradjudge.Exercise {
	return []gradjudge.Exercise{
		{ID: "e1", Title: "One", Kind: gradjudge.KindNumeric, Concepts: []string{"chain-rule"}},
		{ID: "e2", Title: "Two", Kind: gradjudge.KindNumeric, Concepts: []string{"chain-rule", "relu"}},
		{ID: "e3", Title: "Three", Kind: gradjudge.KindCode, Concepts: []string{"code"}},
	}
}

func (fakeCatalog) Variant(id string, seed uint64) (gradjudge.Variant, error) {
	return gradjudge.Variant{}, gradjudge.Errorf(gradjudge.ENOTFOUND, "no variants in the fake")
}

func (fakeCatalog) Misconceptions() []gradjudge.Misconception {
	return []gradjudge.Misconception{
		{Tag: "chain-rule-add", Concept: "chain-rule"},
		{Tag: "relu-gate-ignored", Concept: "relu"},
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := gradjudge.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

// callsFor is how often the judge was called for answer x.
func (j *fakeJudge) callsFor(x string) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.calls[x]
}

// testWorkers starts workers with j, fast polling and no retry delay, stopped when t ends.
func testWorkers(t *testing.T, db *DB, j gradjudge.Judge, reclaim bool) *Workers {
	t.Helper()
	w, err := db.StartWorkers(t.Context(), WorkerConfig{
		Judge: j, ReclaimOnStart: reclaim, FetchPollInterval: 20 * time.Millisecond,
		RetryDelay: func(int) time.Duration { return time.Millisecond },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Stop(context.Background()) })
	return w
}

// waitDone waits, bounded, until submission id is judged.
func waitDone(t *testing.T, db *DB, id int64) gradjudge.Submission {
	t.Helper()
	s, err := db.WaitSubmission(t.Context(), id, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != gradjudge.SubmissionDone {
		t.Fatalf("submission %d still %s after 30 s", id, s.Status)
	}
	return s
}

// testKind is the kind of a fakeCatalog exercise, as the application core sets Submission.Kind;
// "" for one the catalog does not list.
func testKind(exerciseID string) gradjudge.ExerciseKind {
	for _, e := range (fakeCatalog{}).Exercises() {
		if e.ID == exerciseID {
			return e.Kind
		}
	}
	return ""
}

// The roll-ups as the application core computes them, over this store's records and fakeCatalog:
// what the store's tests check the records with.

func (db *DB) testOutline(ctx context.Context, courseID int64) (gradjudge.CourseOutline, error) {
	c, err := db.Course(ctx, courseID)
	if err != nil {
		return gradjudge.CourseOutline{}, err
	}
	var exs []gradjudge.Exercise
	for _, e := range (fakeCatalog{}).Exercises() {
		if len(c.ExerciseIDs) == 0 || slices.Contains(c.ExerciseIDs, e.ID) {
			exs = append(exs, e)
		}
	}
	return gradjudge.NewCourseOutline(exs, (fakeCatalog{}).Misconceptions()), nil
}

func (db *DB) testProgress(ctx context.Context, courseID, userID int64) (gradjudge.Progress, error) {
	o, err := db.testOutline(ctx, courseID)
	if err != nil {
		return gradjudge.Progress{}, err
	}
	recs, err := db.ProgressRecords(ctx, courseID, []int64{userID})
	return gradjudge.RollUpProgress(o, courseID, userID, recs), err
}

// testStudents are the ids of the course's students.
func (db *DB) testStudents(ctx context.Context, courseID int64) ([]int64, error) {
	es, err := db.Enrollments(ctx, courseID)
	var ids []int64
	for _, e := range es {
		if e.Role == gradjudge.CourseStudent {
			ids = append(ids, e.UserID)
		}
	}
	return ids, err
}

func (db *DB) testCourseProgress(ctx context.Context, courseID int64) ([]gradjudge.Progress, error) {
	ids, err := db.testStudents(ctx, courseID)
	if err != nil {
		return nil, err
	}
	var out []gradjudge.Progress
	for _, id := range ids {
		p, err := db.testProgress(ctx, courseID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func (db *DB) testStats(ctx context.Context, courseID int64) (gradjudge.CourseStats, error) {
	o, err := db.testOutline(ctx, courseID)
	if err != nil {
		return gradjudge.CourseStats{}, err
	}
	ids, err := db.testStudents(ctx, courseID)
	if err != nil {
		return gradjudge.CourseStats{}, err
	}
	recs, err := db.ProgressRecords(ctx, courseID, ids)
	return gradjudge.RollUpStats(o, courseID, len(ids), recs), err
}
