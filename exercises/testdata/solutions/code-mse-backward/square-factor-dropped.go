// want: square-factor-dropped
package solution

// MSEBackward loses the factor 2 of the square.
func MSEBackward(yhat, y []float64) []float64 {
	n := float64(len(yhat))
	d := make([]float64, len(yhat))
	for i := range yhat {
		d[i] = -(y[i] - yhat[i]) / n
	}
	return d
}
