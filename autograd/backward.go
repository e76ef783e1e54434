package autograd

import (
	"errors"
	"slices"
)

// ErrNotApplicable reports that a bug rule cannot be followed on this graph (for example a
// gradient of the wrong shape would have to be added to another). It is not a student's error:
// the rule simply makes no prediction here.
var ErrNotApplicable = errors.New("the bug rule does not apply to this graph")

// Application says where a bug rule is followed: everywhere when At is "" (a belief the student
// holds), or only at the node named At (a slip). Also, when set, is a second rule followed in the
// same places: a student holding two beliefs at once (Combines says which pairs can be). The zero
// Application is the correct engine.
type Application struct {
	Rule *BugRule
	Also *BugRule
	At   string
}

// String names the application for reports: "relu-gate-ignored", "relu-gate-ignored@a", or
// "relu-gate-ignored+loss-sign-flipped" for two rules.
func (a Application) String() string {
	name := "reference"
	if a.Rule != nil {
		name = a.Rule.Name
	}
	if a.Also != nil {
		name += "+" + a.Also.Name
	}
	if a.At != "" {
		name += "@" + a.At
	}
	return name
}

// rules returns the rules a follows: none, one or two.
func (a Application) rules() []*BugRule {
	switch {
	case a.Rule == nil:
		return nil
	case a.Also == nil:
		return []*BugRule{a.Rule}
	}
	return []*BugRule{a.Rule, a.Also}
}

// Combines reports whether a student can hold both rules at once and the engine follow both: two
// different rules, not two versions of one op's backward rule, at most one of them changing how
// statements chain, and at most one changing how gradients meet.
func Combines(r, s *BugRule) bool {
	return r != s && (r.Op == "" || r.Op != s.Op) && (r.edge == edgeNone || s.edge == edgeNone) &&
		(r.fanout == fanoutSummed || s.fanout == fanoutSummed)
}

// inForce is what a follows at statement s: the rules replacing op backward rules, and the
// engine-level way the statement chains (edgeNone for the chain rule).
type inForce struct {
	ops  []*BugRule
	edge edgeKind
}

// inForceAt returns what a follows in the backward rules of statement s.
func (a Application) inForceAt(g *Graph, s int) inForce {
	var f inForce
	if a.At != "" && g.nodes[g.stmtRoot[s]].name != a.At {
		return f
	}
	for _, r := range a.rules() {
		switch {
		case r.edge != edgeNone:
			f.edge = r.edge
		case r.Op != "":
			f.ops = append(f.ops, r)
		}
	}
	return f
}

// forOp returns the rule replacing op's backward rule, or nil.
func (f inForce) forOp(op string) *BugRule {
	for _, r := range f.ops {
		if r.Op == op {
			return r
		}
	}
	return nil
}

// fanoutAt returns how gradients meeting at the named node leaf are combined under a.
func (a Application) fanoutAt(name string) fanoutKind {
	for _, r := range a.rules() {
		if r.fanout != fanoutSummed && (a.At == "" || a.At == name) {
			return r.fanout
		}
	}
	return fanoutSummed
}

type gradKey struct {
	from       int
	rule, also *BugRule
	at         string
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
	key := gradKey{from, app.Rule, app.Also, app.At}
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
	if app.At == "" && slices.ContainsFunc(app.rules(), func(r *BugRule) bool { return r.edge == edgeAdd }) {
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
	rules := app.inForceAt(r.g, s)
	var contribs []contrib
	var err error
	if rules.edge != edgeNone {
		contribs, err = r.edgeContribs(s, upstream, rules, grads)
	} else {
		contribs, err = r.chain(s, upstream, rules, grads)
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
func (r *Run) chain(s int, upstream Tensor, rules inForce, grads []Tensor) ([]contrib, error) {
	first, root := r.g.stmtFirst[s], r.g.stmtRoot[s]
	grads[root] = upstream
	out := r.contribs[:0]
	for i := root; i >= first; i-- {
		n := &r.g.nodes[i]
		if n.op == nil || !n.needsGrad || grads[i].Data == nil {
			continue
		}
		dargs, err := r.localBackward(i, grads[i], rules.forOp(n.op.name))
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
// this op's backward rule (nil for the op's own).
func (r *Run) localBackward(i int, g Tensor, rule *BugRule) ([]Tensor, error) {
	n := &r.g.nodes[i]
	if n.op == assignOp { // t = expr: the gradient passes unchanged (it is only read from here on)
		r.dargs[0] = g
		return r.dargs[:1], nil
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

// accumulate adds a contribution into its named node's gradient (micrograd's +=), or under a
// fan-out bug rule keeps only the last contribution to arrive (=) or only the first.
func (r *Run) accumulate(grads []Tensor, c contrib, app Application) error {
	cur := grads[c.leaf]
	fanout := app.fanoutAt(r.g.nodes[c.leaf].name)
	switch {
	case cur.Data == nil || fanout == fanoutLastWins:
		grads[c.leaf] = r.arena.clone(c.g)
		return nil
	case fanout == fanoutFirstWins:
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
// Rules replacing op backward rules in force at s shape the student's local derivative too.
func (r *Run) edgeContribs(s int, upstream Tensor, rules inForce, grads []Tensor) ([]contrib, error) {
	locals, err := r.chain(s, r.arena.full(upstream.Shape, 1), inForce{ops: rules.ops}, grads)
	grads[r.g.stmtRoot[s]] = upstream
	if err != nil {
		return nil, err
	}
	if rules.edge == edgeDropUpstream {
		return locals, nil // the local derivatives alone: the gradient from above is not used
	}
	for i, c := range locals {
		up, ok := fitShape(upstream, r.vals[c.leaf].Shape)
		if !ok {
			return nil, ErrNotApplicable
		}
		switch rules.edge {
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
