// want: accepted
package solution

import "math"

// SigmoidBackward multiplies g by σ′(z) = σ(z)(1 − σ(z)).
func SigmoidBackward(z, g []float64) []float64 {
	dz := make([]float64, len(z))
	for i := range z {
		s := 1 / (1 + math.Exp(-z[i]))
		dz[i] = g[i] * s * (1 - s)
	}
	return dz
}
