package web

import (
	"testing"

	"gradjudge"
	"gradjudge/internal/app"
)

func TestStateCells(t *testing.T) {
	solved := t0
	got := stateCells([]gradjudge.ExerciseProgress{{SolvedAt: &solved, Attempts: 2, BestScore: 1}, {Attempts: 3, BestScore: 0.5}, {Attempts: 4}, {}})
	want := `<td class="c-solved">✓</td><td class="c-partly-right">½</td><td class="c-tried">4×</td><td class="c-not-started"></td>`
	if string(got) != want {
		t.Errorf("stateCells = %s, want %s", got, want)
	}
}

// TestSplitRows: each group of a pass-rate split is said in words, with the node as the pictures
// write it and a ReLU's argument marked as its gate.
func TestSplitRows(t *testing.T) {
	tests := []struct {
		name  string
		split app.SplitRate
		want  splitRow
	}{
		{"gate", app.SplitRate{Name: "z1", Gate: "relu", AtOrBelow: 10, PassedBelow: 3, Above: 12, PassedAbove: 7, RateAtOrBelow: 0.3, RateAbove: 7.0 / 12},
			splitRow{Node: "z₁", Gate: "ReLU gate", AtOrBelow: "z₁ ≤ 0: 3 of 10 passed (30%)", Above: "z₁ > 0: 7 of 12 passed (58%)"}},
		{"input", app.SplitRate{Name: "x", AtOrBelow: 1, PassedBelow: 1, Above: 4, RateAtOrBelow: 1},
			splitRow{Node: "x", AtOrBelow: "x ≤ 0: 1 of 1 passed (100%)", Above: "x > 0: 0 of 4 passed (0%)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := splitRows([]app.SplitRate{tt.split}); len(got) != 1 || got[0] != tt.want {
				t.Errorf("splitRows(%+v) = %+v, want %+v", tt.split, got, tt.want)
			}
		})
	}
}
