package judge

import (
	"slices"
	"testing"

	"gradjudge"
)

// TestTellsApart checks that a variant tells apart the tags its wrong answers can earn: every
// tag a simulated belief earns on the variant (numeric, code), every wrong option's tag (choice),
// and nothing for an unknown exercise.
func TestTellsApart(t *testing.T) {
	j := newJudge(t)
	tests := []struct {
		name, id string
		want     []string
	}{
		{"numeric", "gradient-descent-step", []string{"square-factor-dropped", "loss-sign-flipped", "update-sign-flipped"}},
		{"forward and backward", "two-layer-network", []string{"square-factor-dropped", "forward-value-wrong"}},
		{"choice", "backprop-vs-gradient-descent", []string{"naive-one-pass-per-parameter"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 5; seed++ {
				got, err := j.TellsApart(tc.id, seed)
				if err != nil {
					t.Fatal(err)
				}
				if slices.Contains(got, "") || slices.Contains(got, "correct") {
					t.Errorf("seed %d: TellsApart = %v holds no tag", seed, got)
				}
				for _, tag := range tc.want {
					if !slices.Contains(got, tag) {
						t.Errorf("seed %d: TellsApart = %v, want it to hold %s", seed, got, tag)
					}
				}
			}
		})
	}
	if _, err := j.TellsApart("no-such-exercise", 1); gradjudge.ErrorCode(err) != gradjudge.ENOTFOUND {
		t.Errorf("unknown exercise: err = %v, want ENOTFOUND", err)
	}
	if _, err := j.TellsApart("code-relu-backward", 1); gradjudge.ErrorCode(err) != gradjudge.EINVALID {
		t.Errorf("code exercise: err = %v, want EINVALID", err)
	}
}
