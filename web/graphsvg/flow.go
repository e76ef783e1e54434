package graphsvg

import (
	"fmt"

	"gradjudge/autograd"
)

// Flow is what the reference autograd says about a run: every node's value and gradient, and
// every edge's local derivative and the share of the gradient it sends back. Copy what a page may
// show into a Picture.
type Flow struct {
	Values map[string]autograd.Tensor
	Grads  map[string]autograd.Tensor // d Output / d name
	Edges  map[autograd.Edge]EdgeGrad
}

// FlowOf computes the Flow of run towards the scalar node output ("" for the graph's output),
// under the reference rules. An edge's Local is set where the local derivative is element-wise
// (Graph.IsEdge, and the quantity grad(Of, Wrt) can be taken); an edge that sends back zero while
// a non-zero gradient arrives at its statement is Blocked.
func FlowOf(run *autograd.Run, output string) (Flow, error) {
	g := run.Graph()
	if output == "" {
		output = g.Output()
	}
	grads, err := run.Gradients(output, autograd.Application{})
	if err != nil {
		return Flow{}, fmt.Errorf("graphsvg: gradients of %s: %w", output, err)
	}
	shares, err := run.EdgeGradients(output)
	if err != nil {
		return Flow{}, fmt.Errorf("graphsvg: edge gradients of %s: %w", output, err)
	}
	fl := Flow{Values: map[string]autograd.Tensor{}, Grads: map[string]autograd.Tensor{}, Edges: map[autograd.Edge]EdgeGrad{}}
	for _, name := range append(g.Inputs(), g.Names()...) {
		v, _ := run.Value(name)
		fl.Values[name] = v.Clone()
		fl.Grads[name] = grads[name].Clone()
	}
	for e, sent := range shares {
		eg := EdgeGrad{Sent: sent, Blocked: allZero(sent) && !allZero(grads[e.Of])}
		if g.IsEdge(e.Of, e.Wrt) {
			eg.Local = localDerivative(run, e)
		}
		fl.Edges[e] = eg
	}
	return fl, nil
}

// localDerivative is grad(e.Of, e.Wrt) from the run, or an empty tensor when it is not
// element-wise (a matrix product, a softmax).
func localDerivative(run *autograd.Run, e autograd.Edge) autograd.Tensor {
	q, err := run.Graph().ParseQuantity("grad(" + e.Of + ", " + e.Wrt + ")")
	if err != nil {
		return autograd.Tensor{}
	}
	t, err := q.Eval(run, autograd.Application{})
	if err != nil {
		return autograd.Tensor{}
	}
	return t.Clone()
}

func allZero(t autograd.Tensor) bool {
	for _, v := range t.Data {
		if v != 0 {
			return false
		}
	}
	return true
}
