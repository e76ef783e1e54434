// want: relu-gate-ignored
package solution

// ReluBackward passes g everywhere.
func ReluBackward(z, g []float64) []float64 {
	dz := make([]float64, len(z))
	copy(dz, g)
	return dz
}
