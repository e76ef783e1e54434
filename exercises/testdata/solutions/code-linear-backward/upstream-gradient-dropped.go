// want: upstream-gradient-dropped
package solution

// LinearBackward returns the local derivatives without the gradient from above.
func LinearBackward(W [][]float64, x, b, g []float64) (dW [][]float64, dx, db []float64) {
	dW = make([][]float64, len(W))
	dx = make([]float64, len(x))
	db = make([]float64, len(b))
	for i := range W {
		dW[i] = make([]float64, len(x))
		for j := range x {
			dW[i][j] = x[j]
			dx[j] += W[i][j]
		}
		db[i] = 1
	}
	return dW, dx, db
}
