package autograd

import (
	"fmt"
	"math"
)

// rowsCols views a tensor as rows along its last axis: a scalar is one row of one, a vector one row.
func rowsCols(shape []int) (rows, cols int) {
	switch len(shape) {
	case 0:
		return 1, 1
	case 1:
		return 1, shape[0]
	}
	return shape[0], shape[1]
}

var softmaxOp = &opDef{name: "softmax", arity: 1,
	shape: func(in [][]int) ([]int, string) { return cloneShape(in[0]), "" },
	forward: func(in []Tensor, out Tensor) {
		rows, cols := rowsCols(in[0].Shape)
		for r := 0; r < rows; r++ {
			x, p := in[0].Data[r*cols:(r+1)*cols], out.Data[r*cols:(r+1)*cols]
			m := maxOf(x)
			total := 0.0
			for j, v := range x {
				p[j] = math.Exp(v - m)
				total += p[j]
			}
			for j := range p {
				p[j] /= total
			}
		}
	},
	backward: func(in []Tensor, out, g Tensor) []Tensor { return []Tensor{softmaxBackward(out, g, true)} },
}

// softmaxBackward is d softmax · g = p ⊙ (g − Σ p·g), row by row, for softmax output p. Without
// the diagonal term it is −p ⊙ Σ p·g: the softmax-ce-gradient-as-p bug rule.
func softmaxBackward(p, g Tensor, diagonal bool) Tensor {
	rows, cols := rowsCols(p.Shape)
	dx := Full(p.Shape, 0)
	for r := 0; r < rows; r++ {
		pr, gr := p.Data[r*cols:(r+1)*cols], g.Data[r*cols:(r+1)*cols]
		dot := 0.0
		for j := range pr {
			dot += pr[j] * gr[j]
		}
		for j := range pr {
			keep := 0.0
			if diagonal {
				keep = gr[j]
			}
			dx.Data[r*cols+j] = pr[j] * (keep - dot)
		}
	}
	return dx
}

var logsumexpOp = &opDef{name: "logsumexp", arity: 1,
	shape: func(in [][]int) ([]int, string) {
		if len(in[0]) == 2 {
			return []int{in[0][0]}, ""
		}
		return nil, ""
	},
	forward: func(in []Tensor, out Tensor) {
		rows, cols := rowsCols(in[0].Shape)
		for r := 0; r < rows; r++ {
			x := in[0].Data[r*cols : (r+1)*cols]
			m := maxOf(x)
			total := 0.0
			for _, v := range x {
				total += math.Exp(v - m)
			}
			out.Data[r] = m + math.Log(total)
		}
	},
	backward: func(in []Tensor, out, g Tensor) []Tensor {
		// d logsumexp(x) / dx = softmax(x), row by row.
		rows, cols := rowsCols(in[0].Shape)
		dx := Full(in[0].Shape, 0)
		for r := 0; r < rows; r++ {
			for j := 0; j < cols; j++ {
				k := r*cols + j
				dx.Data[k] = g.Data[r] * math.Exp(in[0].Data[k]-out.Data[r])
			}
		}
		return []Tensor{dx}
	},
}

func maxOf(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, v)
	}
	return m
}

// matmulOp is `@` in its four shape cases. Vectors are treated as a row (left) or a column
// (right) and the unit dimension dropped from the result.
var matmulOp = &opDef{name: "@", arity: 2,
	shape: func(in [][]int) ([]int, string) {
		a, b := in[0], in[1]
		if len(a) == 0 || len(b) == 0 {
			return nil, fmt.Sprintf("`@` multiplies vectors and matrices, but got shapes %s and %s; use `*` to scale by a scalar",
				ShapeString(a), ShapeString(b))
		}
		if a[len(a)-1] != b[0] {
			return nil, fmt.Sprintf("cannot multiply shapes %s @ %s: the inner sizes %d and %d differ",
				ShapeString(a), ShapeString(b), a[len(a)-1], b[0])
		}
		var out []int
		if len(a) == 2 {
			out = append(out, a[0])
		}
		if len(b) == 2 {
			out = append(out, b[1])
		}
		return out, ""
	},
	forward: func(in []Tensor, out Tensor) { matmulInto(out.Data, in[0], in[1]) },
	backward: func(in []Tensor, out, g Tensor) []Tensor {
		// dA = g @ Bᵀ and dB = Aᵀ @ g, with vectors lifted to a row (left) or a column (right).
		a2, b2, g2 := liftMatmul(in[0], in[1], g)
		return []Tensor{
			reshapeLike(matmul2(g2, transpose(b2)), in[0]),
			reshapeLike(matmul2(transpose(a2), g2), in[1]),
		}
	},
}

// liftMatmul views the operands of a @ b and the gradient of its result as matrices: a vector on the
// left is one row, a vector on the right one column.
func liftMatmul(a, b, g Tensor) (a2, b2, g2 Tensor) {
	a2, b2 = a, b
	if len(a.Shape) == 1 {
		a2 = Tensor{Shape: []int{1, a.Shape[0]}, Data: a.Data}
	}
	if len(b.Shape) == 1 {
		b2 = Tensor{Shape: []int{b.Shape[0], 1}, Data: b.Data}
	}
	g2 = Tensor{Shape: []int{a2.Shape[0], b2.Shape[1]}, Data: g.Data}
	return a2, b2, g2
}

func reshapeLike(t, like Tensor) Tensor {
	return Tensor{Shape: cloneShape(like.Shape), Data: t.Data}
}

func matmul2(a, b Tensor) Tensor {
	out := Tensor{Shape: []int{a.Shape[0], b.Shape[1]}, Data: make([]float64, a.Shape[0]*b.Shape[1])}
	matmulInto(out.Data, a, b)
	return out
}

// matmulInto writes a @ b into dst, treating a vector a as one row and a vector b as one column.
func matmulInto(dst []float64, a, b Tensor) {
	m, n := rowsCols(a.Shape)
	k := 1
	if len(b.Shape) == 2 {
		k = b.Shape[1]
	}
	for i := 0; i < m; i++ {
		for j := 0; j < k; j++ {
			s := 0.0
			for p := 0; p < n; p++ {
				s += a.Data[i*n+p] * b.Data[p*k+j]
			}
			dst[i*k+j] = s
		}
	}
}
