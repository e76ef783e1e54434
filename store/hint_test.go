package store

import (
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"gradjudge"
	"gradjudge/internal/mastery"
)

// TestHintsAreEvidence records hint steps and checks that the learner model reads them: a right
// answer made after two steps on its exercise earns HintFloor's credit (and no streak), one made
// before them, or after hints on another exercise, full credit; a step shown again keeps its
// first time; steps outside 1..3 are EINVALID.
func TestHintsAreEvidence(t *testing.T) {
	clock := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(time.Second); return clock }
	forEachDB(t, Config{Now: now, InlineJudge: newFakeJudge(), Learner: newTestLearner(t)}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		wantCode(t, db.RecordHints(ctx, f.course.ID, f.ann.ID, "e1", 0), gradjudge.EINVALID)
		wantCode(t, db.RecordHints(ctx, f.course.ID, f.ann.ID, "e1", 4), gradjudge.EINVALID)
		mastery1 := func(user int64) gradjudge.ConceptMastery {
			t.Helper()
			st, err := db.Learner(ctx, f.course.ID, user)
			if err != nil || len(st.Concepts) != 1 {
				t.Fatalf("Learner = %+v, %v", st, err)
			}
			return st.Concepts[0]
		}
		// bob: hints on e2 only; his right answer to e1 is full evidence.
		if err := db.RecordHints(ctx, f.course.ID, f.bob.ID, "e2", 3); err != nil {
			t.Fatal(err)
		}
		mustSubmit(t, db, f.bob.ID, f.course.ID, "e1", numeric("1"))
		p := mastery.Defaults("chain-rule")
		if got, want := mastery1(f.bob.ID), mastery.Update(p.Prior, 1, p, 0); got.P != want || got.Streak != 1 || got.LastHinted {
			t.Errorf("bob, hints elsewhere: %+v, want P %.4f and a streak", got, want)
		}
		// ann: a wrong answer, two hint steps on e1, then a right answer.
		mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("2"))
		if err := db.RecordHints(ctx, f.course.ID, f.ann.ID, "e1", 1); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordHints(ctx, f.course.ID, f.ann.ID, "e1", 2); err != nil {
			t.Fatal(err)
		}
		mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("1"))
		after0 := mastery.Update(p.Prior, 0, p, 0)
		if got, want := mastery1(f.ann.ID), mastery.Update(after0, mastery.HintFloor, p, 0); got.P != want || got.Streak != 0 || !got.LastHinted {
			t.Errorf("ann, right after two hint steps: %+v, want P %.4f, hinted, no streak", got, want)
		}
		uses, err := db.HintUses(ctx, f.course.ID)
		if err != nil || len(uses) != 5 || uses[0].UserID != f.ann.ID || uses[0].Step != 1 || !uses[0].RevealedAt.Before(uses[1].RevealedAt) {
			t.Errorf("HintUses = %+v, %v; want ann's steps 1 and 2 (step 1 at its first showing), bob's 1 to 3", uses, err)
		}
	})
}

// TestLearnerRoundTrips counts the statements recording a verdict sends, without and with the
// learner model: the model adds none on PostgreSQL, where its read rides on the verdict's insert
// and its write on the progress statement, and two on SQLite (its read before the transaction,
// its write), whose statements are calls in the process. A right answer that repeats a variant answered right is no new evidence; one to a
// fresh variant of a solved exercise is.
func TestLearnerRoundTrips(t *testing.T) {
	forEachDB(t, Config{Learner: newTestLearner(t)}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		var n atomic.Int64
		count := func(*gorm.DB) { n.Add(1) }
		for _, g := range []*gorm.DB{db.gorm, db.read} {
			cb := g.Callback()
			for i, err := range []error{cb.Create().After("gorm:create").Register("count", count),
				cb.Query().After("gorm:query").Register("count", count), cb.Update().After("gorm:update").Register("count", count),
				cb.Delete().After("gorm:delete").Register("count", count), cb.Row().After("gorm:row").Register("count", count),
				cb.Raw().After("gorm:raw").Register("count", count)} {
				if err != nil {
					t.Fatal(i, err)
				}
			}
		}
		statements := func(learner Learner, x string) int64 {
			t.Helper()
			s := mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric(x))
			db.cfg.Learner = learner
			defer func() { db.cfg.Learner = newTestLearner(t) }()
			v := gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Misconceptions: []string{"chain-rule-add"}}
			if x == "1" {
				v = gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}
			}
			before := n.Load()
			if _, err := db.recordVerdict(ctx, s, v); err != nil {
				t.Fatal(err)
			}
			return n.Load() - before
		}
		want := int64(0)
		if db.dialect == "sqlite" {
			want = 2
		}
		plain := statements(nil, "2")
		if got := statements(newTestLearner(t), "2"); got != plain+want {
			t.Errorf("with the learner model %d statements, without %d: want %d more", got, plain, want)
		}
		statements(newTestLearner(t), "1")
		before, _ := db.Learner(ctx, f.course.ID, f.ann.ID)
		statements(newTestLearner(t), "1") // seed 7 again: answered right before
		if after, _ := db.Learner(ctx, f.course.ID, f.ann.ID); after.Concepts[0] != before.Concepts[0] {
			t.Errorf("a repeated right answer moved mastery: %+v to %+v", before.Concepts[0], after.Concepts[0])
		}
		fresh, _, err := db.CreateSubmission(ctx, gradjudge.Submission{UserID: f.ann.ID, CourseID: f.course.ID, ExerciseID: "e1",
			Kind: gradjudge.KindNumeric, Seed: 8, Answer: numeric("1")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.recordVerdict(ctx, fresh, gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}); err != nil {
			t.Fatal(err)
		}
		if after, _ := db.Learner(ctx, f.course.ID, f.ann.ID); after.Concepts[0].P <= before.Concepts[0].P || after.Concepts[0].Streak != before.Concepts[0].Streak+1 {
			t.Errorf("a right answer to a fresh variant of a solved exercise is new evidence: %+v to %+v", before.Concepts[0], after.Concepts[0])
		}
	})
}
