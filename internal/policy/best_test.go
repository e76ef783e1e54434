package policy

import (
	"math/rand/v2"
	"testing"
	"time"

	"gradjudge"
)

// TestGradedByBest: where GradedByBest says so, GradeOf is the best score of the counted
// attempts for any attempts; the policies it refuses grade some attempts otherwise.
func TestGradedByBest(t *testing.T) {
	statuses := []gradjudge.Status{accepted, partial, wrong, compile, invalid, internal, timeout}
	rng := rand.New(rand.NewPCG(1, 2))
	randomAttempts := func() []Attempt {
		out := make([]Attempt, rng.IntN(8))
		for i := range out {
			out[i] = Attempt{At: opens.Add(time.Duration(rng.IntN(20*24)) * time.Hour), Status: statuses[rng.IntN(len(statuses))],
				Score: float64(rng.IntN(5)) / 4}
		}
		return out
	}
	best := func(as []Attempt) float64 {
		b := 0.0
		for _, a := range as {
			if a.counts() {
				b = max(b, a.Score)
			}
		}
		return b
	}
	for _, tc := range []struct {
		name string
		p    Policy
		want bool
	}{
		{"zero", Policy{}, true},
		{"hints and fresh variants", Policy{HintsAfter: 1, FreshVariantAfter: 2, Grade: GradeBest}, true},
		{"last", Policy{Grade: GradeLast}, false},
		{"penalised", Policy{Grade: GradePenalisedBest, PenaltyPerWrong: 0.1}, false},
		{"due", Policy{Due: due}, false},
		{"opens", Policy{Opens: due}, false},
		{"attempt limit", Policy{MaxAttempts: 2}, false},
	} {
		if got := tc.p.GradedByBest(); got != tc.want {
			t.Errorf("%s: GradedByBest %v, want %v", tc.name, got, tc.want)
			continue
		}
		differs := false
		for range 2000 {
			as := randomAttempts()
			g := tc.p.GradeOf(as).Score
			if tc.want && !near(g, best(as)) {
				t.Fatalf("%s: GradeOf %v = %v, want the best score %v", tc.name, as, g, best(as))
			}
			differs = differs || !near(g, best(as))
		}
		if !tc.want && !differs {
			t.Errorf("%s: never grades otherwise than by the best score; GradedByBest could say so", tc.name)
		}
	}
}
