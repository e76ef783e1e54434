package judge

import (
	"fmt"
	"math"

	"gradjudge/autograd"
	"gradjudge/exercises"
)

// localNearMiss is a wrong local derivative that no built-in rule models (tanh′ taken as 1 − t,
// σ′ as 1 − σ, …) but that explains the wrong gradients: one element-wise function's local
// derivative replaced by the student's own number.
type localNearMiss struct {
	edge  autograd.Edge
	op    string
	value float64 // the local derivative the student's answers imply
}

// findLocalNearMiss looks, when no rule explains a submission, for one function statement
// (a = f(z), z one number) whose local derivative, replaced by a number of the student's, makes
// every wrong backward answer right and leaves every right one right. The answers are linear in
// that number, so two replays find it.
func findLocalNearMiss(in *exercises.Instance, got []autograd.Tensor, right []bool, d diagnosis) (localNearMiss, bool) {
	edges, ops := in.Exercise.Graph.UnaryEdges()
	for k, e := range edges {
		if t, ok := impliedLocal(in, got, right, d, e); ok {
			return localNearMiss{edge: e, op: ops[k], value: t}, true
		}
	}
	return localNearMiss{}, false
}

// impliedLocal solves for the local derivative of e that the first unexplained wrong backward
// answer implies, then checks it against every backward answer.
func impliedLocal(in *exercises.Instance, got []autograd.Tensor, right []bool, d diagnosis, e autograd.Edge) (float64, bool) {
	z, ok := in.Run.Value(e.Wrt)
	if !ok || !z.IsScalar() {
		return 0, false
	}
	t, found := math.NaN(), false
	for _, i := range in.Exercise.Order {
		q := in.Exercise.Quantities[i]
		if !q.Backward || right[i] || d.consistent[i] >= 0 || !got[i].IsScalar() {
			continue
		}
		v0, ok0 := withLocal(in, i, e, 0)
		v1, ok1 := withLocal(in, i, e, 1)
		if !ok0 || !ok1 || math.Abs(v1-v0) < 1e-12 {
			return 0, false // this wrong answer does not go through the edge
		}
		t, found = (got[i].Item()-v0)/(v1-v0), true
		break
	}
	if !found {
		return 0, false
	}
	if local, ok := withLocalOf(in, e); ok && !(exercises.Tolerance{Rel: 0.01, Abs: 1e-4}).Separates(autograd.Scalar(t), local) {
		return 0, false // the right local derivative: the mistake is elsewhere
	}
	for i, q := range in.Exercise.Quantities {
		if !q.Backward || d.consistent[i] >= 0 {
			continue
		}
		v, ok := withLocal(in, i, e, t)
		if !ok || !q.Tolerance.Accepts(got[i], autograd.Scalar(v)) {
			return 0, false
		}
	}
	return t, true
}

// withLocal evaluates backward quantity i with e's local derivative replaced by t.
func withLocal(in *exercises.Instance, i int, e autograd.Edge, t float64) (float64, bool) {
	q := in.Exercise.Quantities[i]
	if q.Local && q.Of == e.Of && q.Stands == e.Wrt {
		return t, true // the local derivative itself
	}
	v, err := q.Expr.EvalWith(in.Run, q.Of, nil, map[autograd.Edge]autograd.Tensor{e: autograd.Scalar(t)})
	if err != nil || !v.IsScalar() {
		return 0, false
	}
	return v.Item(), true
}

// withLocalOf returns the right local derivative along e.
func withLocalOf(in *exercises.Instance, e autograd.Edge) (autograd.Tensor, bool) {
	q, err := in.Exercise.Graph.ParseQuantity(fmt.Sprintf("grad(%s, %s)", e.Of, e.Wrt))
	if err != nil {
		return autograd.Tensor{}, false
	}
	v, err := q.Eval(in.Run, autograd.Application{})
	return v, err == nil
}

// feedback tells the student which local derivative their answers point to, in their own number.
func (m localNearMiss) feedback() string {
	return fmt.Sprintf("Your gradients fit a wrong local derivative of %s: ∂%s/∂%s taken as %s. Check how you computed %s′ at %s.",
		m.op, m.edge.Of, m.edge.Wrt, exercises.FormatNumber(m.value), m.op, m.edge.Wrt)
}
