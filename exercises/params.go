package exercises

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"gradjudge/autograd"
)

// Param says how one parameter of a variant is drawn: each element uniformly from a grid
// (Min, Min+Step, …, Max) or from Values, or a one-hot vector of length OneHot. Grid values are
// rounded to Step's decimals, so that statements show short numbers.
type Param struct {
	Name    string
	Min     float64   `toml:"min"`
	Max     float64   `toml:"max"`
	Step    float64   `toml:"step"`
	Values  []float64 `toml:"values"`
	Shape   []int     `toml:"shape"`   // nil for a single number, [n] or [m, n]
	OneHot  int       `toml:"onehot"`  // > 0: a vector of zeros with a single 1
	NonZero bool      `toml:"nonzero"` // never draw 0 for an element
}

// maxZeroRedraws bounds the redraws of a zero element of a NonZero parameter.
const maxZeroRedraws = 64

func (p Param) check() error {
	switch {
	case p.OneHot > 0:
		if p.OneHot < 2 || p.Values != nil || p.Step != 0 || p.Shape != nil {
			return fmt.Errorf("param %s: onehot takes a length ≥ 2 and nothing else", p.Name)
		}
		return nil
	case p.Values != nil:
		if len(p.Values) == 0 || p.Step != 0 || p.Min != 0 || p.Max != 0 {
			return fmt.Errorf("param %s: give either values or min, max and step", p.Name)
		}
	case p.Step <= 0 || p.Max < p.Min || (p.Max-p.Min)/p.Step > 1e6:
		return fmt.Errorf("param %s: needs values, or min ≤ max and a step > 0 dividing the range", p.Name)
	}
	if len(p.Shape) > 2 || slices.ContainsFunc(p.Shape, func(d int) bool { return d < 1 || d > 16 }) {
		return fmt.Errorf("param %s: shape %v: at most 2 dimensions of 1 to 16", p.Name, p.Shape)
	}
	if p.NonZero && p.onlyZero() {
		return fmt.Errorf("param %s: nonzero, but 0 is the only value", p.Name)
	}
	return nil
}

func (p Param) onlyZero() bool {
	if p.Values != nil {
		return !slices.ContainsFunc(p.Values, func(v float64) bool { return v != 0 })
	}
	return p.Min == 0 && p.Max == 0
}

// draw returns one value of the parameter.
func (p Param) draw(rng *rand.Rand) autograd.Tensor {
	if p.OneHot > 0 {
		t := autograd.Full([]int{p.OneHot}, 0)
		t.Data[rng.IntN(p.OneHot)] = 1
		return t
	}
	t := autograd.Full(p.Shape, 0)
	for k := range t.Data {
		t.Data[k] = p.element(rng)
	}
	return t
}

func (p Param) element(rng *rand.Rand) float64 {
	var v float64
	for range maxZeroRedraws {
		if p.Values != nil {
			v = p.Values[rng.IntN(len(p.Values))]
		} else {
			n := int(math.Round((p.Max - p.Min) / p.Step))
			v = roundTo(p.Min+float64(rng.IntN(n+1))*p.Step, decimals(p.Step))
		}
		if v != 0 || !p.NonZero {
			break
		}
	}
	return v
}

// decimals is the number of decimals of step as written, e.g. 2 for 0.25.
func decimals(step float64) int {
	s := strconv.FormatFloat(step, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

func roundTo(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}
