package autograd

import (
	"fmt"
	"slices"
)

// Quantity is an asked quantity compiled against a graph: an expression in the graph language
// over the graph's names plus grad(A, B), the derivative of node A with respect to node B through
// the graph. A must be a scalar (the result is shaped like B) or an element-wise function of B
// (the result is the local derivative, shaped like B). A Quantity is immutable.
type Quantity struct {
	src string
	e   *expr
	g   *Graph
}

// ParseQuantity compiles src as a quantity over g's names and the extra parameters named by params
// (values given to Forward that the graph itself does not use, such as a learning rate). Its
// error, when not nil, is an *Error.
func (g *Graph) ParseQuantity(src string, params ...string) (*Quantity, error) {
	e, perr := parseExpr(src)
	if perr != nil {
		return nil, perr
	}
	if err := g.checkQuantity(e, params); err != nil {
		return nil, err
	}
	return &Quantity{src: src, e: e, g: g}, nil
}

func (g *Graph) checkQuantity(e *expr, params []string) *Error {
	switch {
	case e.op == "name" && !g.Has(e.name) && !slices.Contains(params, e.name):
		return errorf(KindUndefined, e.pos, "`%s` is not a name of the graph", e.name)
	case e.op == "grad":
		return g.checkGrad(e)
	case e.call:
		o, ok := lookupFunction(e.op)
		if !ok {
			return unknownFunction(e.op, e.pos)
		}
		if len(e.args) != o.arity {
			return errorf(KindArity, e.pos, "`%s` takes %s, as in %s; got %d", e.op, plural(o.arity, "argument"), o.usage, len(e.args))
		}
	}
	for _, a := range e.args {
		if err := g.checkQuantity(a, params); err != nil {
			return err
		}
	}
	return nil
}

func (g *Graph) checkGrad(e *expr) *Error {
	if len(e.args) != 2 {
		return errorf(KindArity, e.pos, "`grad` takes 2 arguments, as in grad(L, w); got %d", len(e.args))
	}
	for _, a := range e.args {
		if a.op != "name" {
			return errorf(KindSyntax, a.pos, "the arguments of grad(A, B) are names of the graph, as in grad(L, w)")
		}
		if !g.Has(a.name) {
			return errorf(KindUndefined, a.pos, "`%s` is not a name of the graph", a.name)
		}
	}
	return nil
}

// String returns the quantity's source text.
func (q *Quantity) String() string { return q.src }

// Refs returns the names the quantity reads, as values or inside grad(A, B), without repeats, in
// order of appearance.
func (q *Quantity) Refs() []string {
	var out []string
	seen := map[string]bool{}
	var walk func(e *expr)
	walk = func(e *expr) {
		if e.op == "name" && !seen[e.name] {
			seen[e.name] = true
			out = append(out, e.name)
		}
		for _, a := range e.args {
			walk(a)
		}
	}
	walk(q.e)
	return out
}

// UsesGrad reports whether the quantity contains grad(A, B): a backward quantity rather than a
// forward value.
func (q *Quantity) UsesGrad() bool {
	var has func(e *expr) bool
	has = func(e *expr) bool {
		if e.op == "grad" {
			return true
		}
		for _, a := range e.args {
			if has(a) {
				return true
			}
		}
		return false
	}
	return has(q.e)
}

// Eval computes the quantity on run, with gradients taken under app. Forward values never change
// under a bug rule. Its error is an *Error, or ErrNotApplicable when app cannot be followed.
func (q *Quantity) Eval(r *Run, app Application) (Tensor, error) {
	if r.g != q.g {
		return Tensor{}, fmt.Errorf("quantity %q evaluated on a run of another graph", q.src)
	}
	return r.evalExpr(q.e, app)
}

func (r *Run) evalExpr(e *expr, app Application) (Tensor, error) {
	switch e.op {
	case "":
		return Scalar(e.num), nil
	case "name":
		if i, ok := r.g.names[e.name]; ok {
			return r.vals[i].Clone(), nil
		}
		if t, ok := r.params[e.name]; ok {
			return t.Clone(), nil
		}
		return Tensor{}, errorf(KindUndefined, e.pos, "no value was given for the parameter `%s`", e.name)
	case "grad":
		return r.gradQuantity(e, app)
	}
	in := make([]Tensor, len(e.args))
	for i, a := range e.args {
		var err error
		if in[i], err = r.evalExpr(a, app); err != nil {
			return Tensor{}, err
		}
	}
	out, complaint := applyOp(ops[e.op], in)
	if complaint != "" {
		return Tensor{}, errorf(KindShape, e.pos, "%s", complaint)
	}
	if k := out.firstNonFinite(); k >= 0 {
		return Tensor{}, errorf(KindNotFinite, e.pos, "`%s` gives %v", e.op, out.Data[k])
	}
	return out, nil
}

// gradQuantity is grad(A, B): with A scalar, d A / d B; with A an element-wise function of B, the
// local derivative element by element.
func (r *Run) gradQuantity(e *expr, app Application) (Tensor, error) {
	a, b := r.g.names[e.args[0].name], r.g.names[e.args[1].name]
	if !r.localShaped(a, b) {
		return Tensor{}, errorf(KindNotScalarOutput, e.pos,
			"grad(%s, %s) needs `%s` to be a single number or an element-wise function of `%s`",
			e.args[0].name, e.args[1].name, e.args[0].name, e.args[1].name)
	}
	grads, err := r.gradsFrom(a, app)
	if err != nil {
		return Tensor{}, err
	}
	return r.gradOrZero(grads, b).Clone(), nil
}

// localShaped reports whether d node a / d node b is a tensor shaped like b: a is a single number,
// or an element-wise function of b.
func (r *Run) localShaped(a, b int) bool {
	return r.vals[a].IsScalar() || (SameShape(r.vals[a].Shape, r.vals[b].Shape) && r.g.elementwiseOf(a, b, map[int]bool{}))
}

// elementwiseOf reports whether node a depends on node b only through element-wise operations.
// memo records nodes already shown to be fine.
func (g *Graph) elementwiseOf(a, b int, memo map[int]bool) bool {
	if a == b || memo[a] || g.nodes[a].op == nil {
		return true
	}
	n := &g.nodes[a]
	if !n.op.elementwise() && n.op != assignOp {
		return !g.dependsOn(a, b, map[int]bool{})
	}
	for _, arg := range n.args {
		if !g.elementwiseOf(arg, b, memo) {
			return false
		}
	}
	memo[a] = true
	return true
}

func (g *Graph) dependsOn(a, b int, seen map[int]bool) bool {
	if a == b {
		return true
	}
	if seen[a] {
		return false
	}
	seen[a] = true
	for _, arg := range g.nodes[a].args {
		if g.dependsOn(arg, b, seen) {
			return true
		}
	}
	return false
}

// applyOp evaluates one op on fresh tensors, or explains why the shapes do not fit.
func applyOp(o *opDef, in []Tensor) (Tensor, string) {
	shapes := make([][]int, len(in))
	for i, t := range in {
		shapes[i] = t.Shape
	}
	shape, bidx, complaint := inferShape(o, shapes)
	if complaint != "" {
		return Tensor{}, complaint
	}
	out := Tensor{Shape: shape, Data: make([]float64, size(shape))}
	forward(o, in, bidx, out)
	return out, ""
}
