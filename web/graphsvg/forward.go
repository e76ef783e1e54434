package graphsvg

import "gradjudge/autograd"

// Forward writes one forward step of the flow as its statement with the value it computed, for
// the explorer's step-by-step text: "h = w₁·x + b₁ = 1.5". Its second result is false for a name
// that no statement of g assigns.
func (fl Flow) Forward(g *autograd.Graph, name string) (string, bool) {
	for _, s := range g.Statements() {
		if s.Name == name {
			return DisplayName(name) + " = " + exprString(s.Expr) + " = " + oneLine(fl.Values[name]), true
		}
	}
	return "", false
}

// Value writes a tensor on one line as the pictures do: a number with a true minus sign, a short
// vector, or its shape.
func Value(t autograd.Tensor) string { return oneLine(t) }
