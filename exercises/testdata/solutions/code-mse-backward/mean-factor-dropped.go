// want: mean-factor-dropped
package solution

// MSEBackward forgets the 1/N of the mean.
func MSEBackward(yhat, y []float64) []float64 {
	d := make([]float64, len(yhat))
	for i := range yhat {
		d[i] = -2 * (y[i] - yhat[i])
	}
	return d
}
