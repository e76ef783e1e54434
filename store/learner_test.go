package store

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"gradjudge"
	"gradjudge/internal/mastery"
)

// fakeVariants says that e2's variants tell chain-rule-add apart and e1's nothing.
type fakeVariants struct{}

func (fakeVariants) TellsApart(id string, seed uint64) ([]string, error) {
	if id == "e2" {
		return []string{"chain-rule-add"}, nil
	}
	return nil, nil
}

func newTestLearner(t testing.TB) *mastery.Model {
	t.Helper()
	m, err := mastery.New(mastery.Config{Catalog: fakeCatalog{}, Variants: fakeVariants{},
		Concepts: []mastery.Concept{{ID: "chain-rule"}, {ID: "relu"}}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestLearnerRecorded records verdicts through the inline judge and the workers' path: a
// misconception shown becomes active, a right answer to a variant that cannot show it leaves it
// active, one to a variant that can resolves it (with the submission, its exercise and time); a
// compile error and a repeated right answer change no mastery; the course's fitted parameters
// are used; every student enrolled is listed.
func TestLearnerRecorded(t *testing.T) {
	forEachDB(t, Config{InlineJudge: newFakeJudge(), Learner: newTestLearner(t)}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		learner := func() gradjudge.LearnerState {
			t.Helper()
			st, err := db.Learner(ctx, f.course.ID, f.ann.ID)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("2"))
		st := learner()
		if len(st.Misconceptions) != 1 || !st.Misconceptions[0].Active || st.Misconceptions[0].ShownIn != "e1" ||
			len(st.Concepts) != 1 || st.Concepts[0].P >= mastery.DefaultPrior {
			t.Fatalf("after a wrong answer showing chain-rule-add: %+v", st)
		}
		mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("1"))
		if st := learner(); !st.Misconceptions[0].Active || st.Concepts[0].Streak != 1 {
			t.Fatalf("after a right answer to e1, which cannot show it: %+v", st)
		}
		right := mustSubmit(t, db, f.ann.ID, f.course.ID, "e2", numeric("1"))
		m := learner().Misconceptions[0]
		if m.Active || m.ResolvedBy != "e2" || m.ResolvedBySubmission != right.ID || m.ResolvedAt == nil || !m.ResolvedAt.Equal(right.CreatedAt) {
			t.Fatalf("after a right answer to e2 (submission %d at %v): %+v", right.ID, right.CreatedAt, m)
		}
		before := learner()
		code := mustSubmit(t, db, f.ann.ID, f.course.ID, "e3", gradjudge.Answer{Code: "package x"})
		if _, err := db.recordVerdict(ctx, code, gradjudge.Verdict{Status: gradjudge.StatusCompileError}); err != nil {
			t.Fatal(err)
		}
		mustSubmit(t, db, f.ann.ID, f.course.ID, "e2", numeric("1")) // solved before: a repeat
		if after := learner(); !slices.Equal(after.Concepts, before.Concepts) {
			t.Errorf("a compile error and a repeated right answer moved mastery:\n%+v\nto\n%+v", before.Concepts, after.Concepts)
		}

		fitted := []gradjudge.MasteryParams{{Concept: "chain-rule", Prior: 0.9, Learn: 0.1, Guess: 0.1, Slip: 0.1}}
		if err := db.SetMasteryParams(ctx, f.course.ID, fitted); err != nil {
			t.Fatal(err)
		}
		if got, err := db.MasteryParams(ctx, f.course.ID); err != nil || !slices.Equal(got, fitted) {
			t.Errorf("MasteryParams = %+v, %v; want %+v", got, err, fitted)
		}
		mustSubmit(t, db, f.bob.ID, f.course.ID, "e1", numeric("1"))
		all, err := db.CourseLearners(ctx, f.course.ID)
		if err != nil || len(all) != 2 || all[0].UserID != f.ann.ID || all[1].UserID != f.bob.ID {
			t.Fatalf("CourseLearners = %+v, %v", all, err)
		}
		if want := mastery.Update(0.9, 1, fitted[0], 0); len(all[1].Concepts) != 1 || all[1].Concepts[0].P != want {
			t.Errorf("bob after one right answer under the fitted prior 0.9: %+v, want P %.4f", all[1].Concepts, want)
		}
	})
}

// TestLearnerErrors checks the unknown course and replacing a student's model.
func TestLearnerErrors(t *testing.T) {
	forEachDB(t, Config{Learner: newTestLearner(t)}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		_, err := db.Learner(ctx, 999, f.ann.ID)
		wantCode(t, err, gradjudge.ENOTFOUND)
		wantCode(t, db.SetMasteryParams(ctx, 999, nil), gradjudge.ENOTFOUND)
		st := gradjudge.LearnerState{CourseID: f.course.ID, UserID: f.ann.ID,
			Concepts: []gradjudge.ConceptMastery{{Concept: "relu", P: 0.5, Observations: 2, UpdatedAt: f.course.CreatedAt}}}
		if err := db.ReplaceLearners(ctx, f.course.ID, []gradjudge.LearnerState{st}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Learner(ctx, f.course.ID, f.ann.ID)
		if err != nil || len(got.Concepts) != 1 || got.Concepts[0] != st.Concepts[0] {
			t.Errorf("after ReplaceLearners: %+v, %v; want %+v", got, err, st)
		}
	})
}

// TestMigrationBackfillsMisconceptions checks that migration 6 turns the misconceptions shown
// before it into active statuses: counted, with the first and latest showing.
func TestMigrationBackfillsMisconceptions(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		p, err := db.goose()
		if err != nil {
			t.Fatal(err)
		}
		// The verdicts are written on the newest schema (the write path needs all of it); going
		// down to 5 then drops what the learner model (6) and later migrations keep.
		var subs []gradjudge.Submission
		for _, ex := range []string{"e1", "e2"} {
			s := mustSubmit(t, db, f.ann.ID, f.course.ID, ex, numeric("2"))
			if _, err := db.recordVerdict(ctx, s, gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Misconceptions: []string{"chain-rule-add"}}); err != nil {
				t.Fatal(err)
			}
			subs = append(subs, s)
		}
		if _, err := p.DownTo(ctx, 5); err != nil { // before the learner model
			t.Fatal(err)
		}
		if _, err := p.Up(ctx); err != nil {
			t.Fatal(err)
		}
		st, err := db.Learner(ctx, f.course.ID, f.ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := gradjudge.MisconceptionStatus{Tag: "chain-rule-add", Active: true, Shown: 2, ShownIn: "e2",
			FirstShownAt: subs[0].CreatedAt, LastShownAt: subs[1].CreatedAt}
		if len(st.Misconceptions) != 1 || st.Misconceptions[0] != want {
			t.Errorf("after migrating: %+v, want %+v", st.Misconceptions, want)
		}
	})
}

// TestLearnerConcurrentVerdicts records a student's first verdicts at once: every one is
// applied, none lost to another's write (on PostgreSQL the row is locked, and a lost insert race
// reads again).
func TestLearnerConcurrentVerdicts(t *testing.T) {
	forEachDB(t, Config{Learner: newTestLearner(t)}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		const n = 8
		subs := make([]gradjudge.Submission, n)
		for i := range subs {
			subs[i] = mustSubmit(t, db, f.ann.ID, f.course.ID, "e1", numeric("2"+strings.Repeat(" ", i)))
		}
		var wg sync.WaitGroup
		for _, s := range subs {
			wg.Go(func() {
				if _, err := db.recordVerdict(ctx, s, gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		st, err := db.Learner(ctx, f.course.ID, f.ann.ID)
		if err != nil || len(st.Concepts) != 1 || st.Concepts[0].Observations != n {
			t.Errorf("after %d verdicts at once: %+v, %v; want %d observations", n, st, err, n)
		}
	})
}
