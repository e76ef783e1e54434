package store

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gradjudge"
)

// TestCourseMasteryIsSummary checks CourseMastery against the Summary of every model
// CourseLearners decodes, for models written each way: replaced (probabilities that need all 17
// digits, 0 and 1, a concept id with the packing's field separator in it, active and resolved
// misconceptions, none at all), updated by verdicts one at a time and at once (on PostgreSQL
// some are written again after a lost race), and backfilled by migration 6 from misconception
// events, before the summary existed; also a student without a model, and a model of the
// course's teacher, who is not listed. Every write but the backfill stores the summary.
func TestCourseMasteryIsSummary(t *testing.T) {
	forEachDB(t, Config{Learner: newTestLearner(t)}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		cy := mustUser(t, db, "cy@example.com", gradjudge.RoleStudent)
		dee := mustUser(t, db, "dee@example.com", gradjudge.RoleStudent)
		for _, u := range []gradjudge.User{cy, dee} {
			if _, err := db.Enroll(ctx, f.course.ID, u.Email, gradjudge.CourseStudent); err != nil {
				t.Fatal(err)
			}
		}
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		resolved := at.Add(time.Hour)
		states := []gradjudge.LearnerState{
			{UserID: f.ann.ID,
				Concepts: []gradjudge.ConceptMastery{
					{Concept: "chain-rule", P: 0.1 + 0.2, Observations: 7, Streak: 2, LastRight: true, UpdatedAt: at},
					{Concept: "relu", P: math.Nextafter(1, 0), Observations: 1, LastHinted: true, UpdatedAt: at},
					{Concept: "odd|id", P: 1e-7, Observations: 12, UpdatedAt: at},
					{Concept: "zero", P: 0, Observations: 3, UpdatedAt: at},
					{Concept: "one", P: 1, Observations: 4, UpdatedAt: at},
				},
				Misconceptions: []gradjudge.MisconceptionStatus{
					{Tag: "chain-rule-add", Active: true, Shown: 2, FirstShownAt: at, LastShownAt: at, ShownIn: "e1"},
					{Tag: "relu-gate-ignored", Shown: 1, FirstShownAt: at, LastShownAt: at, ShownIn: "e2",
						ResolvedAt: &resolved, ResolvedBy: "e2", ResolvedBySubmission: 9},
				}},
			{UserID: f.bob.ID, Concepts: []gradjudge.ConceptMastery{{Concept: "relu", P: 2.0 / 3, Observations: 1, UpdatedAt: at}}},
			{UserID: f.teacher.ID, Concepts: []gradjudge.ConceptMastery{{Concept: "relu", P: 0.5, Observations: 1, UpdatedAt: at}}},
		}
		shows := gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Misconceptions: []string{"chain-rule-add"}}
		judged := func(u gradjudge.User, ex string, v gradjudge.Verdict) {
			t.Helper()
			if _, err := db.recordVerdict(ctx, mustSubmit(t, db, u.ID, f.course.ID, ex, numeric("2")), v); err != nil {
				t.Fatal(err)
			}
		}
		judged(dee, "e1", shows)
		backfillLearners(t, db)
		if err := db.ReplaceLearners(ctx, f.course.ID, states); err != nil {
			t.Fatal(err)
		}
		judged(cy, "e1", shows)
		judged(cy, "e2", gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1})
		var wg sync.WaitGroup
		for i := range 6 {
			s := mustSubmit(t, db, cy.ID, f.course.ID, "e1", numeric("3"+strings.Repeat(" ", i)))
			wg.Go(func() {
				if _, err := db.recordVerdict(ctx, s, shows); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()

		full, err := db.CourseLearners(ctx, f.course.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.CourseMastery(ctx, f.course.ID)
		if err != nil {
			t.Fatal(err)
		}
		var summarized []int64
		if err := db.gorm.Raw("SELECT user_id FROM learner_models WHERE course_id = ? AND summary IS NOT NULL ORDER BY user_id", f.course.ID).Scan(&summarized).Error; err != nil {
			t.Fatal(err)
		}
		if want := []int64{f.teacher.ID, f.ann.ID, f.bob.ID, cy.ID}; !slices.Equal(summarized, want) {
			t.Errorf("models with a stored summary: users %v, want %v (all but the backfilled one)", summarized, want)
		}
		if len(got) != 4 || len(full) != 4 {
			t.Fatalf("CourseMastery lists %d students, CourseLearners %d; want 4", len(got), len(full))
		}
		for i, st := range full {
			if want := st.Summary(); !reflect.DeepEqual(got[i], want) {
				t.Errorf("student %d:\n got %+v\nwant %+v", st.UserID, got[i], want)
			}
		}
		if st := full[3]; st.UserID != dee.ID || len(st.Misconceptions) != 1 || !st.Misconceptions[0].Active {
			t.Errorf("dee's backfilled model: %+v", st)
		}
		if st := full[2]; st.UserID != cy.ID || len(st.Concepts) == 0 || st.Concepts[0].Observations != 8 || len(st.Misconceptions) != 1 {
			t.Errorf("cy's model after 8 verdicts: %+v", st)
		}
		if none, err := db.CourseMastery(ctx, 999); err != nil || len(none) != 0 {
			t.Errorf("CourseMastery of an unknown course = %+v, %v; want none", none, err)
		}
	})
}

// backfillLearners runs migration 6's backfill again: down to 5, then up.
func backfillLearners(t *testing.T, db *DB) {
	t.Helper()
	p, err := db.goose()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(t.Context(), 5); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(t.Context()); err != nil {
		t.Fatal(err)
	}
}
