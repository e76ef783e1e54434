package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"gradjudge"
	"gradjudge/internal/policy"
	"gradjudge/internal/regrade"
	"gradjudge/internal/testclock"
)

// gradeStart is when the grade tests' clocks start.
var gradeStart = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// gradePolicies are the policies the grade tests switch between, with dates unit apart from
// start: one grading by the best score, and others that grade the same attempts each its own way.
func gradePolicies(start time.Time, unit time.Duration) []policy.Policy {
	at := func(n int) time.Time { return start.Add(time.Duration(n) * unit) }
	return []policy.Policy{
		{}, // by the best score
		{MaxAttempts: 2},
		{Grade: policy.GradeLast},
		{Due: at(2), Late: policy.LatePenalty, LatePenaltyPerDay: 0.25, Grade: policy.GradePenalisedBest, PenaltyPerWrong: 0.2},
		{Opens: at(1), Due: at(3)},
		{Due: at(1), Late: policy.LatePenalty, LatePenaltyPerDay: 0.5, Close: at(3), Grade: policy.GradeLast, MaxAttempts: 3},
	}
}

// randomVerdict is a verdict of any kind a grade counts differently: wrong, partial, right, or
// one that uses no attempt.
func randomVerdict(rng *rand.Rand) gradjudge.Verdict {
	switch rng.IntN(5) {
	case 0:
		return gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer}
	case 1:
		return gradjudge.Verdict{Status: gradjudge.StatusCompileError}
	case 2:
		return gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}
	}
	return gradjudge.Verdict{Status: gradjudge.StatusPartial, Score: float64(1+rng.IntN(99)) / 97}
}

// gradeWorld drives a course's grade inputs at random: verdicts, regrades, policies, extensions.
type gradeWorld struct {
	t         *testing.T
	db        *DB
	f         fixture
	clock     *testclock.Clock
	rng       *rand.Rand
	users     []int64
	exercises []string
	policies  []policy.Policy
	table     map[string]gradjudge.Verdict // answer x → its verdict now: the regrades' judge
	subs      map[string][]gradjudge.Submission
	answers   int
	regrades  int
}

func (w *gradeWorld) user() int64      { return w.users[w.rng.IntN(len(w.users))] }
func (w *gradeWorld) exercise() string { return w.exercises[w.rng.IntN(len(w.exercises))] }

// verdict judges a new answer of a student.
func (w *gradeWorld) verdict() string {
	u, e := w.user(), w.exercise()
	w.answers++
	x := "a" + strconv.Itoa(w.answers)
	v := randomVerdict(w.rng)
	w.table[x] = v
	s := mustSubmit(w.t, w.db, u, w.f.course.ID, e, numeric(x))
	if _, err := w.db.recordVerdict(w.t.Context(), s, v); err != nil {
		w.t.Fatal(err)
	}
	w.subs[e] = append(w.subs[e], s)
	return fmt.Sprintf("user %d: %s %s %.3g", u, e, v.Status, v.Score)
}

// regrade judges one answer anew, in a run that regrades every answer to its exercise.
func (w *gradeWorld) regrade() string {
	e := w.exercise()
	if len(w.subs[e]) == 0 {
		return "no regrade"
	}
	s := w.subs[e][w.rng.IntN(len(w.subs[e]))]
	var x string
	if err := json.Unmarshal(s.Answer.Fields["x"], &x); err != nil {
		w.t.Fatal(err)
	}
	v := randomVerdict(w.rng)
	w.table[x] = v
	w.regrades++
	version := "v" + strconv.Itoa(w.regrades)
	run, err := w.db.StartRegrade(w.t.Context(), regrade.Request{ExerciseID: e, CourseID: w.f.course.ID, Version: version})
	if err != nil {
		w.t.Fatal(err)
	}
	wk := &regradeWorker{db: w.db, judge: versionJudge{version, w.table}}
	for _, s := range w.subs[e] {
		if err := wk.Work(w.t.Context(), &river.Job[regradeArgs]{Args: regradeArgs{RegradeID: run.ID, SubmissionID: s.ID}}); err != nil {
			w.t.Fatal(err)
		}
	}
	return fmt.Sprintf("regrade %s: submission %d now %s %.3g", e, s.ID, v.Status, v.Score)
}

