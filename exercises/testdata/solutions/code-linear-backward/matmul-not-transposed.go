// want: matmul-not-transposed
package solution

// LinearBackward computes dx = W g instead of Wᵀ g.
func LinearBackward(W [][]float64, x, b, g []float64) (dW [][]float64, dx, db []float64) {
	dW = make([][]float64, len(W))
	dx = make([]float64, len(x))
	db = make([]float64, len(b))
	for i := range W {
		dW[i] = make([]float64, len(x))
		for j := range x {
			dW[i][j] = g[i] * x[j]
			dx[i] += W[i][j] * g[j]
		}
		db[i] = g[i]
	}
	return dW, dx, db
}
