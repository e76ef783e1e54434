package autograd

import (
	"fmt"
	"math"
)

// Run is one evaluation of a graph on input values: the value of every node, and gradients
// computed on demand and cached. A Run is not safe for concurrent use.
type Run struct {
	g       *Graph
	vals    []Tensor
	bidx    [][2][]int // per element-wise binary node: broadcast index maps of its operands
	scratch [2]Tensor
	cache   map[gradKey][]Tensor
}

// Forward evaluates the graph on inputs (a value for every input name; extra names are ignored).
// The inputs are copied. Its error, when not nil, is an *Error of kind undefined (an input without
// a value), bad_input, shape or not_finite.
func (g *Graph) Forward(inputs map[string]Tensor) (*Run, error) {
	r := &Run{g: g, vals: make([]Tensor, len(g.nodes)), bidx: make([][2][]int, len(g.nodes))}
	for i := range g.nodes {
		if err := r.eval(i, inputs); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Graph returns the graph this run evaluates.
func (r *Run) Graph() *Graph { return r.g }

// Value returns the value of an input or assigned name. The tensor is owned by the run: do not
// modify it.
func (r *Run) Value(name string) (Tensor, bool) {
	i, ok := r.g.names[name]
	if !ok {
		return Tensor{}, false
	}
	return r.vals[i], true
}

func (r *Run) eval(i int, inputs map[string]Tensor) *Error {
	n := &r.g.nodes[i]
	switch {
	case n.op == nil && n.stmt < 0:
		return r.setInput(i, inputs)
	case n.op == nil:
		r.vals[i] = Scalar(n.konst)
		return nil
	}
	shape, complaint := r.shapeOf(i)
	if complaint != "" {
		return errorf(KindShape, n.pos, "%s", complaint)
	}
	r.vals[i] = Tensor{Shape: shape, Data: make([]float64, size(shape))}
	r.compute(i)
	if k := r.vals[i].firstNonFinite(); k >= 0 {
		return r.notFinite(i, k)
	}
	return nil
}

func (r *Run) setInput(i int, inputs map[string]Tensor) *Error {
	n := &r.g.nodes[i]
	t, ok := inputs[n.name]
	if !ok {
		return errorf(KindUndefined, n.pos, "`%s` is never assigned and no input value was given for it", n.name)
	}
	if err := validTensor(t); err != "" {
		return errorf(KindBadInput, Pos{}, "input `%s`: %s", n.name, err)
	}
	r.vals[i] = t.Clone()
	return nil
}

// validTensor explains what is wrong with a tensor given from outside, or returns "".
func validTensor(t Tensor) string {
	if len(t.Shape) > 2 {
		return "values have at most 2 dimensions (a number, a list, or a list of equal-length lists)"
	}
	for _, d := range t.Shape {
		if d <= 0 {
			return "lists must not be empty"
		}
	}
	if size(t.Shape) != len(t.Data) {
		return fmt.Sprintf("shape %s needs %d numbers, got %d", ShapeString(t.Shape), size(t.Shape), len(t.Data))
	}
	if k := t.firstNonFinite(); k >= 0 {
		return fmt.Sprintf("%v is not a finite number", t.Data[k])
	}
	return ""
}

// shapeOf infers the shape of node i from its arguments' values, recording broadcast maps.
func (r *Run) shapeOf(i int) ([]int, string) {
	n := &r.g.nodes[i]
	if !n.op.elementwise() {
		in := make([][]int, len(n.args))
		for j, a := range n.args {
			in[j] = r.vals[a].Shape
		}
		return n.op.shape(in)
	}
	a := r.vals[n.args[0]].Shape
	if n.op.arity == 1 {
		return cloneShape(a), ""
	}
	b := r.vals[n.args[1]].Shape
	out, ok := broadcastShape(a, b)
	if !ok {
		return nil, fmt.Sprintf("cannot combine shapes %s and %s with `%s`: sizes must match, or one of them be 1 (broadcasting)",
			ShapeString(a), ShapeString(b), n.op.name)
	}
	r.bidx[i] = [2][]int{broadcastIndex(a, out), broadcastIndex(b, out)}
	return out, ""
}

// compute fills the value of node i from its arguments' values, reusing its buffer.
func (r *Run) compute(i int) {
	n := &r.g.nodes[i]
	out := r.vals[i]
	if !n.op.elementwise() {
		in := r.scratch[:len(n.args)]
		for j, a := range n.args {
			in[j] = r.vals[a]
		}
		n.op.forward(in, out)
		return
	}
	a := r.vals[n.args[0]].Data
	if n.op.arity == 1 {
		for k := range out.Data {
			out.Data[k] = n.op.f(a[k], 0)
		}
		return
	}
	b, ia, ib := r.vals[n.args[1]].Data, r.bidx[i][0], r.bidx[i][1]
	for k := range out.Data {
		out.Data[k] = n.op.f(a[at(ia, k)], b[at(ib, k)])
	}
}

// at maps flat index k through a broadcast map; a nil map is the identity.
func at(idx []int, k int) int {
	if idx == nil {
		return k
	}
	return idx[k]
}

func (r *Run) notFinite(i, k int) *Error {
	n := &r.g.nodes[i]
	v := r.vals[i].Data[k]
	what := "`" + n.op.name + "`"
	if n.op == assignOp {
		what = "`" + n.name + "`"
	}
	hint := ""
	switch n.op.name {
	case "log":
		hint = " (log needs a positive argument)"
	case "sqrt":
		hint = " (sqrt needs a non-negative argument)"
	case "/":
		hint = " (division by zero?)"
	case "exp", "^", "*":
		hint = " (the number overflows float64)"
	}
	if math.IsNaN(v) {
		return errorf(KindNotFinite, n.pos, "%s gives NaN%s", what, hint)
	}
	return errorf(KindNotFinite, n.pos, "%s gives %v%s", what, v, hint)
}

// reforward recomputes every operation in place after inputs were changed in place, and returns the
// output's value. Shapes must not have changed. It is the hot path of the gradient check.
func (r *Run) reforward(upTo int) float64 {
	for i := 0; i <= upTo; i++ {
		if r.g.nodes[i].op != nil {
			r.compute(i)
		}
	}
	return r.vals[upTo].Data[0]
}
