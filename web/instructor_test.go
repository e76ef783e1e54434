package web

import (
	"testing"

	"gradjudge"
)

func TestStateCells(t *testing.T) {
	solved := t0
	got := stateCells([]gradjudge.ExerciseProgress{{SolvedAt: &solved, Attempts: 2, BestScore: 1}, {Attempts: 3, BestScore: 0.5}, {Attempts: 4}, {}})
	want := `<td class="c-solved">✓</td><td class="c-partly-right">½</td><td class="c-tried">4×</td><td class="c-not-started"></td>`
	if string(got) != want {
		t.Errorf("stateCells = %s, want %s", got, want)
	}
}
