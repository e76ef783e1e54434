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
			map[string][]string{"z": {forwardValueWrong}}, []string{forwardValueWrong}},
		// z is wrong but still negative: for z = −5 the unit is off too, so ∂a/∂z = 1 and the
		// gradients it lets through (∂L/∂z = −1, ∂L/∂w = −2, ∂L/∂b = −1) are the ReLU bug, not
		// z carried forward.
		{"z wrong, gate ignored",
			`{"z": "-5", "a": "0", "dL_da": "-1", "da_dz": "1", "dL_dz": "-1", "dL_dw": "-2", "dL_db": "-1"}`,
			map[string][]string{"da_dz": {"relu-gate-ignored"}, "dL_dz": {"relu-gate-ignored"}},
			[]string{"relu-gate-ignored"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fields map[string]json.RawMessage
			if err := json.Unmarshal([]byte(tc.fields), &fields); err != nil {
				t.Fatal(err)
			}
			v, err := j.Grade(context.Background(), "single-neuron-relu-backward", 7, gradjudge.Answer{Fields: fields})
			if err != nil {
				t.Fatal(err)
			}
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
