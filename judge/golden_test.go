package judge

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gradjudge"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenCases are typical wrong submissions, their answers worked out by hand from the variant's
// inputs (shown in each comment), not by the engine under test.
var goldenCases = []struct {
	name, exercise string
	seed           uint64
	answers        string
}{
	// w = −2, x = 2, b = 0, y = 0.5: z = −4 (a dead unit), ∂L/∂a = −1, every gradient below the
	// ReLU is 0; the student lets it through: ∂L/∂z = −1, ∂L/∂w = −1·2, ∂L/∂b = −1.
	{"relu-gate-ignored", "single-neuron-relu-backward", 7,
		`{"z": -4, "a": 0, "dL_da": -1, "da_dz": 1, "dL_dz": -1, "dL_dw": -2, "dL_db": -1}`},
	// z = 1.5, a = σ(1.5) = 0.8176, y = 0; σ′ taken as σ, answers rounded to 3 figures.
	{"sigmoid-derivative-as-sigmoid", "single-neuron-sigmoid-backward", 1,
		`{"a": "0.818", "dL_da": "1.64", "da_dz": "0.818", "dL_dz": "1.34", "dL_dw": "-0.668", "dL_db": "1.34"}`},
	// w = −1, x = −1.5, y = −0.5, η = 0.05: ∂L/∂w = −6, w′ = −0.7; the student climbs to −1.3.
	{"update-sign-flipped", "gradient-descent-step", 1, `{"dL_dw": -6, "new_w": "-1.3"}`},
	// The same variant: the updated weight given where the gradient was asked.
	{"update-given-as-gradient", "gradient-descent-step", 1, `{"dL_dw": -0.7, "new_w": -0.7}`},
	// ŷ − y = [2, −0.5, −1.5]: ∂L/∂ŷ = (2/3)(ŷ − y); the student forgets the 1/3.
	{"mean-factor-dropped", "mse-batch", 1, `{"dL_dyhat": [4, -1, -3], "dL_dw": [-11, -3], "dL_db": 0}`},
	// g = ∂L/∂y = [3.5, −6.5], x = [−1.5, −1, 1]: ∂L/∂W = g·xᵀ; the student gives x·gᵀ.
	{"matmul-not-transposed", "vector-linear-layer", 1,
		`{"dL_dy": [3.5, -6.5], "dL_dW": [[-5.25, 9.75], [-3.5, 6.5], [3.5, -6.5]], "dL_dx": [-8.5, -5, 8], "dL_db": [3.5, -6.5]}`},
	// w = −1, x = −1.5, b = −1, y = 1: z = 0.5, but the student has 0.6 and carries it through.
	{"forward-value-wrong", "single-neuron-relu-backward", 3,
		`{"z": "0.6", "a": 0.6, "dL_da": "-0.8", "da_dz": 1, "dL_dz": "-0.8", "dL_dw": 1.2, "dL_db": -0.8}`},
	// w = −1, x = −2, b = 0.5, y = 0: nothing here can be read.
	{"unreadable", "single-neuron-forward", 3, `{"z": "2,5", "a": "", "L": "NaN", "dL_dz": 1}`},
	{"global-information", "layer-one-gradient", 1, `{"choice": "whole-network"}`},
}

func TestGolden(t *testing.T) {
	j := newJudge(t)
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			var fields map[string]json.RawMessage
			if err := json.Unmarshal([]byte(tc.answers), &fields); err != nil {
				t.Fatal(err)
			}
			a := gradjudge.Answer{Fields: fields}
			if c, ok := fields["choice"]; ok {
				a = gradjudge.Answer{Choice: strings.Trim(string(c), `"`)}
			}
			v, err := j.Grade(context.Background(), tc.exercise, tc.seed, a)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata", tc.name+".golden"), render(v))
		})
	}
}

// render prints a verdict the way a student reads it.
func render(v gradjudge.Verdict) string {
	var b strings.Builder
	fmt.Fprintf(&b, "status: %s, score %.2f\n", v.Status, v.Score)
	for _, r := range v.Results {
		fmt.Fprintf(&b, "%s: %s: %s", r.ID, r.Status, r.Message)
		if len(r.Tags) > 0 {
			fmt.Fprintf(&b, " %v", r.Tags)
		}
		if r.ConsistentWith != "" {
			fmt.Fprintf(&b, " (consistent with %s)", r.ConsistentWith)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "misconceptions: %v\nfirst wrong: %s\n", v.Misconceptions, v.FirstWrong)
	for _, f := range v.Feedback {
		fmt.Fprintf(&b, "> %s\n", f)
	}
	return b.String()
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./judge -run TestGolden -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", path, got, want)
	}
}
