package code

import (
	"slices"
	"strings"
	"testing"

	"gradjudge"
	"gradjudge/autograd"
	"gradjudge/exercises"
)

// TestCodeLocalNearMiss: code whose tanh′ or σ′ is a formula of its own (1 − t, 1 − σ) is told
// which function's local derivative is wrong, with no tag, on every seed.
func TestCodeLocalNearMiss(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id, op string
		local  func(y float64) float64
	}{
		{"code-tanh-backward", "tanh", func(t float64) float64 { return 1 - t }},
		{"code-sigmoid-backward", "sigmoid", func(s float64) float64 { return 1 - s }},
	} {
		e, err := cat.Lookup(tc.id)
		if err != nil {
			t.Fatal(err)
		}
		edges, ops := e.Graph.UnaryEdges()
		i := slices.Index(ops, tc.op)
		if i < 0 {
			t.Fatalf("%s has no %s statement", tc.id, tc.op)
		}
		edge := edges[i]
		for seed := range uint64(5) {
			p, err := newPlan(e, seed)
			if err != nil {
				t.Fatal(err)
			}
			sim := newSimulation(p)
			replies, ok := sim.replies(autograd.Application{})
			if !ok {
				t.Fatal("the reference cannot answer")
			}
			for c, call := range p.calls {
				y, _ := sim.runs[c].Value(edge.Of)
				d := autograd.Full(y.Shape, 0)
				for k, v := range y.Data {
					d.Data[k] = tc.local(v)
				}
				for k, q := range p.code.Funcs[call.fn].Results {
					if v, ok := evalWithLocal(sim.runs[c], q, edge, d); ok {
						replies[c].results[k] = v
					}
				}
			}
			v := resultVerdict(p, gradeReplies(p, replies))
			feedback := strings.Join(v.Feedback, "\n")
			if v.Status != gradjudge.StatusWrongAnswer || len(v.Misconceptions) > 0 ||
				!strings.Contains(feedback, "wrong local derivative of "+tc.op) {
				t.Errorf("%s seed %d: %s tagged %v, feedback %q; want wrong_answer, no tag, %s′ named",
					tc.id, seed, v.Status, v.Misconceptions, feedback, tc.op)
			}
		}
	}
}
