package autograd

import "errors"

// ErrNotApplicable reports that a bug rule cannot be followed on this graph (for example a
// gradient of the wrong shape would have to be added to another). It is not a student's error:
// the rule simply makes no prediction here.
var ErrNotApplicable = errors.New("the bug rule does not apply to this graph")

// Application says where a bug rule is followed: everywhere when At is "" (a belief the student
// holds), or only at the node named At (a slip). The zero Application is the correct engine.
type Application struct {
	Rule *BugRule
	At   string
}

// String names the application for reports: "relu-gate-ignored" or "relu-gate-ignored@a".
func (a Application) String() string {
	switch {
	case a.Rule == nil:
		return "reference"
	case a.At == "":
		return a.Rule.Name
	}
	return a.Rule.Name + "@" + a.At
}

// ruleAt returns the rule in force for the backward rules of statement s, or nil.
func (a Application) ruleAt(g *Graph, s int) *BugRule {
	if a.Rule == nil || (a.At != "" && g.nodes[g.stmtRoot[s]].name != a.At) {
		return nil
	}
	return a.Rule
}

type gradKey struct {
	from int
	rule *BugRule
	at   string
}

// contrib is one gradient contribution arriving at a named node from a statement that uses it.
type contrib struct {
	leaf int
	g    Tensor
}

// Gradients returns d of / d name for every input and assigned name (a zero tensor where of does
// not depend on the name), computed under app. of must be a scalar node. The tensors are owned by
// the run.
func (r *Run) Gradients(of string, app Application) (map[string]Tensor, error) {
	from, ok := r.g.names[of]
	if !ok {
		return nil, errorf(KindUndefined, Pos{}, "`%s` is not a name of this graph", of)
	}
	if !r.vals[from].IsScalar() {
		return nil, errorf(KindNotScalarOutput, r.g.nodes[from].pos,
			"gradients are taken of a single number, but `%s` has shape %s; reduce it with sum(...) or mean(...)",
			of, ShapeString(r.vals[from].Shape))
	}
	grads, err := r.gradsFrom(from, app)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Tensor, len(r.g.names))
	for name, i := range r.g.names {
		out[name] = r.gradOrZero(grads, i)
	}
	return out, nil
}

func (r *Run) gradOrZero(grads []Tensor, i int) Tensor {
	if grads[i].Data == nil {
		return Full(r.vals[i].Shape, 0)
	}
	return grads[i]
}

// gradsFrom runs the backward pass from node from, seeded with ones shaped like it, under app.
// Assignment order is a topological order (a name is used only after the statement that assigns
// it), so the walk is simply the statements in reverse.
func (r *Run) gradsFrom(from int, app Application) ([]Tensor, error) {
	key := gradKey{from, app.Rule, app.At}
	if g, ok := r.cache[key]; ok {
		return g, nil
	}
	grads := make([]Tensor, len(r.g.nodes))
	if err := r.backward(grads, from, app, nil); err != nil {
		return nil, err
	}
	if r.cache == nil {
		r.cache = map[gradKey][]Tensor{}
	}
	r.cache[key] = grads
	return grads, nil
}

// backward fills grads (one entry per node, all empty) with d from / d node under app, with the
// student's own numbers of ov (nil for none) in place of the engine's.
func (r *Run) backward(grads []Tensor, from int, app Application, ov *overrides) error {
	seed := 1.0
	if app.Rule != nil && app.Rule.edge == edgeAdd && app.At == "" {
		seed = 0 // a student who adds local derivatives starts from the additive identity
	}
	grads[from] = r.arena.full(r.vals[from].Shape, seed)
	for s := r.g.nodes[from].stmt; s >= 0; s-- {
		if err := ov.replaceGrad(r, grads, r.g.stmtRoot[s], from); err != nil {
			return err
		}
		if err := r.backStatement(s, grads, app, ov); err != nil {
			return err
		}
	}
	for _, name := range r.g.inputs {
		if err := ov.replaceGrad(r, grads, r.g.names[name], from); err != nil {
			return err
		}
	}
	return r.checkGrads(grads)
}

// backStatement sends the gradient of statement s's named node back through its expression to the
// named nodes it uses.
func (r *Run) backStatement(s int, grads []Tensor, app Application, ov *overrides) error {
	upstream := grads[r.g.stmtRoot[s]]
	if upstream.Data == nil {
		return nil
	}
	rule := app.ruleAt(r.g, s)
	var contribs []contrib
	var err error
	if rule != nil && rule.edge != edgeNone {
		contribs, err = r.edgeContribs(s, upstream, rule.edge, grads)
	} else {
		contribs, err = r.chain(s, upstream, rule, grads)
	}
	if err != nil {
		return err
	}
	contribs = ov.replaceLocals(r, s, upstream, contribs)
	for _, c := range contribs {
		if err := r.accumulate(grads, c, app); err != nil {
			return err
		}
	}
	return nil
}

// chain applies the chain rule inside statement s: each node's local backward rule times the
// gradient from above, in reverse order of the statement's nodes. Inner nodes have exactly one
// consumer; what reaches named nodes is returned as contributions.
func (r *Run) chain(s int, upstream Tensor, rule *BugRule, grads []Tensor) ([]contrib, error) {
	first, root := r.g.stmtFirst[s], r.g.stmtRoot[s]
	grads[root] = upstream
	out := r.contribs[:0]
	for i := root; i >= first; i-- {
		n := &r.g.nodes[i]
		if n.op == nil || !n.needsGrad || grads[i].Data == nil {
			continue
		}
		dargs, err := r.localBackward(i, grads[i], rule)
		if err != nil {
			return nil, err
		}
		for j, a := range n.args {
			switch {
			case !r.g.nodes[a].needsGrad:
			case r.g.nodes[a].stmt == s:
				grads[a] = dargs[j]
			default:
				out = append(out, contrib{a, dargs[j]})
			}
		}
	}
	r.contribs = out[:0]
	return out, nil
}

