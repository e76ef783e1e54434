// want: upstream-gradient-dropped
package solution

import "math"

// SigmoidBackward returns σ′(z) without the gradient from above.
func SigmoidBackward(z, g []float64) []float64 {
	dz := make([]float64, len(z))
	for i := range z {
		s := 1 / (1 + math.Exp(-z[i]))
		dz[i] = s * (1 - s)
	}
	return dz
}
