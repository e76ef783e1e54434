package exercises

import (
	"fmt"
	"math"
	"strconv"

	"gradjudge/autograd"
)

// The default tolerance accepts an answer within 1% of the exact value, or within 0.0001 of it.
// One percent admits every answer rounded to three significant figures (at most 0.5% off) with
// room for a hand-rounded intermediate; 0.0001 lets an answer near zero be typed as 0.
const (
	DefaultRel = 1e-2
	DefaultAbs = 1e-4
)

// Tolerance says how close an answer must be to count: |got − want| ≤ max(Rel·|want|, Abs),
// element by element. The zero Tolerance demands exact equality.
type Tolerance struct {
	Rel float64 `toml:"rel"`
	Abs float64 `toml:"abs"`
}

// slack is how far from want an answer may be.
func (t Tolerance) slack(want float64) float64 { return math.Max(t.Rel*math.Abs(want), t.Abs) }

// Close reports whether got is within tolerance of want.
func (t Tolerance) Close(got, want float64) bool { return math.Abs(got-want) <= t.slack(want) }

// Accepts reports whether got has want's shape (a one-element answer counts for a single number)
// and every element is within tolerance.
func (t Tolerance) Accepts(got, want autograd.Tensor) bool {
	if !sameShape(got, want) {
		return false
	}
	for k, w := range want.Data {
		if !t.Close(got.Data[k], w) {
			return false
		}
	}
	return true
}

// Miss is how far got is from want in units of the slack: the largest |got − want| / slack over
// the elements, 0 for an exact answer, at most 1 for an accepted one, +Inf for another shape.
// Between two predictions an answer matches, the one it misses less is the closer.
func (t Tolerance) Miss(got, want autograd.Tensor) float64 {
	if !sameShape(got, want) {
		return math.Inf(1)
	}
	m := 0.0
	for k, w := range want.Data {
		m = math.Max(m, math.Abs(got.Data[k]-w)/t.slack(w))
	}
	return m
}

// Separates reports whether no answer can be both accepted for a and accepted for b, even after
// rounding to three significant figures: the shapes differ, or some element of a and b is further
// apart than both slacks together.
func (t Tolerance) Separates(a, b autograd.Tensor) bool {
	if !sameShape(a, b) {
		return true
	}
	for k := range a.Data {
		if math.Abs(a.Data[k]-b.Data[k]) > t.slack(a.Data[k])+t.slack(b.Data[k]) {
			return true
		}
	}
	return false
}

func sameShape(a, b autograd.Tensor) bool {
	return autograd.SameShape(a.Shape, b.Shape) || (a.IsScalar() && b.IsScalar())
}

// String explains the tolerance to a student in plain words.
func (t Tolerance) String() string {
	abs := strconv.FormatFloat(t.Abs, 'f', -1, 64)
	pct := strconv.FormatFloat(t.Rel*100, 'g', 12, 64) // 1e-6 × 100 is 9.999999999999999e-05
	if p, err := strconv.ParseFloat(pct, 64); err == nil {
		pct = strconv.FormatFloat(p, 'f', -1, 64)
	}
	switch {
	case t.Rel == 0 && t.Abs == 0:
		return "exactly"
	case t.Rel == 0:
		return "within " + abs + " of the exact value"
	case t.Abs == 0:
		return "within " + pct + "% of the exact value"
	}
	return fmt.Sprintf("within %s%% of the exact value, or within %s of it", pct, abs)
}

func (t Tolerance) check() error {
	if t.Rel < 0 || t.Abs < 0 || t.Rel >= 1 || math.IsNaN(t.Rel) || math.IsNaN(t.Abs) || math.IsInf(t.Abs, 0) {
		return fmt.Errorf("tolerance {rel = %v, abs = %v}: rel must be in [0, 1) and abs a finite number ≥ 0", t.Rel, t.Abs)
	}
	return nil
}
