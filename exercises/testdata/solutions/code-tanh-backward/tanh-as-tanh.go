// want: tanh-derivative-wrong
package solution

import "math"

// TanhBackward takes tanh′(z) as tanh(z).
func TanhBackward(z, g []float64) []float64 {
	dz := make([]float64, len(z))
	for i := range z {
		dz[i] = g[i] * math.Tanh(z[i])
	}
	return dz
}
