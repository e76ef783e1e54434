package exercises

import (
	"slices"

	"gradjudge"
	"gradjudge/autograd"
)

// Preview is what an author checks about one variant of an exercise: what the student sees, the
// reference answers, and the answer every wrong belief predicts. It holds the answers: show it
// to the catalog's authors only, never to a student.
type Preview struct {
	Variant gradjudge.Variant // the student's view
	Hash    string            // the exercise file's content hash (Exercise.Hash)
	Draws   int               // how many draws the variant took; many hint at narrow parameters
	// Required names the rules every variant must tell apart from the answers.
	Required []string
	// Answers are the reference answers: one per asked quantity (numeric), or one per result of
	// each function for the variant's own inputs (code, case 1).
	Answers []PreviewAnswer
	// Predictions are the answers of every rule whose answers differ from the reference on this
	// variant: each built-in belief, the author's rules, then slips (numeric); each built-in
	// belief (code).
	Predictions []PreviewPrediction
	Options     []PreviewOption // choice exercises, in the order this seed shows them
}

// PreviewAnswer is the reference answer of one asked quantity or code result.
type PreviewAnswer struct {
	ID         string // the quantity's id, or Func.result-index for code
	Label      string // as the student sees it, e.g. ∂L/∂w; the expression for code results
	Expression string
	Value      string // formatted as statements show numbers (FormatTensor)
}

// PreviewPrediction is what a student holding one wrong belief (or making one slip) would answer.
type PreviewPrediction struct {
	Name     string // the rule's name; name@node for a slip
	Tag      string // the misconception tag a matching answer earns
	Slip     bool
	Required bool // every variant must tell this rule apart from the answers
	// Values has one entry per Answers entry: the predicted answer where it differs from the
	// reference, "" where the rule predicts the reference answer or nothing.
	Values []string
}

// PreviewOption is one option of a choice exercise with what choosing it means.
type PreviewOption struct {
	ID      string
	Text    string // with the variant's numbers filled in
	Correct bool
	Tag     string // the misconception its choice reveals; "" for the correct option
}

// Preview renders exercise id at seed with its answers and its rules' predicted wrong answers.
// Its error has code ENOTFOUND for an unknown id; a seed with no usable variant is an internal
// error (a *BadlyAuthoredError inside says why).
func (c *Catalog) Preview(id string, seed uint64) (*Preview, error) {
	in, err := c.Instance(id, seed)
	if err != nil {
		return nil, err
	}
	return in.Preview(), nil
}

// Preview renders a variant of the current catalog; see Catalog.Preview.
func (l *Live) Preview(id string, seed uint64) (*Preview, error) {
	return l.Current().Preview(id, seed)
}

// Preview renders the instance for its author.
func (in *Instance) Preview() *Preview {
	e := in.Exercise
	p := &Preview{Variant: in.Variant(), Hash: e.Hash, Draws: in.Draws}
	for _, r := range e.Required {
		p.Required = append(p.Required, r.Name)
	}
	for _, r := range e.AuthorRules {
		p.Required = append(p.Required, r.Name)
	}
	for _, o := range in.Options {
		p.Options = append(p.Options, PreviewOption{ID: o.ID, Text: fill(o.Text, in.Inputs), Correct: o.Correct, Tag: o.Tag})
	}
	switch {
	case e.Code != nil:
		in.previewCode(p)
	case e.Graph != nil:
		in.previewNumeric(p)
	}
	return p
}

// ReferenceAnswers returns the expected answer of every asked quantity of a numeric exercise, in
// the author's order: what a policy reveals after the due date. Nil for other kinds.
func (in *Instance) ReferenceAnswers() []PreviewAnswer {
	var out []PreviewAnswer
	for i, q := range in.Exercise.Quantities {
		out = append(out, PreviewAnswer{ID: q.ID, Label: q.Label, Expression: q.Expr.String(), Value: FormatTensor(in.Answers[i])})
	}
	return out
}

func (in *Instance) previewNumeric(p *Preview) {
	p.Answers = in.ReferenceAnswers()
	for _, pred := range in.Predictions() {
		pp := PreviewPrediction{Name: pred.Name, Tag: pred.Tag, Slip: pred.Slip,
			Required: !pred.Slip && slices.Contains(p.Required, pred.Name), Values: make([]string, len(pred.Answers))}
		for i, a := range pred.Answers {
			if pred.Differs[i] {
				pp.Values[i] = FormatTensor(a)
			}
		}
		p.Predictions = append(p.Predictions, pp)
	}
}

// previewCode lists each function's results for the variant's inputs, and what each built-in
// belief makes of them.
func (in *Instance) previewCode(p *Preview) {
	e := in.Exercise
	var results []*autograd.Quantity
	for _, fn := range e.Code.Funcs {
		for _, q := range fn.Results {
			results = append(results, q)
			v, _ := q.Eval(in.Run, autograd.Application{}) // checked when the exercise loaded
			p.Answers = append(p.Answers, PreviewAnswer{ID: fn.Name + "." + q.String(), Label: fn.Name + " → " + q.String(),
				Expression: q.String(), Value: FormatTensor(v)})
		}
	}
	for _, r := range autograd.BugRules() {
		app := autograd.Application{Rule: r}
		if !app.Affects(e.Graph) {
			continue
		}
		pp := PreviewPrediction{Name: r.Name, Tag: r.Tag, Values: make([]string, len(results))}
		differs := false
		for i, q := range results {
			v, err := q.Eval(in.Run, app)
			ref, _ := q.Eval(in.Run, autograd.Application{})
			if err == nil && e.Code.Tolerance.Separates(v, ref) {
				pp.Values[i], differs = FormatTensor(v), true
			}
		}
		if differs {
			p.Predictions = append(p.Predictions, pp)
		}
	}
}
