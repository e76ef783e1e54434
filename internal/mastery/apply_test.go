package mastery

import (
	"strings"
	"testing"

	"gradjudge"
)

// TestResolution walks one misconception through showing, a right answer that cannot show it, a
// right answer that could (resolved, with its date and exercise), showing again (reopened), and a
// right answer made before the latest showing (not resolved).
func TestResolution(t *testing.T) {
	m, v := newFakeModel(t)
	var st gradjudge.LearnerState
	step := func(id string, min int, verdict gradjudge.Verdict) Change {
		return Apply(nil, &st, m.answer(t, st, id, min, verdict))
	}
	status := func() gradjudge.MisconceptionStatus { return st.Misconceptions[0] }

	if ch := step("e2", 1, showing("ta")); len(ch.Misconceptions) != 1 || !status().Active || status().ShownIn != "e2" {
		t.Fatalf("after showing: %+v (change %+v), want ta active, shown in e2", st.Misconceptions, ch)
	}
	if step("e3", 2, right); !status().Active {
		t.Fatalf("a right answer to e3, which cannot show ta, resolved it: %+v", status())
	}
	ch := step("e1", 3, right)
	s := status()
	if s.Active || s.ResolvedAt == nil || !s.ResolvedAt.Equal(at(3)) || s.ResolvedBy != "e1" || s.ResolvedBySubmission != 3 {
		t.Fatalf("after a right answer to e1: %+v, want resolved at minute 3 by e1 (submission 3)", s)
	}
	if len(ch.Misconceptions) != 1 {
		t.Errorf("the resolving change = %+v, want the one status", ch.Misconceptions)
	}
	calls := v.calls
	step("e1", 4, right)
	if v.calls != calls {
		t.Errorf("a right answer with no active misconception asked the judge what its variant tells apart")
	}
	step("e1", 5, showing("ta"))
	if s := status(); !s.Active || s.Reopened != 1 || s.Shown != 2 || s.ResolvedAt != nil || s.ResolvedBy != "" {
		t.Fatalf("after showing again: %+v, want active, reopened once, shown twice, no resolution", s)
	}
	if step("e2", 4, right); !status().Active {
		t.Errorf("a right answer made before the latest showing resolved it: %+v", status())
	}
}

// TestApplyConcepts checks which concepts a verdict moves: the exercise's and a shown tag's; none
// for a compile error; none for a right answer to a variant answered right before.
func TestApplyConcepts(t *testing.T) {
	m, _ := newFakeModel(t)
	var st gradjudge.LearnerState
	if ch := Apply(nil, &st, m.answer(t, st, "e3", 1, gradjudge.Verdict{Status: gradjudge.StatusCompileError})); !ch.Empty() {
		t.Errorf("a compile error changed %+v", ch)
	}
	ch := Apply(nil, &st, m.answer(t, st, "e1", 2, showing("tb")))
	if len(ch.Concepts) != 2 || ch.Concepts[0].Concept != "a" || ch.Concepts[1].Concept != "b" {
		t.Errorf("showing tb on e1 changed concepts %+v, want a (the exercise's) and b (the tag's)", ch.Concepts)
	}
	Apply(nil, &st, m.answer(t, st, "e1", 3, right))
	ev := m.answer(t, st, "e1", 4, right)
	ev.Repeat = true
	before := Mastery(nil, st, "a")
	if ch := Apply(nil, &st, ev); len(ch.Concepts) != 0 || Mastery(nil, st, "a") != before {
		t.Errorf("a repeated right answer changed %+v", ch.Concepts)
	}
}

// TestExplain checks the words a student reads.
func TestExplain(t *testing.T) {
	m, _ := newFakeModel(t)
	var st gradjudge.LearnerState
	if e := m.Explain(nil, st, "a"); e.Words != "no answers yet" || e.Measured {
		t.Errorf("no evidence: %+v; want no answers yet, not measured", e)
	}
	for min := 1; min <= 4; min++ {
		Apply(nil, &st, m.answer(t, st, "e1", min, right))
	}
	e := m.Explain(nil, st, "a")
	if e.Words != "likely mastered: 4 right in a row on new variants" || !e.Mastered || !e.Measured || e.Percent < 95 {
		t.Errorf("four right: %+v", e)
	}
	Apply(nil, &st, m.answer(t, st, "e1", 5, showing("ta")))
	if e := m.Explain(nil, st, "a"); e.Mastered || !strings.HasPrefix(e.Words, `not yet mastered: "Belief A" is still open (shown in "One")`) {
		t.Errorf("after showing ta: %+v", e)
	}
	Apply(nil, &st, m.answer(t, st, "e2", 6, wrong))
	if got := m.Explain(nil, st, "b").Words; got != "not yet: the last answer was not fully right" {
		t.Errorf("one wrong answer: %q", got)
	}
	hinted := m.answer(t, st, "e2", 7, right)
	hinted.Hints = 2
	Apply(nil, &st, hinted)
	if got := m.Explain(nil, st, "b").Words; got != "not yet: the last answer was right but came after hints, so it counts for less than one without" {
		t.Errorf("a right answer after hints: %q", got)
	}
}

