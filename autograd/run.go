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
	scratch [2]Tensor  // forward arguments of the node being computed
	// Backward scratch: reused across nodes, valid only until the next node is processed.
	bscratch [2]Tensor
	dargs    [2]Tensor
	contribs []contrib
	arena    *arena
	// Gradient-check scratch: kink signs at the base point and after each step.
	kinkBase, kinkPlus, kinkMinus []int8
	checkBuf                      []Tensor       // gradients of CheckGradients, reused across calls
	checkElems                    []ElementCheck // the report of CheckGradients, reused likewise
	cache                         map[gradKey][]Tensor
	params                        map[string]Tensor // values given to Forward for names the graph does not use
	elements                      int               // numbers held by all values, against MaxRunElements
}

// Forward evaluates the graph on inputs (a value for every input name; extra names are ignored).
// The inputs are copied. Its error, when not nil, is an *Error of kind undefined (an input without
// a value), bad_input, shape or not_finite.
func (g *Graph) Forward(inputs map[string]Tensor) (*Run, error) {
	r := &Run{g: g, vals: make([]Tensor, len(g.nodes)), bidx: make([][2][]int, len(g.nodes)), arena: &arena{}}
	for i := range g.nodes {
		if err := r.eval(i, inputs); err != nil {
			return nil, err
		}
	}
	for name, t := range inputs {
		if g.Has(name) {
			continue
		}
		if msg := validTensor(t); msg != "" {
			return nil, errorf(KindBadInput, Pos{}, "input `%s`: %s", name, msg)
		}
		if r.params == nil {
			r.params = map[string]Tensor{}
		}
		r.params[name] = t.Clone()
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
	if err := r.reserve(n, size(shape)); err != nil {
		return err
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

// Size limits of one evaluation, so that a short program cannot ask for gigabytes (an outer
// product of two long vectors, repeated): every node's value counts once, gradients later at most
// as much again.
const (
	MaxTensorElements = 1 << 20 // numbers in one value
	MaxRunElements    = 1 << 22 // numbers in all values of one run
)

// reserve accounts for a node value of n numbers, or explains that it is too large.
func (r *Run) reserve(nd *node, n int) *Error {
	r.elements += n
	switch {
	case n > MaxTensorElements:
		return errorf(KindShape, nd.pos, "this value would hold %d numbers; at most %d are allowed", n, MaxTensorElements)
	case r.elements > MaxRunElements:
		return errorf(KindShape, nd.pos, "the program's values would hold more than %d numbers in all", MaxRunElements)
	}
	return nil
}

// validTensor explains what is wrong with a tensor given from outside, or returns "".
func validTensor(t Tensor) string {
	if len(t.Data) > MaxTensorElements {
		return fmt.Sprintf("at most %d numbers are allowed in one value", MaxTensorElements)
	}
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
	shapes := make([][]int, len(n.args))
	for j, a := range n.args {
		shapes[j] = r.vals[a].Shape
	}
	shape, bidx, complaint := inferShape(n.op, shapes)
	r.bidx[i] = bidx
	return shape, complaint
}

// inferShape returns the result shape of o on arguments of the given shapes, with the broadcast
// maps of an element-wise binary op, or a complaint that names both shapes.
func inferShape(o *opDef, in [][]int) ([]int, [2][]int, string) {
	if !o.elementwise() {
		shape, complaint := o.shape(in)
		return shape, [2][]int{}, complaint
	}
	if o.arity == 1 {
		return cloneShape(in[0]), [2][]int{}, ""
	}
	out, ok := broadcastShape(in[0], in[1])
	if !ok {
		return nil, [2][]int{}, fmt.Sprintf("cannot combine shapes %s and %s with `%s`: sizes must match, or one of them be 1 (broadcasting)",
			ShapeString(in[0]), ShapeString(in[1]), o.name)
	}
	return out, [2][]int{broadcastIndex(in[0], out), broadcastIndex(in[1], out)}, ""
}

// compute fills the value of node i from its arguments' values, reusing its buffer.
func (r *Run) compute(i int) {
	n := &r.g.nodes[i]
	out := r.vals[i].Data
	switch {
	case n.op == assignOp && len(out) == 1:
		out[0] = r.vals[n.args[0]].Data[0]
	case n.op == assignOp:
		copy(out, r.vals[n.args[0]].Data)
	case n.op.f1 != nil:
		a := r.vals[n.args[0]].Data
		for k := range out {
			out[k] = n.op.f1(a[k])
		}
	case n.op.elementwise():
		a, b, ia, ib := r.vals[n.args[0]].Data, r.vals[n.args[1]].Data, r.bidx[i][0], r.bidx[i][1]
		for k := range out {
			out[k] = n.op.f(a[at(ia, k)], b[at(ib, k)])
		}
	default:
		in := r.scratch[:len(n.args)]
		for j, a := range n.args {
			in[j] = r.vals[a]
		}
		n.op.forward(in, r.vals[i])
	}
}

// forward fills out with o applied to in; bidx are the broadcast maps of an element-wise binary op.
func forward(o *opDef, in []Tensor, bidx [2][]int, out Tensor) {
	if !o.elementwise() {
		o.forward(in, out)
		return
	}
	a := in[0].Data
	if o.arity == 1 {
		for k := range out.Data {
			out.Data[k] = o.f(a[k], 0)
		}
		return
	}
	b, ia, ib := in[1].Data, bidx[0], bidx[1]
	for k := range out.Data {
		out.Data[k] = o.f(a[at(ia, k)], b[at(ib, k)])
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

// recompute recomputes in place the nodes up to out that depend on input node in, after its
// values were changed in place, and returns out's first element. It is the hot path of the
// gradient check.
func (r *Run) recompute(in, out int) float64 {
	for _, i := range r.g.dependents[in] {
		if i > out {
			break
		}
		r.compute(i)
	}
	return r.vals[out].Data[0]
}

// SetInputs replaces the input values of the run and recomputes every node, reusing the run's
// buffers: the fast way to evaluate one graph on many cases of the same shapes. Each input must
// keep its shape (use Forward otherwise). Cached gradients are dropped; tensors returned earlier
// by Value now hold the new values, and gradients returned earlier are no longer valid. The errors
// are Forward's.
func (r *Run) SetInputs(inputs map[string]Tensor) error {
	for _, name := range r.g.inputs {
		i := r.g.names[name]
		t, ok := inputs[name]
		if !ok {
			return errorf(KindUndefined, r.g.nodes[i].pos, "`%s` is never assigned and no input value was given for it", name)
		}
		if msg := validTensor(t); msg != "" {
			return errorf(KindBadInput, Pos{}, "input `%s`: %s", name, msg)
		}
		if !SameShape(t.Shape, r.vals[i].Shape) {
			return errorf(KindShape, Pos{}, "input `%s` changed shape from %s to %s", name, ShapeString(r.vals[i].Shape), ShapeString(t.Shape))
		}
		copy(r.vals[i].Data, t.Data)
	}
	for i := range r.g.nodes {
		if r.g.nodes[i].op == nil {
			continue
		}
		r.compute(i)
		if k := r.vals[i].firstNonFinite(); k >= 0 {
			return r.notFinite(i, k)
		}
	}
	clear(r.cache)
	r.arena.reset()
	return nil
}
