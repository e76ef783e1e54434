package main

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/exercises"
	"gradjudge/internal/app"
	"gradjudge/internal/policy"
	"gradjudge/store"
	"gradjudge/web"
)

// Size of the generated course.
const (
	benchStudents = 500
	benchSeed     = 42
)

// plainTokens are login tokens that are their subject: the benchmark measures pages, not JWTs.
type plainTokens struct{}

func (plainTokens) Issue(sub string) (string, time.Time, error) {
	return sub, time.Now().Add(time.Hour), nil
}
func (plainTokens) Verify(tok string) (string, error) { return tok, nil }

// BenchmarkCoursePages renders the staff's course pages of a generated course on SQLite: 500
// students, every exercise of the catalog (27), progress on most of them, a few misconceptions
// each and a learner model per student. It reports the median and the 99th percentile of a page's
// render time, and the CPU time a page costs (all of the process's, garbage collection included:
// on a busy machine the wall times grow, the CPU times much less).
//
//	go test ./cmd/gradjudge -run '^$' -bench CoursePages -benchtime 100x
//
// The "policy" pages are of a second course whose exercises all have a due date, a late penalty
// and a penalty per wrong attempt, so that its grades are computed from every judged attempt
// (three per student and exercise): when the policies are set, not when a page is read.
func BenchmarkCoursePages(b *testing.B) {
	h, courses, instID, studentIDs := benchCourse(b)
	for i, courseID := range courses {
		prefix := []string{"", "policy/"}[i]
		benchPages(b, h, prefix, fmt.Sprintf("/courses/%d", courseID), instID, studentIDs[i])
	}
}

