package store

import (
	"context"
	"testing"
	"time"

	"gradjudge"
)

// BenchmarkRecordVerdict measures recording one verdict (the verdict row, misconception events,
// progress) without and with the learner model, on each database: the difference is what the
// learner model adds to judging a submission. Verdicts alternate between a wrong answer showing a
// misconception and a right answer to a variant that resolves it, each on a new submission.
//
//	go test ./store -run '^$' -bench RecordVerdict -benchtime 400x
func BenchmarkRecordVerdict(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		for _, learner := range []bool{false, true} {
			mode := "plain"
			if learner {
				mode = "learner"
			}
			b.Run(name+"/"+mode, func(b *testing.B) {
				cfg := Config{Now: time.Now, Passwords: fastArgon2}
				if learner {
					cfg.Learner = newTestLearner(b)
				}
				if name == "sqlite" {
					cfg.DataDir = b.TempDir()
				} else {
					cfg = withPostgres(b, cfg)
				}
				benchRecordVerdict(b, cfg)
			})
		}
	}
}

func benchRecordVerdict(b *testing.B, cfg Config) {
	ctx := context.Background()
	db, err := Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	teacher, _ := db.CreateUser(ctx, gradjudge.User{Email: "t@example.com", Role: gradjudge.RoleInstructor}, "long enough")
	course, err := db.CreateCourse(ctx, gradjudge.Course{Title: "Bench", CreatedBy: teacher.ID})
	if err != nil {
		b.Fatal(err)
	}
	student, _ := db.CreateUser(ctx, gradjudge.User{Email: "s@example.com", Role: gradjudge.RoleStudent}, "long enough")
	subs := make([]gradjudge.Submission, b.N)
	for i := range subs {
		ex, x := "e1", "2"
		if i%2 == 1 {
			ex, x = "e2", "1"
		}
		if subs[i], _, err = db.CreateSubmission(ctx, gradjudge.Submission{UserID: student.ID, CourseID: course.ID, Kind: gradjudge.KindNumeric,
			ExerciseID: ex, Seed: uint64(i), Answer: numeric(x)}); err != nil {
			b.Fatal(err)
		}
	}
	wrong := gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Misconceptions: []string{"chain-rule-add"}}
	right := gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}
	b.ResetTimer()
	for i := range b.N {
		v := wrong
		if i%2 == 1 {
			v = right
		}
		if _, err := db.recordVerdict(ctx, subs[i], v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLearnerOnVerdict measures exactly what the learner model adds to recording a verdict:
// its evidence (with the read of the student's active misconceptions) and, inside the verdict's
// transaction, the reads of the student's model and the course's parameters, the update, and the
// upserts. The commit is left out: the learner's rows commit with the verdict's, in its fsync.
// Verdicts alternate as in BenchmarkRecordVerdict, all in one transaction rolled back at the end.
//
//	go test ./store -run '^$' -bench LearnerOnVerdict -benchtime 2000x
func BenchmarkLearnerOnVerdict(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			cfg := Config{Now: time.Now, Passwords: fastArgon2, Learner: newTestLearner(b)}
			if name == "sqlite" {
				cfg.DataDir = b.TempDir()
			} else {
				cfg = withPostgres(b, cfg)
			}
			benchLearnerOnVerdict(b, cfg)
		})
	}
}

func benchLearnerOnVerdict(b *testing.B, cfg Config) {
	ctx := context.Background()
	db, err := Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	teacher, _ := db.CreateUser(ctx, gradjudge.User{Email: "t@example.com", Role: gradjudge.RoleInstructor}, "long enough")
	course, err := db.CreateCourse(ctx, gradjudge.Course{Title: "Bench", CreatedBy: teacher.ID})
	if err != nil {
		b.Fatal(err)
	}
	student, _ := db.CreateUser(ctx, gradjudge.User{Email: "s@example.com", Role: gradjudge.RoleStudent}, "long enough")
	s := gradjudge.Submission{ID: 1, UserID: student.ID, CourseID: course.ID, CreatedAt: time.Now()}
	wrong := gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Misconceptions: []string{"chain-rule-add"}}
	right := gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}
	tx := db.gorm.Begin()
	defer tx.Rollback()
	b.ResetTimer()
	for i := range b.N {
		s.ExerciseID, s.Seed, s.CreatedAt = "e1", uint64(i), s.CreatedAt.Add(time.Second)
		v := wrong
		if i%2 == 1 {
			s.ExerciseID, v = "e2", right
		}
		if err := db.learnerEvidence(ctx, s, v).update(tx, s); err != nil {
			b.Fatal(err)
		}
	}
}
