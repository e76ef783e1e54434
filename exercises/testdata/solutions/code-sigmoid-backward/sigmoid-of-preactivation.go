// want: sigmoid-derivative-wrong
package solution

// SigmoidBackward takes σ′(z) as z(1 − z).
func SigmoidBackward(z, g []float64) []float64 {
	dz := make([]float64, len(z))
	for i := range z {
		dz[i] = g[i] * z[i] * (1 - z[i])
	}
	return dz
}
