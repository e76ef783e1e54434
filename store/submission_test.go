package store

import (
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"gradjudge"
)

func TestCreateSubmission(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		base := gradjudge.Submission{UserID: f.ann.ID, CourseID: f.course.ID, ExerciseID: "e1", Kind: testKind("e1"), Seed: 1<<63 + 5, Answer: numeric("1")}

		s, created, err := db.CreateSubmission(ctx, base)
		if err != nil || !created {
			t.Fatalf("CreateSubmission = %v, %v", created, err)
		}
		if s.Status != gradjudge.SubmissionQueued || s.Verdict != nil || s.JudgedAt != nil || s.Seed != base.Seed ||
			s.ContentHash != gradjudge.ContentHash("e1", base.Seed, base.Answer) || string(s.Answer.Fields["x"]) != `"1"` {
			t.Errorf("stored %+v", s)
		}
		if got, err := db.Submission(ctx, s.ID); err != nil || got.ContentHash != s.ContentHash {
			t.Errorf("Submission = %+v, %v", got, err)
		}
		_, err = db.Submission(ctx, 9999)
		wantCode(t, err, gradjudge.ENOTFOUND)
		if jobs := countJobs(t, db); jobs != 1 {
			t.Errorf("%d judging jobs, want 1", jobs)
		}

		for _, c := range []struct {
			name    string
			edit    func(*gradjudge.Submission)
			code    string
			created bool
		}{
			{"no user", func(s *gradjudge.Submission) { s.UserID = 0 }, gradjudge.EINVALID, false},
			{"no exercise", func(s *gradjudge.Submission) { s.ExerciseID = "" }, gradjudge.EINVALID, false},
			{"unknown course", func(s *gradjudge.Submission) { s.CourseID = 9999 }, gradjudge.ENOTFOUND, false},
			{"unknown user", func(s *gradjudge.Submission) { s.UserID = 9999 }, gradjudge.ENOTFOUND, false},
			{"first with key", func(s *gradjudge.Submission) { s.IdempotencyKey = "k1" }, "", true},
			{"same key, same content", func(s *gradjudge.Submission) { s.IdempotencyKey = "k1" }, "", false},
			{"same key, other answer", func(s *gradjudge.Submission) { s.IdempotencyKey = "k1"; s.Answer = numeric("2") }, gradjudge.ECONFLICT, false},
			{"same key, other user", func(s *gradjudge.Submission) { s.IdempotencyKey = "k1"; s.UserID = f.bob.ID }, "", true},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := base
				c.edit(&in)
				_, created, err := db.CreateSubmission(ctx, in)
				wantCode(t, err, c.code)
				if created != c.created {
					t.Errorf("created = %v, want %v", created, c.created)
				}
			})
		}
		if jobs := countJobs(t, db); jobs != 3 {
			t.Errorf("%d judging jobs, want 3: one per created submission", jobs)
		}
	})
}

// TestCreateSubmissionRace sends one idempotency key from many goroutines at once: one
// submission and one job result, and everyone gets its id.
func TestCreateSubmissionRace(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		in := gradjudge.Submission{UserID: f.ann.ID, CourseID: f.course.ID, ExerciseID: "e1", Kind: testKind("e1"), Answer: numeric("1"), IdempotencyKey: "retry"}
		const n = 16
		ids := make([]int64, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				s, _, err := db.CreateSubmission(t.Context(), in)
				if err != nil {
					t.Error(err)
				}
				ids[i] = s.ID
			})
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("ids %v differ", ids)
			}
		}
		if jobs := countJobs(t, db); jobs != 1 {
			t.Errorf("%d jobs, want 1", jobs)
		}
	})
}

