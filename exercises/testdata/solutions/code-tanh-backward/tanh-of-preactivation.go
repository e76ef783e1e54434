// want: tanh-derivative-wrong
package solution

// TanhBackward takes tanh′(z) as 1 − z².
func TanhBackward(z, g []float64) []float64 {
	dz := make([]float64, len(z))
	for i := range z {
		dz[i] = g[i] * (1 - z[i]*z[i])
	}
	return dz
}