// benchPages measures each staff page of one course.
func benchPages(b *testing.B, h http.Handler, prefix, course string, instID, studentID int64) {
	for _, page := range []struct{ name, path string }{
		{"dashboard", course},
		{"students", course + "/students"},
		{"grades.csv", course + "/grades.csv"},
		{"misconceptions.csv", course + "/misconceptions.csv"},
		{"learning.csv", course + "/learning.csv"},
		{"exercise", course + "/exercises/two-layer-network/stats"},
		{"student", fmt.Sprintf("%s/students/%d", course, studentID)},
	} {
		b.Run(prefix+page.name, func(b *testing.B) {
			took := make([]time.Duration, 0, b.N)
			cpu := processCPU()
			for b.Loop() {
				req := httptest.NewRequest("GET", page.path, nil)
				req.AddCookie(&http.Cookie{Name: "gradjudge_session", Value: strconv.FormatInt(instID, 10)})
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				took = append(took, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d %s", page.path, rec.Code, rec.Body.String())
				}
			}
			b.ReportMetric(float64((processCPU()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
		})
	}
}

// benchCourse builds the generated courses and the pages over them. It returns the pages, the
// courses' ids (graded by best score, then under policies), their instructor's and a student of
// each.
func benchCourse(b *testing.B) (http.Handler, []int64, int64, []int64) {
	b.Helper()
	ctx := b.Context()
	cat, err := exercises.Load()
	if err != nil {
		b.Fatal(err)
	}
	learner, err := newLearner(cat)
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(ctx, store.Config{DataDir: b.TempDir(), Passwords: store.Argon2Params{Time: 1, MemoryKiB: 64, Threads: 1}, Learner: learner})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	inst, err := db.CreateUser(ctx, gradjudge.User{Email: "inst@example.edu", Name: "Inst", Role: gradjudge.RoleInstructor}, "password-inst")
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for _, e := range cat.Exercises() {
		ids = append(ids, e.ID)
	}
	c, err := db.CreateCourse(ctx, gradjudge.Course{Title: "Big course", CreatedBy: inst.ID, ExerciseIDs: ids})
	if err != nil {
		b.Fatal(err)
	}
	fillCourse(b, db, c.ID, ids)
	students := fillLearners(b, db, c.ID, learner.Concepts())
	pc, err := db.CreateCourse(ctx, gradjudge.Course{Title: "Big course with policies", CreatedBy: inst.ID, ExerciseIDs: ids})
	if err != nil {
		b.Fatal(err)
	}
	fillCourse(b, db, pc.ID, ids)
	policyStudents := fillLearners(b, db, pc.ID, learner.Concepts())
	fillPolicies(b, db, pc.ID, ids)
	core, err := app.New(app.Deps{Users: db, Courses: db, Submissions: db, Progress: db, Catalog: cat, Learners: db, Mastery: learner, Policies: db})
	if err != nil {
		b.Fatal(err)
	}
	h, err := web.New(web.Deps{App: core, Tokens: plainTokens{}})
	if err != nil {
		b.Fatal(err)
	}
	return h, []int64{c.ID, pc.ID}, inst.ID, []int64{students[0], policyStudents[0]}
}

// fillPolicies gives every exercise of the course a due date with a late penalty and a penalty
// per wrong attempt, and every enrolled student three judged attempts at each.
func fillPolicies(b *testing.B, db *store.DB, courseID int64, exerciseIDs []string) {
	b.Helper()
	ctx := b.Context()
	due := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
	roster, err := db.Enrollments(ctx, courseID)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(benchSeed, 2))
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for _, e := range roster {
		if e.Role != gradjudge.CourseStudent {
			continue
		}
		for _, ex := range exerciseIDs {
			for k := range 3 {
				at := due.Add(time.Duration(rng.IntN(6000)-3000) * time.Minute)
				res, err := tx.ExecContext(ctx, "INSERT INTO submissions (user_id, course_id, exercise_id, seed, answer, content_hash, status, created_at) VALUES (?, ?, ?, 1, '{}', 'h', 'done', ?)",
					e.UserID, courseID, ex, at)
				if err != nil {
					b.Fatal(err)
				}
				sid, _ := res.LastInsertId()
				status, score := gradjudge.StatusPartial, rng.Float64()
				if k == 2 && rng.IntN(2) == 0 {
					status, score = gradjudge.StatusAccepted, 1
				}
				if _, err := tx.ExecContext(ctx, "INSERT INTO verdicts (submission_id, status, score, body, created_at) VALUES (?, ?, ?, '{}', ?)", sid, string(status), score, at); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	// Set after the attempts, which are written straight into the tables: setting a policy
	// grades the exercise's students under it.
	for _, ex := range exerciseIDs {
		p := policy.Policy{Due: due, Late: policy.LatePenalty, LatePenaltyPerDay: 0.1, Grade: policy.GradePenalisedBest, PenaltyPerWrong: 0.1}
		if err := db.SetExercisePolicy(ctx, courseID, ex, p); err != nil {
			b.Fatal(err)
		}
	}
}

// fillCourse enrols benchStudents students with generated progress and misconception events,
// written straight into the tables in one transaction.
func fillCourse(b *testing.B, db *store.DB, courseID int64, exerciseIDs []string) {
	b.Helper()
	ctx := b.Context()
	rng := rand.New(rand.NewPCG(benchSeed, 0))
	tags := []string{"chain-rule-add", "relu-gate-ignored", "square-factor-dropped", "update-sign-flipped"}
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) int64 {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			b.Fatalf("%s: %v", q, err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	for i := range benchStudents {
		uid := exec("INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?, ?, 'student', 'x', ?)",
			fmt.Sprintf("s%03d.c%d@example.edu", i, courseID), fmt.Sprintf("Student %03d", i), now)
		exec("INSERT INTO enrollments (course_id, user_id, role, created_at) VALUES (?, ?, 'student', ?)", courseID, uid, now)
		for _, ex := range exerciseIDs {
			attempts := rng.IntN(6)
			if attempts == 0 {
				continue
			}
			at := now.Add(time.Duration(rng.IntN(10000)) * time.Minute)
			var solved *time.Time
			score := rng.Float64()
			if rng.IntN(3) > 0 {
				solved, score = &at, 1
			}
			exec("INSERT INTO progress (course_id, user_id, exercise_id, attempts, best_score, attempts_to_solve, solved_at, last_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				courseID, uid, ex, attempts, score, attempts, solved, at)
			if rng.IntN(4) == 0 {
				sid := exec("INSERT INTO submissions (user_id, course_id, exercise_id, seed, answer, content_hash, status, created_at) VALUES (?, ?, ?, 1, '{}', 'h', 'done', ?)",
					uid, courseID, ex, at)
				exec("INSERT INTO misconception_events (user_id, course_id, exercise_id, tag, submission_id, at) VALUES (?, ?, ?, ?, ?, ?)",
					uid, courseID, ex, tags[rng.IntN(len(tags))], sid, at)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// fillLearners gives every student of the course a learner model with evidence on most concepts
// and a few misconceptions, and returns the students' ids.
func fillLearners(b *testing.B, db *store.DB, courseID int64, concepts []string) []int64 {
	b.Helper()
	ctx := b.Context()
	roster, err := db.Enrollments(ctx, courseID)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(benchSeed, 1))
	tags := []string{"chain-rule-add", "relu-gate-ignored", "square-factor-dropped", "update-sign-flipped"}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	concepts = slices.Sorted(slices.Values(concepts)) // a state's concepts are sorted by key
	var ids []int64
	var states []gradjudge.LearnerState
	for _, e := range roster {
		if e.Role != gradjudge.CourseStudent {
			continue
		}
		ids = append(ids, e.UserID)
		st := gradjudge.LearnerState{UserID: e.UserID}
		for _, c := range concepts {
			if rng.IntN(4) > 0 {
				st.Concepts = append(st.Concepts, gradjudge.ConceptMastery{Concept: c, P: rng.Float64(), Observations: 1 + rng.IntN(8), UpdatedAt: at})
			}
		}
		for _, t := range tags {
			if rng.IntN(3) > 0 {
				continue
			}
			m := gradjudge.MisconceptionStatus{Tag: t, Active: true, Shown: 1, FirstShownAt: at, LastShownAt: at, ShownIn: "two-layer-network"}
			if rng.IntN(2) == 0 {
				resolved := at.Add(time.Hour)
				m.Active, m.ResolvedAt, m.ResolvedBy = false, &resolved, "two-layer-network"
			}
			st.Misconceptions = append(st.Misconceptions, m)
		}
		states = append(states, st)
	}
	if err := db.ReplaceLearners(ctx, courseID, states); err != nil {
		b.Fatal(err)
	}
	return ids
}