func TestSubmissionPayloadImmutable(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		s := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("1"))
		for _, c := range []struct{ name, set string }{
			{"answer", "answer = '{}'"},
			{"exercise", "exercise_id = 'e2'"},
			{"user", "user_id = " + itoa(f.bob.ID)},
		} {
			t.Run(c.name, func(t *testing.T) {
				err := db.gorm.Exec("UPDATE submissions SET "+c.set+" WHERE id = ?", s.ID).Error
				if err == nil {
					t.Error("the update succeeded")
				}
			})
		}
		if err := db.gorm.Exec("UPDATE submissions SET status = 'done' WHERE id = ?", s.ID).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.gorm.Exec("UPDATE submissions SET status = 'queued' WHERE id = ?", s.ID).Error; err == nil {
			t.Error("status went back from done to queued")
		}
	})
}

func TestListSubmissions(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		f := newFixture(t, db)
		other, err := db.CreateCourse(t.Context(), gradjudge.Course{Title: "Other", CreatedBy: f.teacher.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Enroll(t.Context(), other.ID, f.ann.Email, gradjudge.CourseStudent); err != nil {
			t.Fatal(err)
		}
		a1 := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("1"))
		a2 := mustSubmit(t, db, f.ann.ID, f.course.ID, "e2", numeric("2"))
		b1 := mustSubmit(t, db, f.bob.ID, f.course.ID, "e1", numeric("2"))
		a3 := mustSubmit(t, db, f.ann.ID, other.ID, "e1", numeric("1"))
		if _, err := db.recordVerdict(t.Context(), a2, gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			f    gradjudge.SubmissionFilter
			want []int64
		}{
			{"all", gradjudge.SubmissionFilter{}, []int64{a3.ID, b1.ID, a2.ID, a1.ID}},
			{"ann", gradjudge.SubmissionFilter{UserID: f.ann.ID}, []int64{a3.ID, a2.ID, a1.ID}},
			{"ann in course", gradjudge.SubmissionFilter{UserID: f.ann.ID, CourseID: f.course.ID}, []int64{a2.ID, a1.ID}},
			{"course, e1", gradjudge.SubmissionFilter{CourseID: f.course.ID, ExerciseID: "e1"}, []int64{b1.ID, a1.ID}},
			{"done", gradjudge.SubmissionFilter{Status: gradjudge.SubmissionDone}, []int64{a2.ID}},
			{"page 1", gradjudge.SubmissionFilter{Limit: 2}, []int64{a3.ID, b1.ID}},
			{"page 2", gradjudge.SubmissionFilter{Limit: 2, BeforeID: b1.ID}, []int64{a2.ID, a1.ID}},
			{"nobody", gradjudge.SubmissionFilter{UserID: 9999}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				subs, err := db.Submissions(t.Context(), c.f)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, s := range subs {
					got = append(got, s.ID)
					if (s.Status == gradjudge.SubmissionDone) != (s.Verdict != nil) {
						t.Errorf("submission %d: status %s, verdict %v", s.ID, s.Status, s.Verdict)
					}
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("ids %v, want %v", got, c.want)
				}
			})
		}
	})
}

func TestWaitSubmission(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		s := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("1"))

		got, err := db.WaitSubmission(ctx, s.ID, time.Millisecond)
		if err != nil || got.Status != gradjudge.SubmissionQueued {
			t.Fatalf("after the bound: %s, %v; want queued, no error", got.Status, err)
		}
		_, err = db.WaitSubmission(ctx, 9999, time.Millisecond)
		wantCode(t, err, gradjudge.ENOTFOUND)

		done := make(chan gradjudge.Submission)
		go func() {
			got, err := db.WaitSubmission(ctx, s.ID, time.Minute)
			if err != nil {
				t.Error(err)
			}
			done <- got
		}()
		if _, err := db.recordVerdict(ctx, s, gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}); err != nil {
			t.Fatal(err)
		}
		if got := <-done; got.Status != gradjudge.SubmissionDone || got.Verdict == nil || got.Verdict.Status != gradjudge.StatusAccepted {
			t.Errorf("woken with %+v", got)
		}
	})
}

func countJobs(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(t.Context(), "SELECT count(*) FROM river_job").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
