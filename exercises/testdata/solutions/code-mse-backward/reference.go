// want: accepted
package solution

// MSEBackward returns −(2/N)(y − ŷ).
func MSEBackward(yhat, y []float64) []float64 {
	n := float64(len(yhat))
	d := make([]float64, len(yhat))
	for i := range yhat {
		d[i] = -2 * (y[i] - yhat[i]) / n
	}
	return d
}
