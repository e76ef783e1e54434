package judge

import (
	"math/rand/v2"
	"testing"
)

func TestErrorBand(t *testing.T) {
	for _, tc := range []struct {
		name      string
		got, want float64
		band      string
	}{
		{"20% too large", 1.2, 1, "it is too large in size, with a relative error of about 20%"},
		{"30% too small", -0.7, -1, "it is too small in size, with a relative error of about 30%"},
		{"rounded to one figure", 1.26, 1, "it is too large in size, with a relative error of about 30%"},
		{"close", 1.05, 1, "it is close but too large in size, with a relative error under 10%"},
		{"three times", 4, 1, "it is too large in size, with a relative error of about 300%"},
		{"sign", -1, 1, "the sign is wrong"},
		{"expected zero", 0.5, 0, "it should be much closer to zero"},
		{"much too large", -30, -2, "it is much too large in size (ten times the right size or more)"},
		{"zero given", 0, 2, "it is much too small in size (a tenth of the right size or less)"},
	} {
		if got := OffBy(tc.got, tc.want, false); got != tc.band {
			t.Errorf("%s: OffBy(%g, %g, false) = %q, want %q", tc.name, tc.got, tc.want, got, tc.band)
		}
	}
}

// TestErrorBandHidesTheValue: for random wrong answers, a right value 2% away (twice the usual
// tolerance) on one side or the other earns the same words, so the words and the student's own
// number never pin the right value down to within the tolerance.
func TestErrorBandHidesTheValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		want := (rng.Float64()*2 - 1) * 10
		got := want * (1 + (rng.Float64()*2-1)*rng.ExpFloat64())
		if d := got - want; d < 0.0101*want && d > -0.0101*want || want == 0 {
			continue
		}
		band := OffBy(got, want, false)
		if OffBy(got, want*1.02, false) != band && OffBy(got, want*0.98, false) != band {
			t.Fatalf("OffBy(%g, %g, false) = %q pins the right value down", got, want, band)
		}
	}
}

func TestHowFarRevealed(t *testing.T) {
	if got, want := OffBy(1.2, 1, true), "its relative error is 0.2 (20%)"; got != want {
		t.Errorf("howFar revealed: got %q, want %q", got, want)
	}
	if got, want := OffBy(0.5, 0, true), "its absolute error is 0.5"; got != want {
		t.Errorf("howFar revealed, zero expected: got %q, want %q", got, want)
	}
}
