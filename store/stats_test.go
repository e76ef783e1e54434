package store

import (
	"reflect"
	"testing"

	"gradjudge"
)

// judgeNow grades and records each answer in order, as one worker would.
func judgeNow(t *testing.T, db *DB, userID, courseID int64, exercise string, xs ...string) {
	t.Helper()
	j := newFakeJudge()
	for _, x := range xs {
		s := mustSubmit(t, db, userID, courseID, exercise, numeric(x))
		v, err := j.Grade(t.Context(), exercise, s.Seed, s.Answer)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.recordVerdict(t.Context(), s, v); err != nil {
			t.Fatal(err)
		}
	}
}

// TestProgressAndStats checks the roll-ups against numbers worked by hand.
func TestProgressAndStats(t *testing.T) {
	forEachDB(t, Config{}, func(t *testing.T, db *DB) {
		ctx := t.Context()
		f := newFixture(t, db) // course uses e1 (chain-rule) and e2 (chain-rule, relu)
		carol := mustUser(t, db, "carol@example.com", gradjudge.RoleStudent)
		if _, err := db.Enroll(ctx, f.course.ID, carol.Email, gradjudge.CourseStudent); err != nil {
			t.Fatal(err)
		}
		judgeNow(t, db, f.ann.ID, f.course.ID, "e1", "2", "1")           // wrong (chain-rule-add), accepted
		judgeNow(t, db, f.ann.ID, f.course.ID, "e2", "0.5", "?")         // partial; invalid is no attempt
		judgeNow(t, db, f.bob.ID, f.course.ID, "e1", "3", "2", "1", "1") // solved at the 3rd attempt
		judgeNow(t, db, f.teacher.ID, f.course.ID, "e1", "2")            // staff: not in the stats

		p, err := db.testProgress(ctx, f.course.ID, f.ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		type ex struct {
			id       string
			attempts int
			best     float64
			solved   bool
		}
		var gotEx []ex
		for _, e := range p.Exercises {
			gotEx = append(gotEx, ex{e.ExerciseID, e.Attempts, e.BestScore, e.Solved()})
		}
		if want := []ex{{"e1", 2, 1, true}, {"e2", 1, 0.5, false}}; !reflect.DeepEqual(gotEx, want) {
			t.Errorf("ann's exercises %+v, want %+v", gotEx, want)
		}
		wantConcepts := []gradjudge.ConceptProgress{
			{Concept: "chain-rule", Exercises: 2, Solved: 1, Attempts: 3, MeanScore: 0.75, MeanGrade: 0.75, Misconceptions: 1},
			{Concept: "relu", Exercises: 1, Solved: 0, Attempts: 1, MeanScore: 0.5, MeanGrade: 0.5, Misconceptions: 0},
		}
		if !reflect.DeepEqual(p.Concepts, wantConcepts) {
			t.Errorf("ann's concepts %+v, want %+v", p.Concepts, wantConcepts)
		}
		if len(p.Misconceptions) != 1 || p.Misconceptions[0].Tag != "chain-rule-add" || p.Misconceptions[0].ExerciseID != "e1" {
			t.Errorf("ann's misconceptions %+v", p.Misconceptions)
		}

		book, err := db.testCourseProgress(ctx, f.course.ID)
		if err != nil || len(book) != 3 || book[0].UserID != f.ann.ID || book[2].UserID != carol.ID || book[2].Exercises[0].Attempts != 0 {
			t.Errorf("CourseProgress: %d students, %v", len(book), err)
		}

		st, err := db.testStats(ctx, f.course.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := gradjudge.CourseStats{
			CourseID: f.course.ID,
			Students: 3,
			Exercises: []gradjudge.ExerciseStats{
				{ExerciseID: "e1", Students: 2, Attempts: 6, Passed: 2, PassRate: 1, MeanGrade: 1, MedianAttemptsToPass: 2.5,
					Misconceptions: []gradjudge.TagCount{
						{Tag: "chain-rule-add", Events: 3, Students: 2, Prevalence: 1},
						{Tag: "relu-gate-ignored", Events: 1, Students: 1, Prevalence: 0.5},
					}},
				{ExerciseID: "e2", Students: 1, Attempts: 1, MeanGrade: 0.5, Misconceptions: []gradjudge.TagCount{}},
			},
			Concepts: []gradjudge.ConceptStats{
				{Concept: "chain-rule", Students: 2, Misconceptions: []gradjudge.TagCount{{Tag: "chain-rule-add", Events: 3, Students: 2, Prevalence: 1}}},
				{Concept: "relu", Students: 2, Misconceptions: []gradjudge.TagCount{{Tag: "relu-gate-ignored", Events: 1, Students: 1, Prevalence: 0.5}}},
			},
		}
		if !reflect.DeepEqual(st, want) {
			t.Errorf("CourseStats\n got %+v\nwant %+v", st, want)
		}

		_, err = db.testStats(ctx, 9999)
		wantCode(t, err, gradjudge.ENOTFOUND)
		_, err = db.testProgress(ctx, 9999, f.ann.ID)
		wantCode(t, err, gradjudge.ENOTFOUND)
	})
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []int
		want float64
	}{{nil, 0}, {[]int{3}, 3}, {[]int{4, 1}, 2.5}, {[]int{5, 1, 3}, 3}} {
		if got := gradjudge.Median(c.xs); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}
