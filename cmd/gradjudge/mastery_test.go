package main

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gradjudge"
	"gradjudge/exercises"
	"gradjudge/judge"
	"gradjudge/store"
)

// TestMasteryFit runs `mastery fit` on a course whose submissions were judged before the learner
// model existed: too little data to fit, so the defaults stay, and the replay resolves the
// misconception the student showed and then answered right.
func TestMasteryFit(t *testing.T) {
	dir := t.TempDir()
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	j, err := judge.New(cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	db, err := store.Open(ctx, store.Config{DataDir: dir, InlineJudge: j})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	teacher, _ := db.CreateUser(ctx, gradjudge.User{Email: "t@example.com", Role: gradjudge.RoleInstructor}, "long enough")
	ann, _ := db.CreateUser(ctx, gradjudge.User{Email: "ann@example.com", Role: gradjudge.RoleStudent}, "long enough")
	course, err := db.CreateCourse(ctx, gradjudge.Course{Title: "Backprop", CreatedBy: teacher.ID})
	if err != nil {
		t.Fatal(err)
	}
	const ex, tag = "gradient-descent-step", "square-factor-dropped"
	seed := gradjudge.VariantSeed(course.ID, ann.ID, ex)
	in, err := cat.Instance(ex, seed)
	if err != nil {
		t.Fatal(err)
	}
	for _, believe := range []bool{true, false} {
		s, _, err := db.CreateSubmission(ctx, gradjudge.Submission{UserID: ann.ID, CourseID: course.ID, ExerciseID: ex, Kind: gradjudge.KindNumeric, Seed: seed,
			Answer: answerHolding(in, tag, believe)})
		if err != nil || s.Verdict == nil || slices.Contains(s.Verdict.Misconceptions, tag) != believe {
			t.Fatalf("submission believing=%v: %+v, %v", believe, s.Verdict, err)
		}
	}
	db.Close()

	if code, _, errs := runCLI(t, "", "mastery", "fit", "--data-dir", dir); code != 2 || !strings.Contains(errs, "--course") {
		t.Errorf("without --course: exit %d, %q", code, errs)
	}
	if code, _, errs := runCLI(t, "", "mastery", "fit", "--data-dir", dir, "--course", "99"); code != 1 || !strings.Contains(errs, "not found") {
		t.Errorf("unknown course: exit %d, %q", code, errs)
	}
	code, out, errs := runCLI(t, "", "mastery", "fit", "--data-dir", dir, "--course", strconv.FormatInt(course.ID, 10))
	if code != 0 || !strings.Contains(out, "2 judged submissions from 1 students") || !strings.Contains(out, "defaults: too few") ||
		!strings.Contains(out, "recomputed the models of 1 students") {
		t.Fatalf("exit %d, err %q, out:\n%s", code, errs, out)
	}
	db, err = store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := db.Learner(ctx, course.ID, ann.ID)
	if err != nil || len(st.Misconceptions) != 1 || st.Misconceptions[0].Active || st.Misconceptions[0].ResolvedBy != ex || len(st.Concepts) == 0 {
		t.Errorf("after the fit: %+v, %v; want %s resolved by %s and mastery per concept", st, err, tag, ex)
	}
}

// answerHolding is the answer of a student who holds the belief of tag, or the right answer.
func answerHolding(in *exercises.Instance, tag string, believe bool) gradjudge.Answer {
	got := in.Answers
	for _, p := range in.Predictions() {
		if believe && p.Tag == tag && !p.Slip {
			got = p.Answers
			break
		}
	}
	a := gradjudge.Answer{Fields: map[string]json.RawMessage{}}
	for i, q := range in.Exercise.Quantities {
		v := in.Answers[i]
		if got[i].Data != nil {
			v = got[i]
		}
		a.Fields[q.ID], _ = json.Marshal(v.Nested())
	}
	return a
}
