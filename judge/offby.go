package judge

import (
	"fmt"
	"math"
	"strconv"

	"gradjudge/autograd"
	"gradjudge/exercises"
)

// HowFarOff says how a wrong numeric answer is off: its shape, or for a number how far (OffBy),
// or for a vector or matrix how many entries are wrong and how far off the first is (entries
// counted from 1, as a student reads them).
func HowFarOff(got, want autograd.Tensor, tol exercises.Tolerance, reveal bool) string {
	if !(autograd.SameShape(got.Shape, want.Shape) || (got.IsScalar() && want.IsScalar())) {
		return fmt.Sprintf("the answer should be %s, not %s", describeShape(want), describeShape(got))
	}
	if want.IsScalar() {
		return OffBy(got.Item(), want.Item(), reveal)
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
		wrong, len(want.Data), entryName(want, first), OffBy(got.Data[first], want.Data[first], reveal))
}

// OffBy is the one description of how far a wrong number got is from the right one want, for
// numeric and code answers alike. When the exercise reveals its answers anyway it gives the exact
// error: relative, or absolute when want is 0. Otherwise it must not give want away, even next
// to the student's own number: a wrong sign; for an expected 0, that the answer should be much
// closer to zero (true whatever got is, and no size of error can be told without giving the zero
// away); much too large or much too small (ten times or more); too large or too small with the
// relative error rounded to one significant figure; or, under 10%, only that. A finer figure
// would let got/(1 ± error) land within the catalog's loosest relative tolerance (1%) of want.
func OffBy(got, want float64, reveal bool) string {
	switch {
	case reveal && want == 0:
		return "its absolute error is " + exercises.FormatNumber(math.Abs(got))
	case reveal:
		rel := math.Abs(got-want) / math.Abs(want)
		return fmt.Sprintf("its relative error is %s (%s%%)", exercises.FormatNumber(rel), exercises.FormatNumber(100*rel))
	case want == 0:
		return "it should be much closer to zero"
	case got != 0 && math.Signbit(got) != math.Signbit(want):
		return "the sign is wrong"
	case math.Abs(got) >= 10*math.Abs(want):
		return "it is much too large in size (ten times the right size or more)"
	case math.Abs(got) <= math.Abs(want)/10:
		return "it is much too small in size (a tenth of the right size or less)"
	}
	size := "too large"
	if math.Abs(got) < math.Abs(want) {
		size = "too small"
	}
	rel := math.Abs(got-want) / math.Abs(want)
	if rel < 0.1 {
		return "it is close but " + size + " in size, with a relative error under 10%"
	}
	return fmt.Sprintf("it is %s in size, with a relative error of about %s%%", size, oneFigure(100*rel))
}

// oneFigure formats x > 0 rounded to one significant figure: 0.0153 as 0.02, 23 as 20, 96 as 100.
func oneFigure(x float64) string {
	p := math.Pow(10, math.Floor(math.Log10(x)))
	return strconv.FormatFloat(math.Round(x/p)*p, 'f', -1, 64)
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
