package autograd

import (
	"fmt"
	"slices"
)

// This file serves the exercise judge: replaying a student's own wrong intermediate values,
// gradients and local derivatives (error carried forward) and telling which bug rule applications
// can change anything.

// ForwardWith evaluates the graph like Forward, then replaces the value of each assigned name in
// values by the given tensor as soon as it is computed, so that every later node and every local
// derivative builds on it: the forward pass of a student who computed those names differently.
// The tensors must have the shapes of the names they replace.
func (g *Graph) ForwardWith(inputs, values map[string]Tensor) (*Run, error) {
	r, err := g.Forward(inputs)
	if err != nil || len(values) == 0 {
		return r, err
	}
	for name, t := range values {
		i, ok := g.names[name]
		if !ok || g.nodes[i].stmt < 0 {
			return nil, fmt.Errorf("forward with overrides: `%s` is not an assigned name", name)
		}
		if !sameValueShape(r.vals[i], t) {
			return nil, fmt.Errorf("forward with overrides: `%s` has shape %s, the override %s",
				name, ShapeString(r.vals[i].Shape), ShapeString(t.Shape))
		}
	}
	for i := range g.nodes {
		n := &g.nodes[i]
		if n.op == nil {
			continue
		}
		r.compute(i)
		if t, ok := values[n.name]; ok && n.op == assignOp {
			copy(r.vals[i].Data, t.Data)
		}
		if k := r.vals[i].firstNonFinite(); k >= 0 {
			return nil, r.notFinite(i, k)
		}
	}
	return r, nil
}

// EvalWith computes q on r with the correct engine, except that in the backward pass from the
// scalar node of, the gradient reaching each name in grads is replaced by the given tensor before
// it is sent further back, and the gradient each edge in locals carries is the gradient reaching
// the edge's statement times the given local derivative, in place of that statement's backward
// rule: the backward pass of a student who computed those gradients and local derivatives
// differently. A quantity that reads grad(of, name) for a replaced name gets the replacement.
// Each edge must pass IsEdge, and its local derivative be shaped like its Wrt.
func (q *Quantity) EvalWith(r *Run, of string, grads map[string]Tensor, locals map[Edge]Tensor) (Tensor, error) {
	if r.g != q.g {
		return Tensor{}, fmt.Errorf("quantity %q evaluated on a run of another graph", q.src)
	}
	from, ok := r.g.names[of]
	if !ok || !r.vals[from].IsScalar() {
		return Tensor{}, fmt.Errorf("eval with overrides: `%s` is not a scalar node", of)
	}
	edges, err := r.localOverrides(locals)
	if err != nil {
		return Tensor{}, err
	}
	c := *r // shares the forward values, which the backward pass only reads
	g := make([]Tensor, len(r.g.nodes))
	if err := c.backward(g, from, Application{}, &overrides{grads: grads, edges: edges}); err != nil {
		return Tensor{}, err
	}
	c.cache = map[gradKey][]Tensor{{from: from}: g}
	return q.Eval(&c, Application{})
}

// Edge is the edge from the statement assigning Of to the name Wrt it reads; its local derivative
// is grad(Of, Wrt) when Graph.IsEdge holds.
type Edge struct{ Of, Wrt string }

// IsEdge reports whether grad(of, wrt) is the local derivative of one statement: the statement
// assigning of reads wrt directly, and none of the other names it reads depends on wrt. Only then
// is a student's answer to it what that statement's backward rule multiplies by (EvalWith).
func (g *Graph) IsEdge(of, wrt string) bool {
	a, okA := g.names[of]
	b, okB := g.names[wrt]
	if !okA || !okB || g.nodes[a].stmt < 0 {
		return false
	}
	s, reads := g.nodes[a].stmt, false
	for k := g.stmtFirst[s]; k <= g.stmtRoot[s]; k++ {
		for _, arg := range g.nodes[k].args {
			switch {
			case g.nodes[arg].stmt == s: // inside the statement's own expression
			case arg == b:
				reads = true
			case g.dependsOn(arg, b, map[int]bool{}):
				return false
			}
		}
	}
	return reads
}

