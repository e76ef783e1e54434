// want: forward-value-wrong
package solution

import "math"

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// Forward uses σ(−z): its values are wrong, and Backward no longer matches it.
func Forward(z []float64) []float64 {
	a := make([]float64, len(z))
	for i := range z {
		a[i] = z[i] / (1 + math.Exp(z[i]))
	}
	return a
}

// Backward is right for SiLU.
func Backward(z, g []float64) []float64 {
	dz := make([]float64, len(z))
	for i := range z {
		s := sigmoid(z[i])
		dz[i] = g[i] * (s + z[i]*s*(1-s))
	}
	return dz
}
