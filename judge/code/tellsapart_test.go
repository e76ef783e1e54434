package code

import (
	"slices"
	"testing"

	"gradjudge/exercises"
	"gradjudge/judge"
)

// TestVariantsTellApart checks what variants tell apart through the one adapter: a code
// exercise's cases tell its rule apart, a numeric exercise's variant its rules.
func TestVariantsTellApart(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	j, err := judge.New(cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	v := Variants{Catalog: cat, Judge: j}
	for _, tc := range []struct {
		id   string
		want []string
	}{
		{"code-relu-backward", []string{"relu-gate-ignored"}},
		{"code-mse-backward", []string{"square-factor-dropped", "mean-factor-dropped"}},
		{"gradient-descent-step", []string{"square-factor-dropped", "update-sign-flipped"}},
	} {
		for seed := uint64(1); seed <= 3; seed++ {
			got, err := v.TellsApart(tc.id, seed)
			if err != nil {
				t.Fatal(err)
			}
			for _, tag := range tc.want {
				if !slices.Contains(got, tag) {
					t.Errorf("%s seed %d: TellsApart = %v, want it to hold %s", tc.id, seed, got, tag)
				}
			}
		}
	}
}
