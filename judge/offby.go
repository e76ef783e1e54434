package judge

import (
	"fmt"
	"math"

	"gradjudge/autograd"
	"gradjudge/exercises"
)

// howFarOff says how a wrong answer is off without giving the expected value away: the shape, the
// sign, or the size, and for a vector or matrix how many entries are wrong and which is first.
func howFarOff(got, want autograd.Tensor, tol exercises.Tolerance) string {
	if !(autograd.SameShape(got.Shape, want.Shape) || (got.IsScalar() && want.IsScalar())) {
		return fmt.Sprintf("the answer should be %s, not %s", describeShape(want), describeShape(got))
	}
	if want.IsScalar() {
		return offBy(got.Item(), want.Item())
	}
	wrong, first := 0, -1
	for k := range want.Data {
		if !tol.Close(got.Data[k], want.Data[k]) {
			wrong++
			if first < 0 {
				first = k
			}
		}
	}
	return fmt.Sprintf("%d of %d entries are off; the first is entry %s (%s)",
		wrong, len(want.Data), entryName(want, first), offBy(got.Data[first], want.Data[first]))
}

// offBy describes a wrong number relative to the right one, in words only.
func offBy(got, want float64) string {
	switch {
	case want == 0 || got == 0:
		return "too far from the right value"
	case math.Signbit(got) != math.Signbit(want):
		return "the sign is wrong"
	}
	r := math.Abs(got / want)
	switch {
	case r > 0.9 && r < 1.1:
		return "close, but outside the tolerance: check your rounding"
	case r > 1:
		return "too large in size"
	}
	return "too small in size"
}

func describeShape(t autograd.Tensor) string {
	switch {
	case t.IsScalar():
		return "a single number"
	case t.Rank() == 1:
		return fmt.Sprintf("a list of %d numbers", t.Shape[0])
	}
	return fmt.Sprintf("a %d×%d matrix (%d rows of %d)", t.Shape[0], t.Shape[1], t.Shape[0], t.Shape[1])
}

// entryName names flat entry k for a student, counting from 1: [2] or [1][3].
func entryName(t autograd.Tensor, k int) string {
	if t.Rank() == 2 {
		return fmt.Sprintf("[%d][%d]", k/t.Shape[1]+1, k%t.Shape[1]+1)
	}
	return fmt.Sprintf("[%d]", k+1)
}
