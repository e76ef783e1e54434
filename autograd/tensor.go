package autograd

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Tensor is a float64 array of rank 0, 1 or 2, stored row-major. Shape is nil (or empty) for a
// scalar, [n] for a vector and [m n] for a matrix; len(Data) is always the product of Shape (1 for
// a scalar). The zero Tensor is not valid; use Scalar, Vector or Matrix.
type Tensor struct {
	Shape []int
	Data  []float64
}

// Scalar returns a rank-0 tensor holding v.
func Scalar(v float64) Tensor { return Tensor{Data: []float64{v}} }

// Vector returns a rank-1 tensor holding a copy of v.
func Vector(v ...float64) Tensor {
	return Tensor{Shape: []int{len(v)}, Data: append([]float64(nil), v...)}
}

// Matrix returns a rank-2 tensor holding a copy of rows, which must be rectangular and non-empty.
func Matrix(rows [][]float64) Tensor {
	t := Tensor{Shape: []int{len(rows), len(rows[0])}}
	for _, r := range rows {
		t.Data = append(t.Data, r...)
	}
	return t
}

// Full returns a tensor of the given shape with every element v.
func Full(shape []int, v float64) Tensor {
	t := Tensor{Shape: cloneShape(shape), Data: make([]float64, size(shape))}
	if v != 0 {
		for i := range t.Data {
			t.Data[i] = v
		}
	}
	return t
}

// Rank is the number of dimensions: 0, 1 or 2.
func (t Tensor) Rank() int { return len(t.Shape) }

// IsScalar reports whether t holds exactly one element.
func (t Tensor) IsScalar() bool { return len(t.Data) == 1 && size(t.Shape) == 1 }

// Item returns the only element of a one-element tensor.
func (t Tensor) Item() float64 { return t.Data[0] }

// Clone returns a deep copy of t.
func (t Tensor) Clone() Tensor {
	return Tensor{Shape: cloneShape(t.Shape), Data: append([]float64(nil), t.Data...)}
}

// At returns the element at row i, column j of a matrix, element i of a vector (j ignored), or the
// scalar (both ignored).
func (t Tensor) At(i, j int) float64 {
	switch len(t.Shape) {
	case 0:
		return t.Data[0]
	case 1:
		return t.Data[i]
	}
	return t.Data[i*t.Shape[1]+j]
}

// Nested returns t as a float64, []float64 or [][]float64: the JSON shape of the tensor.
func (t Tensor) Nested() any {
	switch len(t.Shape) {
	case 0:
		return t.Data[0]
	case 1:
		return append([]float64{}, t.Data...)
	}
	rows := make([][]float64, t.Shape[0])
	for i := range rows {
		rows[i] = append([]float64{}, t.Data[i*t.Shape[1]:(i+1)*t.Shape[1]]...)
	}
	return rows
}

// SameShape reports whether a and b have the same shape (all one-element shapes of rank 0 are equal).
func SameShape(a, b []int) bool { return slices.Equal(a, b) }

// ShapeString renders a shape for messages: "scalar", "(3)", "(2, 3)".
func ShapeString(shape []int) string {
	if len(shape) == 0 {
		return "scalar"
	}
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// firstNonFinite returns the index of the first NaN or ±Inf element, or -1.
func (t Tensor) firstNonFinite() int {
	for i, v := range t.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return i
		}
	}
	return -1
}

func size(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

func cloneShape(s []int) []int {
	if len(s) == 0 {
		return nil
	}
	return append([]int(nil), s...)
}

// broadcastShape returns the NumPy broadcast of a and b, or ok=false when they do not broadcast.
func broadcastShape(a, b []int) (out []int, ok bool) {
	n := max(len(a), len(b))
	out = make([]int, n)
	for i := 1; i <= n; i++ {
		da, db := dimFromEnd(a, i), dimFromEnd(b, i)
		switch {
		case da == db || db == 1:
			out[n-i] = da
		case da == 1:
			out[n-i] = db
		default:
			return nil, false
		}
	}
	return cloneShape(out), true
}

func dimFromEnd(s []int, i int) int {
	if i > len(s) {
		return 1
	}
	return s[len(s)-i]
}

// broadcastIndex maps every flat index of out to the flat index of an operand of shape in that
// broadcasts to out. It returns nil when in already has out's shape (the identity map).
func broadcastIndex(in, out []int) []int {
	if SameShape(in, out) {
		return nil
	}
	idx := make([]int, size(out))
	rows, cols := 1, 1
	if len(out) == 2 {
		rows, cols = out[0], out[1]
	} else if len(out) == 1 {
		cols = out[0]
	}
	inRows, inCols := 1, 1
	if len(in) == 2 {
		inRows, inCols = in[0], in[1]
	} else if len(in) == 1 {
		inCols = in[0]
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			ii, jj := i, j
			if inRows == 1 {
				ii = 0
			}
			if inCols == 1 {
				jj = 0
			}
			idx[i*cols+j] = ii*inCols + jj
		}
	}
	return idx
}

// transpose returns the transpose of a matrix; a scalar or vector is returned as a copy.
func transpose(t Tensor) Tensor {
	if len(t.Shape) != 2 {
		return t.Clone()
	}
	m, n := t.Shape[0], t.Shape[1]
	out := Tensor{Shape: []int{n, m}, Data: make([]float64, m*n)}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			out.Data[j*m+i] = t.Data[i*n+j]
		}
	}
	return out
}
