package exercises

import (
	"gradjudge"
	"gradjudge/autograd"
)

// Exercise is one compiled catalog exercise: what the student sees, how its variants are drawn,
// and what grading compares against. It is immutable once loaded and safe for concurrent use.
type Exercise struct {
	gradjudge.Exercise
	Statement   string               // Markdown with {{name}} placeholders for parameters
	Graph       *autograd.Graph      // nil for choice exercises
	Params      []Param              // how each parameter is drawn, sorted by name
	Quantities  []Quantity           // the asked quantities, in the author's order
	Order       []int                // indices into Quantities: forward values first, then backward
	Required    []*autograd.BugRule  // built-in rules every variant must tell apart from the answers
	AuthorRules []AuthorRule         // the author's own wrong answers, always required
	Options     []Option             // choice exercises, in the author's order
	Reveal      bool                 // feedback may show expected values
	KinkMargin  float64              // least distance of any kink argument from its kink
	Positive    []*autograd.Quantity // must exceed KinkMargin element-wise in every variant
	Minority    *Minority            // numeric exercises: a deliberate minority of variants; nil for none
	// Lesson is the lesson's own worked example as parameter values, the variant of LessonSeed;
	// nil when the exercise has none.
	Lesson    map[string]autograd.Tensor
	Signature string // code exercises: the Go signature to write
	Starter   string // code exercises: starter code
	Code      *Code  // code exercises: how submissions are judged; nil otherwise
	// Hash is the hex SHA-256 of the exercise file: it changes whenever the file does, so that a
	// verdict can say which version of the exercise it was judged against.
	Hash string

	stream uint64 // the second word of the variant generator's PCG: a hash of the id
}

// Quantity is one asked quantity of a numeric exercise.
type Quantity struct {
	ID        string
	Label     string // as shown to students, e.g. ∂L/∂w
	Expr      *autograd.Quantity
	Tolerance Tolerance
	Backward  bool   // reads a gradient: judged after every forward value
	Of        string // A of the first grad(A, B) it reads; "" for a forward value
	// Stands is the name whose value (forward) or gradient with respect to Of (backward) this
	// quantity is exactly, so that a student's answer can stand in for it when their later answers
	// are replayed; "" when the expression is anything else.
	Stands string
	// Local is set when the quantity is grad(Of, Stands) and that is the local derivative of the
	// statement assigning Of (autograd.Graph.IsEdge): an answer to it can stand in for that
	// statement's backward rule when the student's gradients of another output are replayed.
	Local bool
}

// Asked returns the public form of q.
func (q Quantity) Asked() gradjudge.AskedQuantity {
	return gradjudge.AskedQuantity{ID: q.ID, Label: q.Label, Expression: q.Expr.String(), Tolerance: q.Tolerance.String()}
}

// Minority makes a case that would otherwise be common a deliberate minority of the variants: in
// the variant of seed s, Expr is below −KinkMargin element-wise when s mod Every is Every − 1,
// and above KinkMargin otherwise (for a ReLU neuron, z: one variant in Every has the unit off).
type Minority struct {
	Expr  *autograd.Quantity
	Every int
}

// AuthorRule is a wrong answer the exercise's author predicts for one quantity: an alternative
// expression, and the misconception tag a match earns.
type AuthorRule struct {
	Name     string // unique within the exercise; defaults to the tag
	Tag      string
	Quantity int // index into Quantities
	Expr     *autograd.Quantity
}

// Option is one option of a choice exercise: either the correct one or tagged with the
// misconception that choosing it reveals.
type Option struct {
	ID      string
	Text    string
	Correct bool
	Tag     string // "" for the correct option
}

// Quantity returns the index of the quantity with the given id, or -1.
func (e *Exercise) Quantity(id string) int {
	for i, q := range e.Quantities {
		if q.ID == id {
			return i
		}
	}
	return -1
}

// Option returns the option with the given id.
func (e *Exercise) Option(id string) (Option, bool) {
	for _, o := range e.Options {
		if o.ID == id {
			return o, true
		}
	}
	return Option{}, false
}
