// want: upstream-gradient-dropped
package solution

// ReluBackward returns the local derivative alone.
func ReluBackward(z, g []float64) []float64 {
	dz := make([]float64, len(z))
	for i := range z {
		if z[i] > 0 {
			dz[i] = 1
		}
	}
	return dz
}
