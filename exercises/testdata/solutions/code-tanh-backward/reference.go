// want: accepted
package solution

import "math"

// TanhBackward multiplies g by tanh′(z) = 1 − tanh²(z).
func TanhBackward(z, g []float64) []float64 {
	dz := make([]float64, len(z))
	for i := range z {
		t := math.Tanh(z[i])
		dz[i] = g[i] * (1 - t*t)
	}
	return dz
}
