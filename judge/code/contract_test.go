package code

import (
	"slices"
	"strings"
	"testing"

	"gradjudge"
)

// TestWrongProgramsNoRuleModels: programs that no bug rule models, which the cases of every seed
// must still catch: a result that is the caller's own slice, a ReLU gated on w·x without the bias,
// and a linear layer's gradients with rows and columns swapped.
func TestWrongProgramsNoRuleModels(t *testing.T) {
	cases := []struct {
		name, id, src, feedback string
		tag                     string // the misconception it must earn, if any
	}{
		{"relu returns g itself when every unit is on", "code-relu-backward", `package solution

func ReluBackward(z, g []float64) []float64 {
	for _, v := range z {
		if v <= 0 {
			out := make([]float64, len(g))
			for i := range g {
				if z[i] > 0 {
					out[i] = g[i]
				}
			}
			return out
		}
	}
	return g
}
`, "shares memory with an argument", ""},
		{"gate on w·x without the bias", "code-neuron-backward", neuron("", "", `	z := w*x + b
	a := max(z, 0)
	if w*x <= 0 {
		return 0, 0
	}
	g := -2 * (y - a)
	return g * x, g`), "is wrong", ""},
		{"bias left out of z", "code-neuron-backward", neuron("", "", `	z := w * x
	if z <= 0 {
		return 0, 0
	}
	g := -2 * (y - z)
	return g * x, g`), "is wrong", "forward-value-wrong"},
		{"rows and columns swapped", "code-linear-backward", `package solution

func LinearBackward(W [][]float64, x, b, g []float64) (dW [][]float64, dx, db []float64) {
	dW = make([][]float64, len(x))
	dx = make([]float64, len(x))
	db = make([]float64, len(b))
	for j := range x {
		dW[j] = make([]float64, len(g))
		for i := range g {
			dW[j][i] = g[i] * x[j]
			dx[j] += W[i][j] * g[i]
		}
	}
	for i := range g {
		db[i] = g[i]
	}
	return dW, dx, db
}
`, "must have shape", "matmul-not-transposed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for seed := range uint64(4) {
				v := gradeCode(t, tc.id, seed, tc.src)
				feedback := strings.Join(v.Feedback, "\n")
				if v.Status != gradjudge.StatusWrongAnswer || !strings.Contains(feedback, tc.feedback) {
					t.Errorf("seed %d: got %s, feedback %q; want wrong_answer, feedback containing %q", seed, v.Status, feedback, tc.feedback)
				}
				if tc.tag != "" && !slices.Equal(v.Misconceptions, []string{tc.tag}) {
					t.Errorf("seed %d: tagged %v, want [%s]", seed, v.Misconceptions, tc.tag)
				}
			}
		})
	}
}
