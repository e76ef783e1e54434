package autograd

import (
	"fmt"
	"slices"
)

// This file serves the exercise judge: replaying a student's own wrong intermediate values
// (error carried forward) and telling which bug rule applications can change anything.

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
// it is sent further back: the backward pass of a student who computed those gradients
// differently. A quantity that reads grad(of, name) for a replaced name gets the replacement.
func (q *Quantity) EvalWith(r *Run, of string, grads map[string]Tensor) (Tensor, error) {
	if r.g != q.g {
		return Tensor{}, fmt.Errorf("quantity %q evaluated on a run of another graph", q.src)
	}
	from, ok := r.g.names[of]
	if !ok || !r.vals[from].IsScalar() {
		return Tensor{}, fmt.Errorf("eval with overrides: `%s` is not a scalar node", of)
	}
	c := *r // shares the forward values, which the backward pass only reads
	g, err := c.gradsOverridden(from, grads)
	if err != nil {
		return Tensor{}, err
	}
	c.cache = map[gradKey][]Tensor{{from: from}: g}
	return q.Eval(&c, Application{})
}

// gradsOverridden is gradsFrom with the correct engine and replaced gradients.
func (r *Run) gradsOverridden(from int, over map[string]Tensor) ([]Tensor, error) {
	grads := make([]Tensor, len(r.g.nodes))
	grads[from] = Full(r.vals[from].Shape, 1)
	replace := func(i int) error {
		t, ok := over[r.g.nodes[i].name]
		if !ok || i == from {
			return nil
		}
		if !sameValueShape(r.vals[i], t) {
			return fmt.Errorf("eval with overrides: the gradient for `%s` must have shape %s, not %s",
				r.g.nodes[i].name, ShapeString(r.vals[i].Shape), ShapeString(t.Shape))
		}
		grads[i] = Tensor{Shape: cloneShape(r.vals[i].Shape), Data: append([]float64(nil), t.Data...)}
		return nil
	}
	for s := r.g.nodes[from].stmt; s >= 0; s-- {
		if err := replace(r.g.stmtRoot[s]); err != nil {
			return nil, err
		}
		if err := r.backStatement(s, grads, Application{}); err != nil {
			return nil, err
		}
	}
	for _, name := range r.g.inputs {
		if err := replace(r.g.names[name]); err != nil {
			return nil, err
		}
	}
	return grads, r.checkGrads(grads)
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
	if a.Rule == nil {
		return false
	}
	stmt := -1
	if a.At != "" {
		i, ok := g.names[a.At]
		if !ok {
			return false
		}
		stmt = g.nodes[i].stmt
	}
	switch {
	case a.Rule.overwrite:
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
