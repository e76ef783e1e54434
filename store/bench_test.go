package store

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gradjudge"
)

// instantJudge accepts everything at once: the benchmark measures the queue and the database.
type instantJudge struct{}

func (instantJudge) Grade(context.Context, string, uint64, gradjudge.Answer) (gradjudge.Verdict, error) {
	return gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1, Results: []gradjudge.Result{{ID: "x", Status: gradjudge.StatusAccepted}}}, nil
}

// BenchmarkSubmitAndJudge measures numeric submissions stored, judged and recorded per second,
// with 32 students that each submit and wait for the verdict, and the latency from the start of
// CreateSubmission to the verdict seen by WaitSubmission. "inline" grades in CreateSubmission
// (Config.InlineJudge, serve's default); "queue" stores, queues, and leaves judging to the workers.
//
//	go test ./store -run '^$' -bench SubmitAndJudge -benchtime 5000x
func BenchmarkSubmitAndJudge(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		for _, path := range []string{"inline", "queue"} {
			b.Run(name+"/"+path, func(b *testing.B) {
				cfg := Config{Now: time.Now, Passwords: fastArgon2} // e1 is numeric
				if path == "inline" {
					cfg.InlineJudge = instantJudge{}
				}
				benchSubmitAndJudge(b, benchDB(b, name, cfg))
			})
		}
	}
}

func benchSubmitAndJudge(b *testing.B, cfg Config) {
	ctx := context.Background()
	db, course, _ := benchFixture(b, cfg)
	w, err := db.StartWorkers(ctx, WorkerConfig{Judge: instantJudge{}})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Stop(ctx)

	const clients = 32 // students, each submitting, waiting for the verdict, and submitting again
	students := make([]gradjudge.User, clients)
	for i := range students {
		if students[i], err = db.CreateUser(ctx, gradjudge.User{Email: "s" + itoa(int64(i)) + "@example.com", Role: gradjudge.RoleStudent}, "long enough"); err != nil {
			b.Fatal(err)
		}
	}
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	b.ResetTimer()
	began := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < b.N; i = int(next.Add(1) - 1) {
				start := time.Now()
				s, _, err := db.CreateSubmission(ctx, gradjudge.Submission{UserID: students[c].ID, CourseID: course.ID, ExerciseID: "e1", Kind: testKind("e1"), Seed: uint64(i), Answer: numeric("1")})
				if err == nil && s.Status != gradjudge.SubmissionDone {
					s, err = db.WaitSubmission(ctx, s.ID, time.Minute)
				}
				if err != nil || s.Status != gradjudge.SubmissionDone {
					b.Errorf("submission %d: %s, %v", s.ID, s.Status, err)
					return
				}
				lat[i] = time.Since(start)
			}
		})
	}
	wg.Wait()
	total := time.Since(began)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/total.Seconds(), "judged/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// benchDB points cfg at a new database of the named kind, "sqlite" or "postgres".
func benchDB(b *testing.B, name string, cfg Config) Config {
	if name == "sqlite" {
		cfg.DataDir = b.TempDir()
		return cfg
	}
	return withPostgres(b, cfg)
}

// benchFixture opens and migrates the database cfg names, closed when b ends, with an
// instructor's course and one student.
func benchFixture(b *testing.B, cfg Config) (*DB, gradjudge.Course, gradjudge.User) {
	b.Helper()
	ctx := context.Background()
	db, err := Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	teacher, err := db.CreateUser(ctx, gradjudge.User{Email: "t@example.com", Role: gradjudge.RoleInstructor}, "long enough")
	if err != nil {
		b.Fatal(err)
	}
	course, err := db.CreateCourse(ctx, gradjudge.Course{Title: "Bench", CreatedBy: teacher.ID})
	if err != nil {
		b.Fatal(err)
	}
	student, err := db.CreateUser(ctx, gradjudge.User{Email: "s@example.com", Role: gradjudge.RoleStudent}, "long enough")
	if err != nil {
		b.Fatal(err)
	}
	return db, course, student
}