// setPolicy sets one of the policies on an exercise.
func (w *gradeWorld) setPolicy() string {
	e, i := w.exercise(), w.rng.IntN(len(w.policies))
	if err := w.db.SetExercisePolicy(w.t.Context(), w.f.course.ID, e, w.policies[i]); err != nil {
		w.t.Fatal(err)
	}
	return fmt.Sprintf("policy %d on %s", i, e)
}

// extend gives a student an extension to some time in the first three days, or takes theirs
// away.
func (w *gradeWorld) extend() string {
	u, e := w.user(), w.exercise()
	if w.rng.IntN(3) == 0 {
		if err := w.db.DeleteExtension(w.t.Context(), w.f.course.ID, e, u); err != nil {
			w.t.Fatal(err)
		}
		return fmt.Sprintf("user %d: no extension on %s", u, e)
	}
	due := gradeStart.Add(time.Duration(w.rng.IntN(72)) * time.Hour)
	if err := w.db.SetExtension(w.t.Context(), w.f.course.ID, e, u, due, w.f.teacher.ID); err != nil {
		w.t.Fatal(err)
	}
	return fmt.Sprintf("user %d: extension on %s to %s", u, e, due.Format(time.DateTime))
}

// TestStoredGradesFollowTheirInputs drives random sequences of verdicts, regrades, policy
// changes and extensions, and after each step checks every stored grade against the policy's
// grade of the student's attempts read afresh (checkGrades): a change to a grade's inputs that
// does not recompute it fails here.
func TestStoredGradesFollowTheirInputs(t *testing.T) {
	for seed := range uint64(3) {
		t.Run("seed "+strconv.FormatUint(seed, 10), func(t *testing.T) {
			clock := testclock.New(gradeStart)
			forEachDB(t, Config{Now: clock.Now}, func(t *testing.T, db *DB) {
				clock.Set(gradeStart)
				f := newFixture(t, db)
				w := &gradeWorld{t: t, db: db, f: f, clock: clock, rng: rand.New(rand.NewPCG(seed, 11)),
					users: []int64{f.ann.ID, f.bob.ID}, exercises: []string{"e1", "e2"},
					policies: gradePolicies(gradeStart, 12*time.Hour), table: map[string]gradjudge.Verdict{}, subs: map[string][]gradjudge.Submission{}}
				steps := []struct {
					weight int
					do     func() string
				}{{8, w.verdict}, {2, w.regrade}, {3, w.setPolicy}, {2, w.extend}}
				var log []string
				for range 80 {
					clock.Advance(time.Duration(w.rng.IntN(120)) * time.Minute)
					n := w.rng.IntN(15)
					for _, s := range steps {
						if n -= s.weight; n < 0 {
							log = append(log, s.do())
							break
						}
					}
					if !checkGrades(t, db, f.course.ID, w.users, w.exercises) {
						t.Fatalf("after the steps %q", log)
					}
				}
			})
		})
	}
}

