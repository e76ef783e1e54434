package judge

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"gradjudge/autograd"
)

// TestWrongLocalDerivativeNoRuleModels: a student whose tanh′ or σ′ is a formula of their own
// (1 − t, t(1 − t), sech z; 1 − σ, 1 − σ²) is told which function's local derivative is wrong,
// with no tag, on every seed where the formula differs from the right one.
func TestWrongLocalDerivativeNoRuleModels(t *testing.T) {
	j := newJudge(t)
	formulas := map[string][]func(z, y float64) float64{
		"tanh": {
			func(z, t float64) float64 { return 1 - t },
			func(z, t float64) float64 { return t * (1 - t) },
			func(z, t float64) float64 { return 1 / math.Cosh(z) },
		},
		"sigmoid": {
			func(z, s float64) float64 { return 1 - s },
			func(z, s float64) float64 { return 1 - s*s },
		},
	}
	checked, named := 0, 0
	for _, id := range []string{"local-times-local", "single-neuron-sigmoid-backward"} {
		for seed := range uint64(10) {
			in, err := j.cat.Instance(id, seed)
			if err != nil {
				t.Fatal(err)
			}
			edges, ops := in.Exercise.Graph.UnaryEdges()
			for k, e := range edges {
				for f, local := range formulas[ops[k]] {
					zv, _ := in.Run.Value(e.Wrt)
					yv, _ := in.Run.Value(e.Of)
					d := local(zv.Item(), yv.Item())
					answers := slices.Clone(in.Answers)
					for i, q := range in.Exercise.Quantities {
						if v, ok := withLocal(in, i, e, d); ok && q.Backward {
							answers[i] = autograd.Scalar(v)
						}
					}
					right, _ := withLocalOf(in, e)
					if math.Abs(right.Item()-d) < 0.02*math.Abs(right.Item())+1e-3 {
						continue // the formula happens to agree here
					}
					v := j.gradeNumbers(in, answers)
					feedback := strings.Join(v.Feedback, "\n")
					what := fmt.Sprintf("%s seed %d, %s′ formula %d", id, seed, ops[k], f)
					checked++
					if len(v.Misconceptions) > 0 {
						continue // a rule happens to predict it too; what matters is no wrong claim below
					}
					if !strings.Contains(feedback, "wrong local derivative of "+ops[k]) {
						t.Errorf("%s: feedback %q; want it to name %s′", what, feedback, ops[k])
					}
					named++
				}
			}
		}
	}
	if checked < 20 || named*10 < checked*9 {
		t.Errorf("named the function for %d of %d submissions; want at least 20, and 90%% named without a tag", named, checked)
	}
	t.Logf("the wrong function's local derivative named for %d of %d submissions", named, checked)
}
