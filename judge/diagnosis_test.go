package judge

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"gradjudge"
)

// TestCarriedForwardEarnsNoRuleTags: an answer that is right for the student's own upstream answers
// shows a step done right, so it earns no bug-rule tag even when it equals a bug rule's prediction.
func TestCarriedForwardEarnsNoRuleTags(t *testing.T) {
	j := newJudge(t)
	// single-neuron-relu-backward, seed 7: w = −2, x = 2, b = 0, y = 0.5, so z = −4 and the unit is
	// off: a = 0, ∂L/∂a = −1, ∂a/∂z = 0 and every gradient below it is 0.
	for _, tc := range []struct {
		name, fields string
		tags         map[string][]string // per quantity; a quantity not listed has none
		want         []string            // the verdict's misconceptions
	}{
		// z's sign is wrong; for the student's own z = 4 the unit is on, a = 4, ∂L/∂a = −2(0.5 − 4)
		// = 7, ∂a/∂z = 1, ∂L/∂z = 7, ∂L/∂w = 7·2 = 14, ∂L/∂b = 7: every step is right for it.
		{"sign of z wrong, rest right for it",
			`{"z": "4", "a": "4", "dL_da": "7", "da_dz": "1", "dL_dz": "7", "dL_dw": "14", "dL_db": "7"}`,
			map[string][]string{"z": {ForwardValueWrong}}, []string{ForwardValueWrong}},
		// z is wrong but still negative: for z = −5 the unit is off too, so ∂a/∂z = 1 is the ReLU
		// bug, not z carried forward; the gradients it lets through (∂L/∂z = −1, ∂L/∂w = −2,
		// ∂L/∂b = −1) are right for the student's own ∂a/∂z.
		{"z wrong, gate ignored",
			`{"z": "-5", "a": "0", "dL_da": "-1", "da_dz": "1", "dL_dz": "-1", "dL_dw": "-2", "dL_db": "-1"}`,
			map[string][]string{"da_dz": {"relu-gate-ignored"}}, []string{"relu-gate-ignored"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := gradeFields(t, j, "single-neuron-relu-backward", 7, tc.fields)
			if !slices.Equal(v.Misconceptions, tc.want) {
				t.Errorf("misconceptions %v, want %v", v.Misconceptions, tc.want)
			}
			for _, r := range v.Results {
				if !slices.Equal(r.Tags, tc.tags[r.ID]) {
					t.Errorf("%s: tags %v, want %v (%s)", r.ID, r.Tags, tc.tags[r.ID], r.Message)
				}
			}
		})
	}
}