// TestSuggest checks the next exercise: one that tells apart the active misconception (unsolved
// first), else the least-mastered concept whose earlier concepts are mastered, else nothing.
func TestSuggest(t *testing.T) {
	m, _ := newFakeModel(t)
	course := []Option{{ExerciseID: "e1", Seed: 1}, {ExerciseID: "e2", Seed: 1}, {ExerciseID: "e3", Seed: 1}, {ExerciseID: "q1", Seed: 1}}
	var st gradjudge.LearnerState
	suggest := func() Suggestion {
		s, err := m.Suggest(nil, st, course)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := suggest(); s.ExerciseID != "e1" || s.Concept != "a" || !strings.Contains(s.Why, "Concept A") ||
		!strings.Contains(s.Why, "the course's first concept, which you have not answered yet") || strings.Contains(s.Why, "%") {
		t.Errorf("first suggestion %+v, want e1 for concept a, the first concept, with no level shown", s)
	}
	Apply(nil, &st, m.answer(t, st, "e2", 1, showing("tb")))
	if s := suggest(); s.ExerciseID != "e2" || s.Tag != "tb" || !strings.Contains(s.Why, `"Belief B"`) {
		t.Errorf("with tb active: %+v, want e2, the one exercise telling tb apart", s)
	}
	Apply(nil, &st, m.answer(t, st, "e2", 2, right))
	course[1].Solved = true
	for min := 3; min <= 5; min++ {
		Apply(nil, &st, m.answer(t, st, "e1", min, right))
	}
	course[0].Solved = true
	if s := suggest(); s.ExerciseID != "e3" || s.Concept != "b" || s.Tag != "" || !strings.Contains(s.Why, "whose earlier concepts you have mastered (") {
		t.Errorf("with a mastered and tb resolved: %+v, want e3 for concept b", s)
	}
	course[2].Solved, course[3].Solved = true, true
	if s := suggest(); s.ExerciseID != "" || s.Why == "" {
		t.Errorf("with every exercise solved: %+v, want no exercise and a reason", s)
	}
}

// TestMisconceptionViews checks the student's list: active first (latest shown first), resolved
// below with how they were resolved.
func TestMisconceptionViews(t *testing.T) {
	m, _ := newFakeModel(t)
	var st gradjudge.LearnerState
	Apply(nil, &st, m.answer(t, st, "e1", 1, showing("ta")))
	Apply(nil, &st, m.answer(t, st, "e3", 2, showing("tb")))
	Apply(nil, &st, m.answer(t, st, "e3", 3, showing("tb")))
	views := m.Misconceptions(st)
	if len(views) != 2 || views[0].Tag != "tb" || views[0].Words != `shown 2 times, last in "Three" on 1 Dec 2026` {
		t.Errorf("both active: %+v", views)
	}
	Apply(nil, &st, m.answer(t, st, "e1", 4, right))
	views = m.Misconceptions(st)
	if views[0].Tag != "tb" || views[1].Tag != "ta" || views[1].Words != `resolved on 1 Dec 2026 by a right answer to "One"` || views[1].Title != "Belief A" {
		t.Errorf("ta resolved: %+v", views)
	}
}

// TestRaise checks what the student reads would raise a concept: an exercise on it left to
// solve, a variant resolving the open misconception, nothing once mastered, and, with every
// exercise on it solved, why a repeat cannot raise it further.
func TestRaise(t *testing.T) {
	m, _ := newFakeModel(t)
	course := []Option{{ExerciseID: "e1", Seed: 1}, {ExerciseID: "e2", Seed: 1}, {ExerciseID: "q1", Seed: 1, Solved: true}}
	var st gradjudge.LearnerState
	tests := []struct {
		name, concept, want string
	}{
		{"an exercise left", "a", `A right answer to "One" would raise it.`},
		{"the one exercise solved", "c", "You have answered the one exercise on it right, and answering a variant right again is no new evidence, so this is as high as your answers can show; more exercises on it would show more."},
		{"not in the course", "z", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := m.Raise(nil, st, tc.concept, course); got != tc.want {
				t.Errorf("Raise(%s) = %q, want %q", tc.concept, got, tc.want)
			}
		})
	}
	course[0].Solved, course[1].Solved = true, true
	if got := m.Raise(nil, st, "a", course); !strings.HasPrefix(got, "You have answered all 2 exercises on it right") {
		t.Errorf("every exercise on a solved: %q", got)
	}
	Apply(nil, &st, m.answer(t, st, "e1", 1, showing("ta")))
	if got := m.Raise(nil, st, "a", course); got != `A right answer to a variant that could show "Belief A" again resolves it.` {
		t.Errorf("with ta open: %q", got)
	}
	for min := 2; min <= 6; min++ {
		Apply(nil, &st, m.answer(t, st, "e2", min, right))
	}
	if got := m.Raise(nil, st, "a", course); got != "" || !m.Mastered(nil, st, "a") {
		t.Errorf("mastered: %q", got)
	}
}
