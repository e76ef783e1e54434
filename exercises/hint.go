package exercises

import (
	"strings"

	"gradjudge/autograd"
)

// LocalDerivative is the local derivative along one edge of a variant's graph, worked out: the
// third hint step. It is never an asked quantity's final answer unless that quantity is itself
// the local derivative (which LocalDerivatives then leaves out).
type LocalDerivative struct {
	Label string // e.g. ∂a/∂z
	Value string // formatted as statements show numbers
}

// LocalDerivatives works out the local derivatives along the edges out of the node that asked
// quantity id differentiates with respect to (grad(A, n): every reader r of n gives ∂r/∂n), at
// the variant's values: the step a student who got that gradient wrong takes next. A quantity that
// is not a gradient, and a local derivative that is itself asked, give none.
func (in *Instance) LocalDerivatives(id string) []LocalDerivative {
	e := in.Exercise
	i := e.Quantity(id)
	if i < 0 || e.Graph == nil || in.Run == nil || !e.Quantities[i].Backward || e.Quantities[i].Stands == "" {
		return nil
	}
	node := e.Quantities[i].Stands
	var out []LocalDerivative
	for _, r := range e.Graph.Readers(node) {
		if e.asks("grad(" + r + ", " + node + ")") {
			continue // the hint must not hand out an asked answer
		}
		q, err := e.Graph.ParseQuantity("grad(" + r + ", " + node + ")")
		if err != nil {
			continue
		}
		v, err := q.Eval(in.Run, autograd.Application{})
		if err != nil {
			continue // not a local derivative shaped like the node (a matrix product, say)
		}
		out = append(out, LocalDerivative{Label: "∂" + r + "/∂" + node, Value: FormatTensor(v)})
	}
	return out
}

// asks reports whether the exercise asks for the quantity written src.
func (e *Exercise) asks(src string) bool {
	for _, q := range e.Quantities {
		if q.Expr.String() == src {
			return true
		}
	}
	return false
}

// ChainRule writes out the chain rule for asked quantity id, a gradient grad(A, n): the sum over
// the readers r of n of ∂A/∂r · ∂r/∂n, such as "∂L/∂u = ∂L/∂p · ∂p/∂u + ∂L/∂q · ∂q/∂u". Symbols
// only, no values. "" for a quantity that is not such a gradient.
func (in *Instance) ChainRule(id string) string {
	e := in.Exercise
	i := e.Quantity(id)
	if i < 0 || e.Graph == nil || !e.Quantities[i].Backward || e.Quantities[i].Stands == "" || e.Quantities[i].Of == "" {
		return ""
	}
	node, of := e.Quantities[i].Stands, e.Quantities[i].Of
	var terms []string
	for _, r := range e.Graph.Readers(node) {
		switch {
		case r == of:
			terms = append(terms, "∂"+r+"/∂"+node)
		case reaches(e.Graph, r, of):
			terms = append(terms, "∂"+of+"/∂"+r+" · ∂"+r+"/∂"+node)
		}
	}
	if len(terms) < 2 && e.Quantities[i].Local {
		return "" // a local derivative: the chain has nothing to add
	}
	return "∂" + of + "/∂" + node + " = " + strings.Join(terms, " + ")
}

// reaches reports whether name to is name from or computed from it.
func reaches(g *autograd.Graph, from, to string) bool {
	if from == to {
		return true
	}
	for _, r := range g.Readers(from) {
		if reaches(g, r, to) {
			return true
		}
	}
	return false
}

// WorkedHint returns, for asked quantity q of exercise id's variant seed, its label, the chain
// rule at its node (ChainRule) and the unasked local derivatives there worked out, each as
// "∂u/∂w = 2" (LocalDerivatives): the later hint steps. Its error has code ENOTFOUND for an
// unknown exercise.
func (c *Catalog) WorkedHint(id string, seed uint64, q string) (label, chain string, locals []string, err error) {
	in, err := c.Instance(id, seed)
	if err != nil {
		return "", "", nil, err
	}
	if i := in.Exercise.Quantity(q); i >= 0 {
		label = in.Exercise.Quantities[i].Label
	}
	for _, ld := range in.LocalDerivatives(q) {
		locals = append(locals, ld.Label+" = "+ld.Value)
	}
	return label, in.ChainRule(q), locals, nil
}

// RightChoiceLabel labels a choice exercise's revealed answer: the right option's text (Markdown
// with TeX, as the option shows it).
const RightChoiceLabel = "The right choice"

// ExpectedAnswers returns the labels and values of the expected answers of exercise id's variant
// seed (ReferenceAnswers, or a choice exercise's right option): what a policy reveals once credit
// ends.
func (c *Catalog) ExpectedAnswers(id string, seed uint64) (labels, values []string, err error) {
	in, err := c.Instance(id, seed)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range in.ReferenceAnswers() {
		labels, values = append(labels, a.Label), append(values, a.Value)
	}
	for _, o := range in.Options {
		if o.Correct {
			labels, values = append(labels, RightChoiceLabel), append(values, fill(o.Text, in.Inputs))
		}
	}
	return labels, values, nil
}