// localBackward returns d node/d arg · g for each argument of node i, under rule when it replaces
// this op's backward rule.
func (r *Run) localBackward(i int, g Tensor, rule *BugRule) ([]Tensor, error) {
	n := &r.g.nodes[i]
	if n.op == assignOp { // t = expr: the gradient passes unchanged (it is only read from here on)
		r.dargs[0] = g
		return r.dargs[:1], nil
	}
	if rule != nil && rule.Op != n.op.name {
		rule = nil
	}
	in := r.bscratch[:len(n.args)]
	for j, a := range n.args {
		in[j] = r.vals[a]
	}
	switch {
	case rule != nil && rule.backward != nil:
		return rule.backward(in, r.vals[i], g)
	case n.op.elementwise():
		d := n.op.d
		if rule != nil && rule.local != nil {
			d = rule.local
		}
		return r.elementwiseBackward(i, in, g, d), nil
	}
	return n.op.backward(in, r.vals[i], g), nil
}

// elementwiseBackward multiplies the local derivatives by g element by element and sums each
// argument's share over the dimensions it was broadcast along.
func (r *Run) elementwiseBackward(i int, in []Tensor, g Tensor, d func(a, b, y float64) (float64, float64)) []Tensor {
	n := &r.g.nodes[i]
	y := r.vals[i].Data
	da := r.arena.zeros(in[0].Shape)
	if n.op.arity == 1 {
		for k := range y {
			l, _ := d(in[0].Data[k], 0, y[k])
			da.Data[k] = l * g.Data[k]
		}
		r.dargs[0] = da
		return r.dargs[:1]
	}
	db := r.arena.zeros(in[1].Shape)
	wantA, wantB := r.g.nodes[n.args[0]].needsGrad, r.g.nodes[n.args[1]].needsGrad
	ia, ib := r.bidx[i][0], r.bidx[i][1]
	for k := range y {
		ka, kb := at(ia, k), at(ib, k)
		la, lb := d(in[0].Data[ka], in[1].Data[kb], y[k])
		if wantA {
			da.Data[ka] += la * g.Data[k]
		}
		if wantB {
			db.Data[kb] += lb * g.Data[k]
		}
	}
	r.dargs[0], r.dargs[1] = da, db
	return r.dargs[:2]
}

// accumulate adds a contribution into its named node's gradient (micrograd's +=), or overwrites it
// under the fan-out bug rule.
func (r *Run) accumulate(grads []Tensor, c contrib, app Application) error {
	overwrite := app.Rule != nil && app.Rule.overwrite && (app.At == "" || app.At == r.g.nodes[c.leaf].name)
	cur := grads[c.leaf]
	if cur.Data == nil || overwrite {
		grads[c.leaf] = r.arena.clone(c.g)
		return nil
	}
	if !SameShape(cur.Shape, c.g.Shape) {
		return ErrNotApplicable
	}
	for k, v := range c.g.Data {
		cur.Data[k] += v
	}
	return nil
}

// edgeContribs applies an engine-level bug rule at statement s: the student's "local derivative"
// of the statement with respect to each name it uses (the statement's derivative when the gradient
// from above is one) is combined with the gradient from above by the rule instead of multiplied.
func (r *Run) edgeContribs(s int, upstream Tensor, kind edgeKind, grads []Tensor) ([]contrib, error) {
	locals, err := r.chain(s, r.arena.full(upstream.Shape, 1), nil, grads)
	grads[r.g.stmtRoot[s]] = upstream
	if err != nil {
		return nil, err
	}
	for i, c := range locals {
		up, ok := fitShape(upstream, r.vals[c.leaf].Shape)
		if !ok {
			return nil, ErrNotApplicable
		}
		switch kind {
		case edgeAdd:
			for k := range up.Data {
				up.Data[k] += c.g.Data[k]
			}
			locals[i].g = up
		case edgeDropLocal:
			locals[i].g = up
		}
	}
	return locals, nil
}

// fitShape broadcasts t to shape, or sums it down to shape, whichever the shapes allow.
func fitShape(t Tensor, shape []int) (Tensor, bool) {
	if out, ok := broadcastShape(t.Shape, shape); ok && SameShape(out, shape) {
		res := Full(shape, 0)
		idx := broadcastIndex(t.Shape, shape)
		for k := range res.Data {
			res.Data[k] = t.Data[at(idx, k)]
		}
		return res, true
	}
	if out, ok := broadcastShape(shape, t.Shape); ok && SameShape(out, t.Shape) {
		res := Full(shape, 0)
		idx := broadcastIndex(shape, t.Shape)
		for k, v := range t.Data {
			res.Data[at(idx, k)] += v
		}
		return res, true
	}
	return Tensor{}, false
}

func (r *Run) checkGrads(grads []Tensor) error {
	for i := range r.g.nodes {
		if r.g.nodes[i].name == "" || grads[i].Data == nil {
			continue
		}
		if k := grads[i].firstNonFinite(); k >= 0 {
			n := &r.g.nodes[i]
			return errorf(KindNotFinite, n.pos, "the gradient with respect to `%s` is %v: the backward pass overflows or divides by zero",
				n.name, grads[i].Data[k])
		}
	}
	return nil
}
