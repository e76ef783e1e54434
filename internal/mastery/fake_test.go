package mastery

import (
	"testing"
	"time"

	"gradjudge"
)

// fakeCatalog is a catalog of four exercises over concepts a, b, c (taught in that order) and two
// misconceptions.
type fakeCatalog struct{}

func (fakeCatalog) Exercises() []gradjudge.Exercise {
	return []gradjudge.Exercise{
		{ID: "e1", Title: "One", Kind: gradjudge.KindNumeric, Concepts: []string{"a"}},
		{ID: "e2", Title: "Two", Kind: gradjudge.KindNumeric, Concepts: []string{"a", "b"}},
		{ID: "e3", Title: "Three", Kind: gradjudge.KindCode, Concepts: []string{"b"}},
		{ID: "q1", Title: "Quiz", Kind: gradjudge.KindChoice, Concepts: []string{"c"}},
	}
}

func (fakeCatalog) Misconceptions() []gradjudge.Misconception {
	return []gradjudge.Misconception{{Tag: "ta", Title: "Belief A", Concept: "a"}, {Tag: "tb", Title: "Belief B", Concept: "b"}}
}

func (fakeCatalog) Variant(id string, seed uint64) (gradjudge.Variant, error) {
	if id != "q1" {
		return gradjudge.Variant{}, nil
	}
	return gradjudge.Variant{Options: make([]gradjudge.ChoiceOption, 4)}, nil
}

// fakeVariants tells apart, on every seed, the tags listed for an exercise, and counts its calls.
type fakeVariants struct {
	tags  map[string][]string
	calls int
}

func (f *fakeVariants) TellsApart(id string, seed uint64) ([]string, error) {
	f.calls++
	if t, ok := f.tags[id]; ok {
		return t, nil
	}
	return nil, gradjudge.Errorf(gradjudge.ENOTFOUND, "no exercise %s", id)
}

func newFakeModel(t *testing.T) (*Model, *fakeVariants) {
	t.Helper()
	v := &fakeVariants{tags: map[string][]string{"e1": {"ta"}, "e2": {"ta", "tb"}, "e3": {}, "q1": {}}}
	m, err := New(Config{Catalog: fakeCatalog{}, Variants: v,
		Concepts: []Concept{{"a", "Concept A"}, {"b", "Concept B"}, {"c", "Concept C"}}})
	if err != nil {
		t.Fatal(err)
	}
	return m, v
}

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

// answer is the evidence of a submission made at minute min to exercise id.
func (m *Model) answer(t *testing.T, st gradjudge.LearnerState, id string, min int, v gradjudge.Verdict) gradjudge.LearnerEvidence {
	t.Helper()
	var active []string
	for _, s := range st.Misconceptions {
		if s.Active {
			active = append(active, s.Tag)
		}
	}
	ev, err := m.Evidence(gradjudge.Submission{ID: int64(min), ExerciseID: id, Seed: 1, CreatedAt: at(min)}, v, active)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

var (
	right = gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}
	wrong = gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer}
)

func showing(tags ...string) gradjudge.Verdict {
	return gradjudge.Verdict{Status: gradjudge.StatusWrongAnswer, Misconceptions: tags}
}