// TestLocalDerivativeCarriedForward: a later gradient that is right for the student's own wrong
// local derivative ∂a/∂z is marked consistent with it, not blamed, and only ∂a/∂z earns a tag; a
// later gradient that the student's ∂a/∂z does not explain stays an error of its own.
func TestLocalDerivativeCarriedForward(t *testing.T) {
	j := newJudge(t)
	const relu, sigmoid = "single-neuron-relu-backward", "single-neuron-sigmoid-backward"
	// relu seed 3: w = −1, x = −1.5, b = −1, y = 1, so z = 0.5, a = 0.5, ∂L/∂a = −1, ∂a/∂z = 1.
	// relu seed 7: w = −2, x = 2, b = 0, y = 0.5, so z = −4 (off), a = 0, ∂L/∂a = −1, ∂a/∂z = 0.
	// sigmoid seed 1: w = −2, x = −0.5, b = 0.5, y = 0, so z = 1.5, a = σ(1.5) = 0.8176,
	// ∂L/∂a = 2a = 1.635, ∂a/∂z = a(1 − a) = 0.1491.
	for _, tc := range []struct {
		name, exercise string
		seed           uint64
		fields         string
		consistent     map[string]string   // wrong answer → the answer it is consistent with
		tags           map[string][]string // per quantity; a quantity not listed has none
		want           []string            // the verdict's misconceptions
	}{
		// The dead unit's gate ignored: ∂a/∂z = 1, so ∂L/∂z = −1·1, ∂L/∂w = −1·2, ∂L/∂b = −1.
		{"relu gate ignored", relu, 7,
			`{"z": -4, "a": 0, "dL_da": -1, "da_dz": 1, "dL_dz": -1, "dL_dw": -2, "dL_db": -1}`,
			map[string]string{"dL_dz": "da_dz", "dL_dw": "dL_dz", "dL_db": "dL_dz"},
			map[string][]string{"da_dz": {"relu-gate-ignored"}}, []string{"relu-gate-ignored"}},
		// A live unit taken as off: ∂a/∂z = 0, so every gradient below it is 0. No rule predicts
		// it, so nothing is tagged, but ∂a/∂z is still where it goes wrong.
		{"relu live unit taken as off", relu, 3,
			`{"z": 0.5, "a": 0.5, "dL_da": -1, "da_dz": 0, "dL_dz": 0, "dL_dw": 0, "dL_db": 0}`,
			map[string]string{"dL_dz": "da_dz", "dL_dw": "dL_dz", "dL_db": "dL_dz"}, nil, nil},
		// σ′ taken as σ = 0.818: ∂L/∂z = 1.635·0.8176 = 1.337, ∂L/∂w = 1.337·(−0.5) = −0.668.
		{"sigmoid derivative as sigmoid", sigmoid, 1,
			`{"a": "0.818", "dL_da": "1.64", "da_dz": "0.818", "dL_dz": "1.34", "dL_dw": "-0.668", "dL_db": "1.34"}`,
			map[string]string{"dL_dz": "da_dz", "dL_dw": "dL_dz", "dL_db": "dL_dz"},
			map[string][]string{"da_dz": {"sigmoid-derivative-wrong"}}, []string{"sigmoid-derivative-wrong"}},
		// σ′ taken as z(1 − z) = 1.5·(−0.5) = −0.75: ∂L/∂z = 1.635·(−0.75) = −1.226, ∂L/∂w = 0.613.
		{"sigmoid derivative of the pre-activation", sigmoid, 1,
			`{"a": "0.818", "dL_da": "1.64", "da_dz": "-0.75", "dL_dz": "-1.23", "dL_dw": "0.613", "dL_db": "-1.23"}`,
			map[string]string{"dL_dz": "da_dz", "dL_dw": "dL_dz", "dL_db": "dL_dz"},
			map[string][]string{"da_dz": {"sigmoid-derivative-wrong"}}, []string{"sigmoid-derivative-wrong"}},
		// σ′ taken as its largest value 0.25: ∂L/∂z = 1.635·0.25 = 0.409, ∂L/∂w = −0.204.
		{"sigmoid derivative guessed", sigmoid, 1,
			`{"a": "0.818", "dL_da": "1.64", "da_dz": "0.25", "dL_dz": "0.409", "dL_dw": "-0.204", "dL_db": "0.409"}`,
			map[string]string{"dL_dz": "da_dz", "dL_dw": "dL_dz", "dL_db": "dL_dz"}, nil, nil},
		// Not explained: with ∂a/∂z = 1 the student's own ∂L/∂z would be −1, not 5; ∂L/∂w = 5·2 and
		// ∂L/∂b = 5 follow from that ∂L/∂z.
		{"relu later gradient unexplained", relu, 7,
			`{"z": -4, "a": 0, "dL_da": -1, "da_dz": 1, "dL_dz": 5, "dL_dw": 10, "dL_db": 5}`,
			map[string]string{"dL_dw": "dL_dz", "dL_db": "dL_dz"},
			map[string][]string{"da_dz": {"relu-gate-ignored"}}, []string{"relu-gate-ignored"}},
		// Not explained: the student adds their σ′ to ∂L/∂a (1.635 + 0.818 = 2.45) instead of
		// multiplying (1.337); ∂L/∂w = 2.45·(−0.5) follows from that ∂L/∂z.
		{"sigmoid local added, not multiplied", sigmoid, 1,
			`{"a": "0.818", "dL_da": "1.64", "da_dz": "0.818", "dL_dz": "2.45", "dL_dw": "-1.23", "dL_db": "2.45"}`,
			map[string]string{"dL_dw": "dL_dz", "dL_db": "dL_dz"},
			map[string][]string{"da_dz": {"sigmoid-derivative-wrong"}}, []string{"sigmoid-derivative-wrong"}},
		// Not explained: ∂L/∂z is right for the student's σ′, but ∂L/∂w drops the factor x.
		{"sigmoid later local factor dropped", sigmoid, 1,
			`{"a": "0.818", "dL_da": "1.64", "da_dz": "0.818", "dL_dz": "1.34", "dL_dw": "1.34", "dL_db": "1.34"}`,
			map[string]string{"dL_dz": "da_dz", "dL_db": "dL_dz"},
			map[string][]string{"da_dz": {"sigmoid-derivative-wrong"}}, []string{"sigmoid-derivative-wrong"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := gradeFields(t, j, tc.exercise, tc.seed, tc.fields)
			if v.FirstWrong != "da_dz" {
				t.Errorf("first wrong %q, want da_dz", v.FirstWrong)
			}
			if !slices.Equal(v.Misconceptions, tc.want) {
				t.Errorf("misconceptions %v, want %v", v.Misconceptions, tc.want)
			}
			for _, r := range v.Results {
				if r.ID != "da_dz" && r.Status == gradjudge.StatusAccepted {
					continue
				}
				if r.Status != gradjudge.StatusWrongAnswer || r.ConsistentWith != tc.consistent[r.ID] {
					t.Errorf("%s: %s consistent with %q, want wrong consistent with %q (%s)",
						r.ID, r.Status, r.ConsistentWith, tc.consistent[r.ID], r.Message)
				}
				if !slices.Equal(r.Tags, tc.tags[r.ID]) {
					t.Errorf("%s: tags %v, want %v (%s)", r.ID, r.Tags, tc.tags[r.ID], r.Message)
				}
			}
		})
	}
}

// gradeFields grades a submission given as a JSON object of answer fields.
func gradeFields(t *testing.T, j *Judge, exercise string, seed uint64, answers string) gradjudge.Verdict {
	t.Helper()
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(answers), &fields); err != nil {
		t.Fatal(err)
	}
	v, err := j.Grade(context.Background(), exercise, seed, gradjudge.Answer{Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	return v
}
