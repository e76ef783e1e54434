// want: sigmoid-derivative-wrong
package solution

import "math"

// SigmoidBackward takes σ′(z) as σ(z).
func SigmoidBackward(z, g []float64) []float64 {
	dz := make([]float64, len(z))
	for i := range z {
		dz[i] = g[i] / (1 + math.Exp(-z[i]))
	}
	return dz
}
