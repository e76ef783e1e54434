package exercises

import (
	"testing"

	"gradjudge"
)

// TestNoVariantPassedByOneNumber: on 200 seeds of every numeric exercise, no one number (all
// zeros included) is accepted for every asked gradient, and a dead ReLU unit is the deliberate
// minority of single-neuron-relu-backward: exactly the seeds 7, 15, ….
func TestNoVariantPassedByOneNumber(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cat.All() {
		if e.Kind != gradjudge.KindNumeric {
			continue
		}
		dead := 0
		for seed := range uint64(200) {
			in, err := e.NewInstance(seed)
			if err != nil {
				t.Fatal(err)
			}
			if c, ok := in.oneNumberPasses(); ok {
				t.Errorf("%s seed %d: answering %g everywhere passes", e.ID, seed, c)
			}
			if e.ID == "single-neuron-relu-backward" {
				z, _ := in.Run.Value("z")
				if off := z.Item() <= 0; off != (seed%8 == 7) {
					t.Errorf("%s seed %d: unit off = %v, want %v", e.ID, seed, off, seed%8 == 7)
				} else if off {
					dead++
				}
			}
		}
		if e.ID == "single-neuron-relu-backward" && dead != 25 {
			t.Errorf("%s: %d dead units in 200 variants, want 25", e.ID, dead)
		}
	}
}