// localOverride is a resolved local derivative of EvalWith: statement stmt sends its gradient
// times d to node wrt.
type localOverride struct {
	stmt, wrt int
	d         Tensor
}

func (r *Run) localOverrides(locals map[Edge]Tensor) ([]localOverride, error) {
	out := make([]localOverride, 0, len(locals))
	for e, d := range locals {
		if !r.g.IsEdge(e.Of, e.Wrt) {
			return nil, fmt.Errorf("eval with overrides: grad(%s, %s) is not the local derivative of one statement", e.Of, e.Wrt)
		}
		a, b := r.g.names[e.Of], r.g.names[e.Wrt]
		if !r.localShaped(a, b) || !sameValueShape(r.vals[b], d) {
			return nil, fmt.Errorf("eval with overrides: the local derivative grad(%s, %s) must have shape %s, not %s",
				e.Of, e.Wrt, ShapeString(r.vals[b].Shape), ShapeString(d.Shape))
		}
		out = append(out, localOverride{r.g.nodes[a].stmt, b, d})
	}
	return out, nil
}

// overrides are a student's own numbers put in place of the engine's during one backward pass
// with the correct engine (EvalWith): the gradient reaching a named node, replaced before it is
// sent further back, and the local derivative a statement sends along one edge. A nil *overrides
// replaces nothing.
type overrides struct {
	grads map[string]Tensor
	edges []localOverride
}

// replaceGrad puts the student's gradient for node i, if any, in place of the engine's. The
// gradient of from itself stays one.
func (ov *overrides) replaceGrad(r *Run, grads []Tensor, i, from int) error {
	if ov == nil || i == from {
		return nil
	}
	t, ok := ov.grads[r.g.nodes[i].name]
	if !ok {
		return nil
	}
	if !sameValueShape(r.vals[i], t) {
		return fmt.Errorf("eval with overrides: the gradient for `%s` must have shape %s, not %s",
			r.g.nodes[i].name, ShapeString(r.vals[i].Shape), ShapeString(t.Shape))
	}
	grads[i] = Tensor{Shape: cloneShape(r.vals[i].Shape), Data: slices.Clone(t.Data)}
	return nil
}

// replaceLocals makes statement s send each name it has a local override for the gradient from
// above times the override, in place of what its backward rule sent.
func (ov *overrides) replaceLocals(r *Run, s int, upstream Tensor, contribs []contrib) []contrib {
	if ov == nil {
		return contribs
	}
	for _, l := range ov.edges {
		if l.stmt == s {
			contribs = slices.DeleteFunc(contribs, func(c contrib) bool { return c.leaf == l.wrt })
			contribs = append(contribs, contrib{l.wrt, timesLocal(upstream, l.d, r.vals[l.wrt].Shape)})
		}
	}
	return contribs
}

// timesLocal is the chain rule along one edge: the gradient g of the statement's value times the
// local derivative d, shaped like the name read. g is one number, or shaped like d (localShaped).
func timesLocal(g, d Tensor, shape []int) Tensor {
	out := Tensor{Shape: cloneShape(shape), Data: slices.Clone(d.Data)}
	for k := range out.Data {
		if g.IsScalar() {
			out.Data[k] *= g.Data[0]
		} else {
			out.Data[k] *= g.Data[k]
		}
	}
	return out
}

// sameValueShape reports whether t can stand for v: the same shape, or both one number.
func sameValueShape(v, t Tensor) bool {
	return SameShape(v.Shape, t.Shape) || (v.IsScalar() && t.IsScalar())
}

