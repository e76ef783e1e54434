package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"gradjudge"
)

// BenchmarkLearnerOnVerdict measures what the learner model adds to recording a verdict (the
// verdict row, misconception events, progress, the commit), on each database. Every iteration
// records two verdicts of one student on one database, alternating: one without the learner
// model and one with it (its read before the transaction, the update, and the write folded into
// the progress statement). learner-ms is the mean difference, what updating mastery adds to
// judging a submission; timing the two side by side keeps the machine's load out of it. The
// verdicts alternate between a wrong answer showing a misconception and a right answer to a
// variant that resolves it, each on a new submission. roundtrip-ms is the mean time of a bare
// "SELECT 1" on the read pool at the same moments, for scale: the learner model's share is one
// such round trip and a few kilobytes more in the progress statement.
//
//	go test ./store -run '^$' -bench LearnerOnVerdict -benchtime 400x
func BenchmarkLearnerOnVerdict(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			benchLearnerOnVerdict(b, benchDB(b, name, Config{Now: time.Now, Passwords: fastArgon2, Learner: newTestLearner(b)}))
		})
	}
}

func benchLearnerOnVerdict(b *testing.B, cfg Config) {
	ctx := context.Background()
	db, course, student := benchFixture(b, cfg)
	subs := make([]gradjudge.Submission, 2*b.N)
	for i := range subs {
		ex, x := "e1", "2"
		if i/2%2 == 1 {
			ex, x = "e2", "1"
		}
		var err error
		if subs[i], _, err = db.CreateSubmission(ctx, gradjudge.Submission{UserID: student.ID, CourseID: course.ID, Kind: gradjudge.KindNumeric,
			ExerciseID: ex, Seed: uint64(i), Answer: numeric(x)}); err != nil {
			b.Fatal(err)
		}
	}
	wrong := gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Misconceptions: []string{"chain-rule-add"}}
	right := gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}
	learner := db.cfg.Learner
	var took [3]time.Duration // without, with the learner model; a bare round trip
	diffs := make([]time.Duration, b.N)
	b.ResetTimer()
	for i := range b.N {
		v := wrong
		if i%2 == 1 {
			v = right
		}
		for j := range 2 {
			k := j ^ i/2%2 // which goes first changes, so that neither gains from the other
			db.cfg.Learner = nil
			if k == 1 {
				db.cfg.Learner = learner
			}
			start := time.Now()
			if _, err := db.recordVerdict(ctx, subs[2*i+k], v); err != nil {
				b.Fatal(err)
			}
			d := time.Since(start)
			took[k] += d
			diffs[i] += d * time.Duration(2*k-1) // with minus without
		}
		start := time.Now()
		if err := db.read.Exec("SELECT 1").Error; err != nil {
			b.Fatal(err)
		}
		took[2] += time.Since(start)
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(ms(took[0]), "plain-ms")
	b.ReportMetric(ms(took[1]-took[0]), "learner-ms")
	slices.Sort(diffs)
	b.ReportMetric(float64(diffs[len(diffs)/2].Microseconds())/1000, "learner-p50-ms")
	b.ReportMetric(ms(took[2]), "roundtrip-ms")
	if st, err := db.Learner(ctx, course.ID, student.ID); err != nil || len(st.Misconceptions) != 1 || st.Misconceptions[0].Active == (b.N%2 == 0) {
		b.Fatalf("the learner model after the run: %+v, %v", st, err)
	}
}
