package exercises

import (
	"math"
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

// TestLessonVariants: the variant of LessonSeed is the lesson's own example, answers worked by
// hand from the lesson's numbers.
func TestLessonVariants(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id   string
		want map[string]float64 // quantity → answer
	}{
		// w = 0.5, x = 2, b = 0.1, y = 1: z = a = 1.1, ∂L/∂a = −2(1 − 1.1) = 0.2, ∂L/∂w = 0.4.
		{"single-neuron-relu-backward", map[string]float64{"z": 1.1, "a": 1.1, "dL_da": 0.2, "da_dz": 1, "dL_dw": 0.4, "dL_db": 0.2}},
		// x = 2, w1 = 0.5, b1 = 0.5, w2 = −1.5, b2 = 1, y = 1, η = 0.1: h = r = 1.5, ŷ = −1.25,
		// ∂L/∂ŷ = −4.5, ∂L/∂w₂ = −6.75, ∂L/∂r = ∂L/∂h = 6.75, ∂L/∂w₁ = 13.5,
		// w₁ − η·13.5 = −0.85, w₂ + η·6.75 = −0.825.
		{"two-layer-network", map[string]float64{"h": 1.5, "yhat": -1.25, "dL_dyhat": -4.5, "dL_dw2": -6.75,
			"dL_dh": 6.75, "dL_dw1": 13.5, "new_w1": -0.85, "new_w2": -0.825}},
	} {
		e, err := cat.Lookup(tc.id)
		if err != nil {
			t.Fatal(err)
		}
		in, err := e.NewInstance(LessonSeed)
		if err != nil {
			t.Fatal(err)
		}
		for id, want := range tc.want {
			if got := in.Answers[e.Quantity(id)].Item(); math.Abs(got-want) > 1e-9 {
				t.Errorf("%s %s: got %g, want %g", tc.id, id, got, want)
			}
		}
		if v := in.Variant(); v.Seed != LessonSeed {
			t.Errorf("%s: variant seed %d, want %d", tc.id, v.Seed, LessonSeed)
		}
	}
}