// Affects reports whether following a on g can change any gradient: a replaced backward rule
// needs its op in the statements a is followed at, an engine-level rule a statement to act on,
// and the fan-out rule a name used more than once. The zero Application affects nothing. It is a
// cheap filter: an application that affects the graph may still leave every asked answer alone.
func (a Application) Affects(g *Graph) bool {
	for _, r := range a.rules() {
		if (Application{Rule: r, At: a.At}).affects(g) {
			return true
		}
	}
	return false
}

func (a Application) affects(g *Graph) bool {
	stmt := -1
	if a.At != "" {
		i, ok := g.names[a.At]
		if !ok {
			return false
		}
		stmt = g.nodes[i].stmt
	}
	switch {
	case a.Rule.fanout != fanoutSummed:
		return g.usedMoreThanOnce(a.At)
	case a.Rule.edge != edgeNone:
		return a.At == "" || stmt >= 0
	}
	return g.hasOp(a.Rule.Op, stmt)
}

// hasOp reports whether an op named op occurs in statement stmt, or anywhere when stmt is -1.
func (g *Graph) hasOp(op string, stmt int) bool {
	for i := range g.nodes {
		n := &g.nodes[i]
		if n.op != nil && n.op.name == op && (stmt < 0 || n.stmt == stmt) {
			return true
		}
	}
	return false
}

// usedMoreThanOnce reports whether the named node name (any named node when name is "") is an
// argument of more than one operation.
func (g *Graph) usedMoreThanOnce(name string) bool {
	uses := map[int]int{}
	for i := range g.nodes {
		for _, a := range g.nodes[i].args {
			if g.nodes[a].name != "" {
				uses[a]++
			}
		}
	}
	for i, n := range uses {
		if n > 1 && (name == "" || g.nodes[i].name == name) {
			return true
		}
	}
	return false
}

// Readers returns the assigned names whose statements read name directly, in assignment order.
// The judge orders backward quantities by them: a gradient is complete once every reader has
// sent its share back.
func (g *Graph) Readers(name string) []string {
	i, ok := g.names[name]
	if !ok {
		return nil
	}
	var out []string
	for s := range g.stmtRoot {
		for k := g.stmtFirst[s]; k <= g.stmtRoot[s]; k++ {
			if slices.Contains(g.nodes[k].args, i) {
				out = append(out, g.nodes[g.stmtRoot[s]].name)
				break
			}
		}
	}
	return out
}

// TermsLeftOut returns, for a name whose statement is a sum or difference at the top (z = w*x + b),
// the value the name would have with one term left out: the first term alone, then the second
// with its sign (b, or −b for a difference). ok is false for any other statement. A student who
// forgets a term computes one of these; ForwardWith replays the rest from it.
func (r *Run) TermsLeftOut(name string) (values []Tensor, ok bool) {
	i, found := r.g.names[name]
	if !found || r.g.nodes[i].op != assignOp {
		return nil, false
	}
	top := &r.g.nodes[r.g.nodes[i].args[0]]
	if top.op == nil || (top.op.name != "+" && top.op.name != "-") {
		return nil, false
	}
	a, b := r.vals[top.args[0]].Clone(), r.vals[top.args[1]].Clone()
	if top.op.name == "-" {
		for k := range b.Data {
			b.Data[k] = -b.Data[k]
		}
	}
	return []Tensor{a, b}, true
}

// UnaryEdges returns the edges whose statement applies one element-wise function to one name
// (a = tanh(z)), with the function's name: the local derivatives a student computes from a rule
// of their own, which EvalWith can replay.
func (g *Graph) UnaryEdges() (edges []Edge, ops []string) {
	for s, root := range g.stmtRoot {
		top := &g.nodes[g.nodes[root].args[0]]
		if top.op == nil || !top.op.elementwise() || top.op.arity != 1 || top.op.usage == "" {
			continue
		}
		arg := &g.nodes[top.args[0]]
		if arg.name == "" || arg.stmt == s {
			continue
		}
		edges = append(edges, Edge{Of: g.nodes[root].name, Wrt: arg.name})
		ops = append(ops, top.op.name)
	}
	return edges, ops
}