// checkGrades reports whether every stored grade of the students on the exercises of the course
// is what the policy gives their attempts as the exercise page reads them (ExercisePolicy,
// Extension, Attempts, policy.GradeOf), through ProgressRecords, and whether the grade column is
// NULL exactly where the policy grades by the best score. It reports each difference.
func checkGrades(t *testing.T, db *DB, courseID int64, users []int64, exercises []string) bool {
	t.Helper()
	ctx := t.Context()
	recs, err := db.ProgressRecords(ctx, courseID, users)
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		UserID     int64
		ExerciseID string
		Grade      *float64
	}
	if err := db.read.Table("progress").Where("course_id = ?", courseID).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	type key struct {
		user     int64
		exercise string
	}
	stored, column := map[key]float64{}, map[key]*float64{}
	for _, r := range recs.Exercises {
		stored[key{r.UserID, r.ExerciseID}] = r.Grade
	}
	for _, r := range rows {
		column[key{r.UserID, r.ExerciseID}] = r.Grade
	}
	ok := true
	for _, u := range users {
		for _, e := range exercises {
			p, err := db.ExercisePolicy(ctx, courseID, e)
			if err != nil {
				t.Fatal(err)
			}
			if due, ext, err := db.Extension(ctx, courseID, e, u); err != nil {
				t.Fatal(err)
			} else if ext {
				p = p.WithExtension(due)
			}
			attempts, err := db.Attempts(ctx, courseID, u, e)
			if err != nil {
				t.Fatal(err)
			}
			want, k := p.GradeOf(attempts).Score, key{u, e}
			if got := stored[k]; got != want {
				t.Errorf("user %d on %s: stored grade %v, want %v from %d attempts under %+v", u, e, got, want, len(attempts), p)
				ok = false
			}
			if c, has := column[k]; has && (c == nil) != p.GradedByBest() {
				t.Errorf("user %d on %s: grade column %v under a policy grading by best score: %v", u, e, c, p.GradedByBest())
				ok = false
			}
		}
	}
	return ok
}

// TestGradesFilledOnUpgrade: a database whose progress rows were written before migration 00011
// (which adds the grade column, NULL in every row) shows the same grades once migrated as the
// attempts give: Migrate fills them.
func TestGradesFilledOnUpgrade(t *testing.T) {
	clock := testclock.New(gradeStart)
	forEachDB(t, Config{Now: clock.Now}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		clock.Set(gradeStart)
		f := newFixture(t, db)
		w := &gradeWorld{t: t, db: db, f: f, clock: clock, rng: rand.New(rand.NewPCG(5, 5)),
			users: []int64{f.ann.ID, f.bob.ID}, exercises: []string{"e1", "e2"},
			policies: gradePolicies(gradeStart, 12*time.Hour), table: map[string]gradjudge.Verdict{}, subs: map[string][]gradjudge.Submission{}}
		for range 20 {
			clock.Advance(3 * time.Hour)
			w.verdict()
		}
		pols := map[string]policy.Policy{"e1": w.policies[3], "e2": w.policies[2]}
		for e, p := range pols {
			if err := db.SetExercisePolicy(ctx, f.course.ID, e, p); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetExtension(ctx, f.course.ID, "e1", f.ann.ID, gradeStart.Add(60*time.Hour), f.teacher.ID); err != nil {
			t.Fatal(err)
		}
		before, err := db.ProgressRecords(ctx, f.course.ID, w.users)
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.goose()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, 10); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		after, err := db.ProgressRecords(ctx, f.course.ID, w.users)
		if err != nil {
			t.Fatal(err)
		}
		if !checkGrades(t, db, f.course.ID, w.users, w.exercises) {
			t.Fatal("after the upgrade")
		}
		moved := 0
		for i, r := range after.Exercises {
			if r.Grade != before.Exercises[i].Grade {
				t.Errorf("user %d on %s: grade %v after the upgrade, %v before", r.UserID, r.ExerciseID, r.Grade, before.Exercises[i].Grade)
			}
			if r.Grade != r.BestScore {
				moved++
			}
		}
		if moved == 0 {
			t.Error("every grade is the best score: the policies test nothing")
		}
	})
}

// TestGradesUnderConcurrentChanges: students' first verdicts on an exercise, policy changes of
// it, extensions and a regrade, written at once, each in a goroutine of its own, leave every
// stored grade as the attempts give under the policy in force, round after round. On PostgreSQL
// the transactions run side by side: a first verdict that read the old policy while a policy
// change regraded the exercise (which had not seen the verdict's new progress row) left a grade
// of the old policy, in most runs, unless they lock a row in common (lockGrades,
// lockCourseGrades).
func TestGradesUnderConcurrentChanges(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		// testClock moves a second a reading: the dates fall amid the attempts.
		start := new(testClock).Now()
		pols := gradePolicies(start, 30*time.Second)
		var users []int64
		for round := range 6 {
			var fresh []int64
			for i := range 8 {
				u := mustUser(t, db, fmt.Sprintf("s%d.%d@example.com", round, i), gradjudge.RoleStudent)
				if _, err := db.Enroll(ctx, f.course.ID, u.Email, gradjudge.CourseStudent); err != nil {
					t.Fatal(err)
				}
				fresh = append(fresh, u.ID)
			}
			if err := concurrentGradeChanges(ctx, db, f, users, fresh, pols, round); err != nil {
				t.Fatal(err)
			}
			users = append(users, fresh...)
			if !checkGrades(t, db, f.course.ID, users, []string{"e1"}) {
				t.Fatalf("after round %d", round)
			}
		}
	})
}

