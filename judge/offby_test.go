package judge

import (
	"math/rand/v2"
	"strings"
	"testing"

	"gradjudge"
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

// TestCodeFeedbackHidesTheValue grades code that is 20% off, and code that gives 0.5 where the
// answer is 0: the feedback names the error's band, never an exact error.
func TestCodeFeedbackHidesTheValue(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"20% too large", "\tz := w*x + b\n\tif z <= 0 {\n\t\treturn 0, 0\n\t}\n\tg := -2 * (y - z) * 1.2\n\treturn g * x, g",
			"too large in size, with a relative error of about 20%"},
		{"not zero where the unit is off", "\tz := w*x + b\n\tif z <= 0 {\n\t\treturn 0.5, 0.5\n\t}\n\tg := -2 * (y - z)\n\treturn g * x, g",
			"it should be much closer to zero"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := gradeCode(t, "code-neuron-backward", 3, neuron("", "", tc.body))
			feedback := strings.Join(v.Feedback, "\n")
			if v.Status != gradjudge.StatusWrongAnswer || !strings.Contains(feedback, tc.want) {
				t.Errorf("got %s, feedback %q; want wrong_answer, feedback containing %q", v.Status, feedback, tc.want)
			}
			if strings.Contains(feedback, "absolute error") || strings.Contains(feedback, "relative error is 0") {
				t.Errorf("feedback gives an exact error: %q", feedback)
			}
		})
	}
}
