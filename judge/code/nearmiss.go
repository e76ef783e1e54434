package code

import (
	"fmt"
	"math"

	"gradjudge/autograd"
	"gradjudge/exercises"
)

// localNearMiss returns feedback naming the function whose local derivative the code gets wrong,
// when no rule explains its results but one function statement's local derivative (a = f(z)),
// replaced on every case by numbers of the code's own, makes every wrong gradient right: tanh′
// written as 1 − t, σ′ as 1 − σ, and other rules no built-in rule models. It returns "" when the
// structure does not allow it: the wrong results must be gradients shaped like z, so that each
// element's local derivative can be solved for.
func localNearMiss(p *plan, g grading) string {
	edges, ops := p.ex.Graph.UnaryEdges()
	for i, e := range edges {
		if explainsWrongResults(p, g, e) {
			return fmt.Sprintf("Your results fit a wrong local derivative of %s: ∂%s/∂%s. Check how your code computes %s′.",
				ops[i], e.Of, e.Wrt, ops[i])
		}
	}
	return ""
}

// explainsWrongResults reports whether, on every case, some local derivative along e makes every
// wrong gradient result right, and on some case it is not the right one.
func explainsWrongResults(p *plan, g grading, e autograd.Edge) bool {
	wrongLocal := false
	for c, in := range p.cases {
		d, ok := impliedLocal(p, g, c, e)
		if !ok {
			return false
		}
		right, err := localOf(in.Run, e)
		if err != nil {
			return false
		}
		wrongLocal = wrongLocal || p.code.Tolerance.Separates(d, right)
		for f, fn := range p.code.Funcs {
			for k, q := range fn.Results {
				if !g.wrong[f][k] {
					continue
				}
				v, ok := evalWithLocal(in.Run, q, e, d)
				if !ok || g.got[f][k][c].Data == nil || !(exercises.Tolerance{Rel: matchRel, Abs: matchAbs}).Accepts(g.got[f][k][c], v) {
					return false
				}
			}
		}
	}
	return wrongLocal
}

// impliedLocal solves, on case c, for the local derivative along e that the first wrong gradient
// result implies, element by element: the result is shaped like e's input and linear in it.
func impliedLocal(p *plan, g grading, c int, e autograd.Edge) (autograd.Tensor, bool) {
	run := p.cases[c].Run
	z, ok := run.Value(e.Wrt)
	if !ok {
		return autograd.Tensor{}, false
	}
	for f, fn := range p.code.Funcs {
		for k, q := range fn.Results {
			got := g.got[f][k][c]
			if !g.wrong[f][k] || !q.UsesGrad() || got.Data == nil || !autograd.SameShape(got.Shape, z.Shape) {
				continue
			}
			v0, ok0 := evalWithLocal(run, q, e, autograd.Full(z.Shape, 0))
			v1, ok1 := evalWithLocal(run, q, e, autograd.Full(z.Shape, 1))
			if !ok0 || !ok1 || !autograd.SameShape(v0.Shape, z.Shape) {
				return autograd.Tensor{}, false
			}
			d := autograd.Full(z.Shape, 0)
			for i := range d.Data {
				slope := v1.Data[i] - v0.Data[i]
				if math.Abs(slope) < 1e-12 {
					continue // this element carries no gradient through the edge
				}
				d.Data[i] = (got.Data[i] - v0.Data[i]) / slope
			}
			return d, true
		}
	}
	return autograd.Tensor{}, false
}

// evalWithLocal evaluates the gradient quantity q on run with e's local derivative replaced by d.
func evalWithLocal(run *autograd.Run, q *autograd.Quantity, e autograd.Edge, d autograd.Tensor) (autograd.Tensor, bool) {
	m := gradLabel.FindStringSubmatch(q.String())
	if m == nil {
		return autograd.Tensor{}, false
	}
	v, err := q.EvalWith(run, m[1], nil, map[autograd.Edge]autograd.Tensor{e: d})
	return v, err == nil
}

// localOf returns the right local derivative along e on run.
func localOf(run *autograd.Run, e autograd.Edge) (autograd.Tensor, error) {
	q, err := run.Graph().ParseQuantity(fmt.Sprintf("grad(%s, %s)", e.Of, e.Wrt))
	if err != nil {
		return autograd.Tensor{}, err
	}
	return q.Eval(run, autograd.Application{})
}