// concurrentGradeChanges writes, at once, the first verdict of each fresh student on e1, two
// policy changes of e1, extensions of the last earlier students and a regrade; it returns the
// errors.
func concurrentGradeChanges(ctx context.Context, db *DB, f fixture, earlier, fresh []int64, pols []policy.Policy, round int) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		errs  []error
		start = make(chan struct{})
	)
	run := func(fn func() error) {
		wg.Go(func() {
			<-start
			if err := fn(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	for i, u := range fresh {
		run(func() error {
			v := []gradjudge.Verdict{{Status: gradjudge.StatusAccepted, Score: 1}, {Status: gradjudge.StatusPartial, Score: 0.5}}[i%2]
			s, _, err := db.CreateSubmission(ctx, gradjudge.Submission{UserID: u, CourseID: f.course.ID, ExerciseID: "e1", Kind: testKind("e1"),
				Seed: 7, Answer: numeric(fmt.Sprintf("u%d", u))})
			if err == nil {
				_, err = db.recordVerdict(ctx, s, v)
			}
			return err
		})
	}
	run(func() error {
		for i := range 2 {
			if err := db.SetExercisePolicy(ctx, f.course.ID, "e1", pols[1+(2*round+i)%(len(pols)-1)]); err != nil {
				return err
			}
		}
		return nil
	})
	run(func() error {
		for i, u := range earlier[max(0, len(earlier)-8):] {
			due := pols[3].Due.Add(time.Duration(10*(round+i)) * time.Second)
			if err := db.SetExtension(ctx, f.course.ID, "e1", u, due, f.teacher.ID); err != nil {
				return err
			}
			if (round+i)%3 == 0 {
				if err := db.DeleteExtension(ctx, f.course.ID, "e1", u); err != nil {
					return err
				}
			}
		}
		return nil
	})
	run(func() error { return regradeLatest(ctx, db, f.course.ID, "e1", fmt.Sprintf("r%d", round), 8) })
	close(start)
	wg.Wait()
	return errors.Join(errs...)
}

// hashJudge judges an answer by a hash of it and its version: a regrade to another version
// changes about half the verdicts.
type hashJudge string

func (j hashJudge) Grade(_ context.Context, _ string, _ uint64, a gradjudge.Answer) (gradjudge.Verdict, error) {
	h := fnv.New64a()
	h.Write(a.Fields["x"])
	h.Write([]byte(j))
	v := randomVerdict(rand.New(rand.NewPCG(h.Sum64(), 0)))
	v.ExerciseVersion = string(j)
	return v, nil
}

// regradeLatest starts a regrade run of an exercise of a course against version and works the
// jobs of its n latest answers with hashJudge, as the workers would.
func regradeLatest(ctx context.Context, db *DB, courseID int64, exerciseID, version string, n int) error {
	run, err := db.StartRegrade(ctx, regrade.Request{ExerciseID: exerciseID, CourseID: courseID, Version: version})
	if err != nil {
		return err
	}
	var ids []int64
	if err := db.read.WithContext(ctx).Table("regrade_items").Where("regrade_id = ?", run.ID).Order("submission_id DESC").Limit(n).Pluck("submission_id", &ids).Error; err != nil {
		return err
	}
	w := &regradeWorker{db: db, judge: hashJudge(version)}
	for _, id := range ids {
		if err := w.Work(ctx, &river.Job[regradeArgs]{Args: regradeArgs{RegradeID: run.ID, SubmissionID: id}}); err != nil {
			return err
		}
	}
	return nil
}
