package exercises

import (
	"fmt"
	"math"
	"slices"

	"gradjudge/autograd"
)

// guessable says why a numeric variant could be passed without doing the exercise, or returns "":
// every asked gradient accepted by one number (all zeros where a ReLU unit is off), or the
// variant on the wrong side of the exercise's Minority for seed.
func (in *Instance) guessable(seed uint64) string {
	if c, ok := in.oneNumberPasses(); ok {
		return fmt.Sprintf("every asked gradient is accepted by the one number %s", FormatNumber(c))
	}
	m := in.Exercise.Minority
	if m == nil {
		return ""
	}
	v, err := m.Expr.Eval(in.Run, autograd.Application{})
	margin := in.Exercise.KinkMargin
	switch negative := seed%uint64(m.Every) == uint64(m.Every-1); {
	case err != nil:
		return fmt.Sprintf("minority %s cannot be computed: %v", m.Expr, err)
	case negative && slices.ContainsFunc(v.Data, func(x float64) bool { return x > -margin }):
		return fmt.Sprintf("%s is not negative in this minority variant", m.Expr)
	case !negative && slices.ContainsFunc(v.Data, func(x float64) bool { return x < margin }):
		return fmt.Sprintf("%s is not positive outside the minority variants", m.Expr)
	}
	return ""
}

// oneNumberPasses reports whether one number c is within tolerance of every element of every
// backward answer, when there are at least two: a student answering c everywhere would pass.
func (in *Instance) oneNumberPasses() (float64, bool) {
	lo, hi, n := math.Inf(-1), math.Inf(1), 0
	for i, q := range in.Exercise.Quantities {
		if !q.Backward {
			continue
		}
		for _, w := range in.Answers[i].Data {
			s := q.Tolerance.slack(w)
			lo, hi, n = math.Max(lo, w-s), math.Min(hi, w+s), n+1
		}
	}
	return (lo + hi) / 2, n >= 2 && lo <= hi
}
