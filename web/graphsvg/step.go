package graphsvg

import (
	"slices"
	"strings"

	"gradjudge/autograd"
)

// Step writes one backward step of the flow as a formula with its numbers, for the explorer's
// step-by-step text: along edge e (its statement Of reads Wrt), the gradient arriving at Of times
// the local derivative gives the share Wrt receives:
//
//	∂L/∂w₂ = ∂L/∂ŷ · ∂ŷ/∂w₂ = −4.5 · 1.5 = −6.75
//
// Element-wise products of vectors are written with ⊙. A step whose local derivative is not
// element-wise (a matrix product) gives only the share: "∂L/∂W (through y) = 3×3 matrix". A share
// that is not all of Wrt's gradient (Wrt has several readers) says "through Of". Its second
// result is false when the flow has no such edge.
func (fl Flow) Step(e autograd.Edge, output string) (string, bool) {
	eg, ok := fl.Edges[e]
	if !ok {
		return "", false
	}
	lhs := partial(output, e.Wrt)
	if fl.readers(e.Wrt) > 1 {
		lhs += " (through " + DisplayName(e.Of) + ")"
	}
	if eg.Local.Data == nil || e.Of == output {
		return lhs + " = " + oneLine(eg.Sent), true
	}
	times := " · "
	if arriving := fl.Grads[e.Of]; arriving.Rank() > 0 || eg.Local.Rank() > 0 {
		times = " ⊙ "
	}
	parts := []string{
		lhs,
		partial(output, e.Of) + times + partial(e.Of, e.Wrt),
		oneLine(fl.Grads[e.Of]) + times + oneLine(eg.Local),
		oneLine(eg.Sent),
	}
	return strings.Join(parts, " = "), true
}

// Sum writes how a name's gradient adds up the shares its readers send back, when it has more
// than one: "∂L/∂u = 2 + 3 = 5". Its second result is false for a name with one reader or none.
func (fl Flow) Sum(name, output string) (string, bool) {
	var shares []string
	for e, eg := range fl.Edges {
		if e.Wrt == name {
			shares = append(shares, e.Of+"\x00"+oneLine(eg.Sent))
		}
	}
	if len(shares) < 2 {
		return "", false
	}
	slices.Sort(shares) // by reader name: the same order on every call
	for i, s := range shares {
		_, shares[i], _ = strings.Cut(s, "\x00")
	}
	return partial(output, name) + " = " + strings.Join(shares, " + ") + " = " + oneLine(fl.Grads[name]), true
}

func (fl Flow) readers(name string) int {
	n := 0
	for e := range fl.Edges {
		if e.Wrt == name {
			n++
		}
	}
	return n
}
