package gradjudge

import (
	"slices"
	"testing"
)

func TestTagOrder(t *testing.T) {
	catalog := []Misconception{{Tag: "sum-rule-ignored"}, {Tag: "relu-always-passes"}, {Tag: "chain-rule-added"}}
	order := TagOrder(catalog)
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"catalog order, not names", []string{"chain-rule-added", "sum-rule-ignored", "relu-always-passes"},
			[]string{"sum-rule-ignored", "relu-always-passes", "chain-rule-added"}},
		{"unknown tags after known ones, by name", []string{"zeta-own", "alpha-own", "chain-rule-added"},
			[]string{"chain-rule-added", "alpha-own", "zeta-own"}},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Clone(tt.in)
			slices.SortFunc(got, order)
			if !slices.Equal(got, tt.want) {
				t.Errorf("sorted %v = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
