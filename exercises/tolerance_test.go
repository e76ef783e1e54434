package exercises

import (
	"math/rand/v2"
	"testing"

	"gradjudge/autograd"
)

func TestToleranceString(t *testing.T) {
	for _, tc := range []struct {
		tol  Tolerance
		want string
	}{
		{Tolerance{Rel: DefaultRel, Abs: DefaultAbs}, "within 1% of the exact value, or within 0.0001 of it"},
		{Tolerance{Abs: 0.5}, "within 0.5 of the exact value"},
		{Tolerance{Rel: 0.02}, "within 2% of the exact value"},
		{Tolerance{Rel: 0.01, Abs: 1e-7}, "within 1% of the exact value, or within 0.0000001 of it"},
		{Tolerance{Rel: DefaultCodeRel, Abs: DefaultCodeAbs}, "within 0.0001% of the exact value, or within 0.000000001 of it"},
		{Tolerance{}, "exactly"},
	} {
		if got := tc.tol.String(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.tol, got, tc.want)
		}
	}
}

func TestToleranceAcceptsAndSeparates(t *testing.T) {
	tol := Tolerance{Rel: DefaultRel, Abs: DefaultAbs}
	for _, tc := range []struct {
		name      string
		got, want autograd.Tensor
		accepts   bool
	}{
		{"exact", autograd.Scalar(-1.5), autograd.Scalar(-1.5), true},
		{"3 significant figures", autograd.Scalar(0.123), autograd.Scalar(0.12345), true},
		{"2% off", autograd.Scalar(1.02), autograd.Scalar(1), false},
		{"zero near zero", autograd.Scalar(0), autograd.Scalar(5e-5), true},
		{"one-element list for a number", autograd.Vector(2), autograd.Scalar(2), true},
		{"vector", autograd.Vector(1, 2.001), autograd.Vector(1, 2), true},
		{"vector, one entry off", autograd.Vector(1, 2.1), autograd.Vector(1, 2), false},
		{"wrong shape", autograd.Vector(1, 2), autograd.Matrix([][]float64{{1, 2}}), false},
	} {
		if got := tol.Accepts(tc.got, tc.want); got != tc.accepts {
			t.Errorf("%s: Accepts = %v, want %v", tc.name, got, tc.accepts)
		}
	}
	if tol.Separates(autograd.Scalar(1), autograd.Scalar(1.015)) {
		t.Error("1 and 1.015 are separated, but 1.0075 would be accepted for both")
	}
	if !tol.Separates(autograd.Scalar(1), autograd.Scalar(2)) || !tol.Separates(autograd.Scalar(1), autograd.Vector(1, 1)) {
		t.Error("1 and 2, or a number and a list, are not separated")
	}
}

func TestFormatTensor(t *testing.T) {
	for _, tc := range []struct {
		t    autograd.Tensor
		want string
	}{
		{autograd.Scalar(0.30000000000000004), "0.3"},
		{autograd.Scalar(-3), "-3"},
		{autograd.Scalar(0.000123), "0.000123"},
		{autograd.Vector(1, -0.5), "[1, -0.5]"},
		{autograd.Matrix([][]float64{{1, 2}, {3, 4}}), "[[1, 2], [3, 4]]"},
	} {
		if got := FormatTensor(tc.t); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestParamDraw(t *testing.T) {
	p := Param{Name: "w", Min: -1, Max: 1, Step: 0.1, NonZero: true, Shape: []int{2, 3}}
	if err := p.check(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		v := p.draw(rng)
		if len(v.Data) != 6 {
			t.Fatalf("shape %v", v.Shape)
		}
		for _, x := range v.Data {
			if x == 0 || x < -1 || x > 1 || FormatNumber(x) != FormatNumber(roundTo(x, 1)) {
				t.Fatalf("drew %v", x)
			}
		}
	}
	hot := Param{Name: "t", OneHot: 3}.draw(rng)
	if sum := hot.Data[0] + hot.Data[1] + hot.Data[2]; sum != 1 {
		t.Errorf("one-hot %v", hot.Data)
	}
	for _, bad := range []Param{{Name: "a"}, {Name: "b", Min: 1, Max: 0, Step: 1}, {Name: "c", Values: []float64{0}, NonZero: true},
		{Name: "d", OneHot: 1}, {Name: "e", Min: 0, Max: 1, Step: 1, Shape: []int{1, 2, 3}}} {
		if bad.check() == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}
