package mastery

import (
	"math"
	"testing"

	"gradjudge"
)

// TestUpdate checks the BKT update against values worked by hand from its formula.
func TestUpdate(t *testing.T) {
	p := Defaults("a") // prior .25 learn .15 guess .08 slip .10
	tests := []struct {
		name          string
		pL, c, chance float64
		want          float64
	}{
		// known = .25·.9 = .225, unknown = .75·.08 = .06, post = .78947, + .21053·.15
		{"right", 0.25, 1, 0, 0.821053},
		// known = .25·.1 = .025, unknown = .75·.92 = .69, post = .034965, + .965035·.15
		{"wrong", 0.25, 0, 0, 0.179720},
		// half credit: known = .25·.5, unknown = .75·.5, post = .25 (no evidence), + .75·.15
		{"half credit", 0.25, 0.5, 0, 0.3625},
		// a choice of four: guess .25, unknown = .75·.25 = .1875, post = .545455
		{"right by choice", 0.25, 1, 0.25, 0.613636},
		{"certain stays certain", 1, 0, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Update(tc.pL, tc.c, p, tc.chance); math.Abs(got-tc.want) > 1e-6 {
				t.Errorf("Update(%v, %v) = %.6f, want %.6f", tc.pL, tc.c, got, tc.want)
			}
		})
	}
}

// TestCredit checks what a verdict is worth: partial credit, carried-forward answers counting as
// right, and the statuses that are no evidence at all.
func TestCredit(t *testing.T) {
	res := func(statuses ...gradjudge.Status) []gradjudge.Result {
		var out []gradjudge.Result
		for _, s := range statuses {
			out = append(out, gradjudge.Result{Status: s})
		}
		return out
	}
	carried := res(gradjudge.StatusAccepted, gradjudge.StatusWrongAnswer, gradjudge.StatusWrongAnswer, gradjudge.StatusAccepted)
	carried[2].ConsistentWith = "z"
	tests := []struct {
		name     string
		v        gradjudge.Verdict
		evidence bool
		want     float64
	}{
		{"accepted", right, true, 1},
		{"wrong", wrong, true, 0},
		{"partial", gradjudge.Verdict{Status: gradjudge.StatusPartial, Score: 0.5,
			Results: res(gradjudge.StatusAccepted, gradjudge.StatusWrongAnswer)}, true, 0.5},
		{"carried forward", gradjudge.Verdict{Status: gradjudge.StatusPartial, Score: 0.5, Results: carried}, true, 0.75},
		{"compile error", gradjudge.Verdict{Status: gradjudge.StatusCompileError}, false, 0},
		{"time limit", gradjudge.Verdict{Status: gradjudge.StatusTimeLimit}, false, 0},
		{"invalid", gradjudge.Verdict{Status: gradjudge.StatusInvalid}, false, 0},
		{"internal error", gradjudge.Verdict{Status: gradjudge.StatusInternalError}, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsEvidence(tc.v.Status); got != tc.evidence {
				t.Fatalf("IsEvidence(%s) = %v, want %v", tc.v.Status, got, tc.evidence)
			}
			if got := Credit(tc.v); tc.evidence && got != tc.want {
				t.Errorf("Credit = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestHints checks that hints lower the credit of a right answer and break the streak.
func TestHints(t *testing.T) {
	m, _ := newFakeModel(t)
	var plain, hinted gradjudge.LearnerState
	Apply(nil, &plain, m.answer(t, plain, "e1", 1, right))
	ev := m.answer(t, hinted, "e1", 1, right)
	ev.Hints = 2
	Apply(nil, &hinted, ev)
	p, h := Mastery(nil, plain, "a"), Mastery(nil, hinted, "a")
	if !(h.P < p.P) || h.P <= DefaultPrior {
		t.Errorf("P after a right answer = %.3f, with two hints %.3f: want the hinted one lower, above the prior", p.P, h.P)
	}
	if h.Streak != 0 || p.Streak != 1 {
		t.Errorf("streaks = %d plain, %d hinted; want 1 and 0", p.Streak, h.Streak)
	}
}

// TestHintCredit checks what hints leave of an answer's credit: a quarter less per step seen,
// never below one half (no evidence either way), and nothing added to a weaker answer.
func TestHintCredit(t *testing.T) {
	tests := []struct {
		name   string
		credit float64
		hints  int
		want   float64
	}{
		{"right, no hints", 1, 0, 1},
		{"right after the explanation", 1, 1, 0.75},
		{"right after the first wrong answer", 1, 2, 0.5},
		{"right after every step", 1, 3, 0.5},
		{"partly right after a step", 0.6, 1, 0.6},
		{"partly right after every step", 0.7, 3, 0.5},
		{"wrong after every step", 0, 3, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := credit(gradjudge.LearnerEvidence{Credit: tc.credit, Hints: tc.hints}); got != tc.want {
				t.Errorf("credit = %v, want %v", got, tc.want)
			}
		})
	}
	// One half is neutral: only the Learn step moves the estimate.
	p := Defaults("a")
	if got, want := Update(0.3, HintFloor, p, 0), 0.3+0.7*p.Learn; math.Abs(got-want) > 1e-12 {
		t.Errorf("Update at HintFloor = %v, want %v", got, want)
	}
}
