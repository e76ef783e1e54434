// want: accepted
package solution

// LinearBackward returns dW = g xᵀ, dx = Wᵀ g and db = g.
func LinearBackward(W [][]float64, x, b, g []float64) (dW [][]float64, dx, db []float64) {
	dW = make([][]float64, len(W))
	dx = make([]float64, len(x))
	db = make([]float64, len(b))
	for i := range W {
		dW[i] = make([]float64, len(x))
		for j := range x {
			dW[i][j] = g[i] * x[j]
			dx[j] += W[i][j] * g[i]
		}
		db[i] = g[i]
	}
	return dW, dx, db
}
