// want: accepted
package solution

// ReluBackward passes g where z > 0 and blocks it elsewhere.
func ReluBackward(z, g []float64) []float64 {
	dz := make([]float64, len(z))
	for i := range z {
		if z[i] > 0 {
			dz[i] = g[i]
		}
	}
	return dz
}
