package app

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"gradjudge"
	"gradjudge/internal/mastery"
	"gradjudge/store"
)

// signJudge grades "num" by its field x: "1" is right, anything else wrong with chain-rule-add.
type signJudge struct{}

func (signJudge) Grade(_ context.Context, id string, _ uint64, a gradjudge.Answer) (gradjudge.Verdict, error) {
	if string(a.Fields["x"]) == `"1"` {
		return gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}, nil
	}
	return gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Misconceptions: []string{"chain-rule-add"}}, nil
}

// numTellsApart says that every variant of num tells chain-rule-add apart.
type numTellsApart struct{}

func (numTellsApart) TellsApart(id string, _ uint64) ([]string, error) {
	if id == "num" {
		return []string{"chain-rule-add"}, nil
	}
	return nil, nil
}

// TestLearning submits through the core to a store that updates the learner model: the student
// reads their concepts, their misconception active then resolved, and a suggestion that tests the
// misconception while it is active; another student may not read theirs; the instructor reads the
// class's counts and a student may not.
func TestLearning(t *testing.T) {
	m, err := mastery.New(mastery.Config{Catalog: testCatalog{}, Variants: numTellsApart{},
		Concepts: []mastery.Concept{{ID: "chain-rule", Title: "The chain rule"}}})
	if err != nil {
		t.Fatal(err)
	}
	var f *fixture
	f = newFixtureStore(t, store.Config{Learner: m, InlineJudge: signJudge{}}, func(d *Deps) {
		d.Learners, d.Mastery = d.Progress.(*store.DB), m
	})
	ctx := t.Context()
	alice := f.visit(t, f.alice)
	submit := func(x string) {
		t.Helper()
		s, err := f.app.Submit(ctx, alice, SubmitRequest{ExerciseID: "num", Wait: -1,
			Answer: gradjudge.Answer{Fields: map[string]json.RawMessage{"x": json.RawMessage(`"` + x + `"`)}}})
		if err != nil || s.Verdict == nil {
			t.Fatalf("submit %s: %+v, %v", x, s, err)
		}
	}
	submit("2")
	l, err := f.app.Learning(ctx, alice, f.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Misconceptions) != 1 || !l.Misconceptions[0].Active || l.Next.ExerciseID != "num" || l.Next.Tag != "chain-rule-add" ||
		len(l.Concepts) != 2 || l.Concepts[0].Concept != "chain-rule" || !strings.HasPrefix(l.Concepts[0].Words, "not yet mastered") {
		t.Fatalf("after a wrong answer: %+v", l)
	}
	submit("1")
	if l, err = f.app.Learning(ctx, alice, f.alice.ID); err != nil || l.Misconceptions[0].Active ||
		!strings.HasPrefix(l.Misconceptions[0].Words, "resolved on") {
		t.Fatalf("after a right answer: %+v, %v", l, err)
	}
	_, err = f.app.Learning(ctx, f.visit(t, f.bob), f.alice.ID)
	wantCode(t, "bob reads alice's learning", err, gradjudge.EFORBIDDEN)
	c, err := f.app.ClassLearning(ctx, f.visit(t, f.inst))
	if err != nil || len(c.Tags) != 1 || c.Tags[0] != (mastery.TagStatus{Tag: "chain-rule-add", Resolved: 1}) || len(c.Students) != 2 ||
		len(c.Concepts) == 0 || c.Concepts[0].Students != 1 {
		t.Errorf("the class: %+v, %v", c, err)
	}
	_, err = f.app.ClassLearning(ctx, alice)
	wantCode(t, "a student reads the class", err, gradjudge.EFORBIDDEN)
	if m, err := f.app.ClassMastery(ctx, f.visit(t, f.inst)); err != nil || !reflect.DeepEqual(m, c.ClassMastery) {
		t.Errorf("the class's summary (the dashboard's) = %+v, %v; want ClassLearning's %+v", m, err, c.ClassMastery)
	}
	_, err = f.app.ClassMastery(ctx, alice)
	wantCode(t, "a student reads the class's summary", err, gradjudge.EFORBIDDEN)

	sl, err := f.app.StudentLearning(ctx, f.visit(t, f.inst), f.alice.ID)
	if err != nil || sl.Student.UserID != f.alice.ID || sl.Student.Name != "alice" || len(sl.Misconceptions) != 1 || sl.Misconceptions[0].ResolvedBy != "num" {
		t.Errorf("the instructor reads alice's: %+v, %v", sl, err)
	}
	_, err = f.app.StudentLearning(ctx, alice, f.alice.ID)
	wantCode(t, "a student reads their own through the staff's door", err, gradjudge.EFORBIDDEN)
	_, err = f.app.StudentLearning(ctx, f.visit(t, f.inst), f.inst.ID)
	wantCode(t, "the instructor names themself", err, gradjudge.ENOTFOUND)
	_, err = f.app.StudentLearning(ctx, f.visit(t, f.inst), 9999)
	wantCode(t, "no such user", err, gradjudge.ENOTFOUND)
}

// TestLearningUnavailable: a core built without the learner model says so as an internal error.
func TestLearningUnavailable(t *testing.T) {
	f := newFixture(t, nil)
	_, err := f.app.Learning(t.Context(), f.visit(t, f.alice), f.alice.ID)
	wantCode(t, "no learner model", err, gradjudge.EINTERNAL)
}
