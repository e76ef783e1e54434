// want: matmul-not-transposed
package solution

// LinearBackward computes dW = x gᵀ instead of g xᵀ: rows and columns swapped, so dW has as many
// rows as x has elements, not as W has rows.
func LinearBackward(W [][]float64, x, b, g []float64) (dW [][]float64, dx, db []float64) {
	dW = make([][]float64, len(x))
	dx = make([]float64, len(x))
	db = make([]float64, len(b))
	for j := range x {
		dW[j] = make([]float64, len(g))
		for i := range g {
			dW[j][i] = x[j] * g[i]
			dx[j] += W[i][j] * g[i]
		}
	}
	for i := range g {
		db[i] = g[i]
	}
	return dW, dx, db
}
