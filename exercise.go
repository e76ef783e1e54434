package gradjudge

import (
	"cmp"
	"context"
	"encoding/json"
	"strings"
)

// ExerciseKind says how an exercise is answered.
type ExerciseKind string

// The exercise kinds.
const (
	KindNumeric ExerciseKind = "numeric" // hand-computed numbers for asked quantities
	KindChoice  ExerciseKind = "choice"  // one option of several, each tagged or correct
	KindCode    ExerciseKind = "code"    // a Go function with a given signature
)

// Exercise is the public summary of a catalog exercise.
type Exercise struct {
	ID       string       `json:"id"`
	Title    string       `json:"title"`
	Kind     ExerciseKind `json:"kind"`
	Concepts []string     `json:"concepts"`
}

// Variant is one student's version of an exercise, derived from a seed. It is safe to show to the
// student: it never holds the expected answers.
type Variant struct {
	Exercise
	Seed       uint64          `json:"seed"`
	Statement  string          `json:"statement"`        // Markdown with the variant's values filled in
	Graph      string          `json:"graph,omitempty"`  // the program in the graph language
	Inputs     map[string]any  `json:"inputs,omitempty"` // name → number or nested lists
	Quantities []AskedQuantity `json:"quantities,omitempty"`
	Options    []ChoiceOption  `json:"options,omitempty"`
	Signature  string          `json:"signature,omitempty"` // code exercises: the Go signature to write
	Starter    string          `json:"starter,omitempty"`   // code exercises: starter code
}

// AskedQuantity is one thing a numeric exercise asks for.
type AskedQuantity struct {
	ID         string `json:"id"`
	Label      string `json:"label"`      // as shown to students, e.g. ∂L/∂w
	Expression string `json:"expression"` // in the quantity syntax, e.g. grad(L, w)
	Tolerance  string `json:"tolerance"`  // in plain words
	// Shape is the shape the answer must have: empty for a number, [n] for a vector of n, [m n]
	// for an m×n matrix. It says nothing of the values.
	Shape []int `json:"shape,omitempty"`
}

// ChoiceOption is one option of a choice exercise, without its tag or correctness.
type ChoiceOption struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Misconception is one entry of the misconception catalog.
type Misconception struct {
	Tag         string `json:"tag"`
	Title       string `json:"title"`
	Explanation string `json:"explanation"` // two or three sentences for a student
	Concept     string `json:"concept"`
}

// Answer is what a student submits for one exercise. Exactly one part is used, by the exercise's
// kind: Fields for numeric (quantity id → a JSON string such as "-3/4" or a JSON array), Choice
// for choice, Code for code.
type Answer struct {
	Fields map[string]json.RawMessage `json:"fields,omitempty"`
	Choice string                     `json:"choice,omitempty"`
	Code   string                     `json:"code,omitempty"`
}

// Has says whether a carries the part an exercise of kind is answered with: non-empty Fields for
// numeric, Choice for choice, Code for code. It does not look at the other parts.
func (a Answer) Has(kind ExerciseKind) bool {
	switch kind {
	case KindNumeric:
		return len(a.Fields) > 0
	case KindChoice:
		return a.Choice != ""
	case KindCode:
		return a.Code != ""
	}
	return false
}

// Catalog lists exercises and derives variants. Implemented by exercises.Catalog.
type Catalog interface {
	Exercises() []Exercise
	// Variant returns the variant of exercise id for seed; ENOTFOUND for an unknown id.
	Variant(id string, seed uint64) (Variant, error)
	Misconceptions() []Misconception
}

// Judge grades one answer to the variant of an exercise. A wrong or unreadable answer is a
// Verdict; an error means the judge itself broke (or, with code ERATELIMIT, that it is busy).
type Judge interface {
	Grade(ctx context.Context, exerciseID string, seed uint64, a Answer) (Verdict, error)
}

// TagOrder returns a comparison of misconception tags in the catalog's order (the lesson's);
// tags the catalog does not know come after the ones it does, by name. Build it once per listing:
// it indexes the catalog.
func TagOrder(catalog []Misconception) func(a, b string) int {
	rank := make(map[string]int, len(catalog))
	for i, m := range catalog {
		rank[m.Tag] = i
	}
	return func(a, b string) int {
		ra, oka := rank[a]
		rb, okb := rank[b]
		switch {
		case oka && okb:
			return cmp.Compare(ra, rb)
		case oka:
			return -1
		case okb:
			return 1
		}
		return strings.Compare(a, b)
	}
}
