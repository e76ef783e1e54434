// want: sigmoid-derivative-wrong
package solution

import "math"

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// Forward returns z·σ(z).
func Forward(z []float64) []float64 {
	a := make([]float64, len(z))
	for i := range z {
		a[i] = z[i] * sigmoid(z[i])
	}
	return a
}

// Backward takes σ′ as σ on the path through σ.
func Backward(z, g []float64) []float64 {
	dz := make([]float64, len(z))
	for i := range z {
		s := sigmoid(z[i])
		dz[i] += g[i] * s
		dz[i] += g[i] * z[i] * s
	}
	return dz
}
