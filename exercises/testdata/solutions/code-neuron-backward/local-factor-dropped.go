// want: local-factor-dropped
package solution

// Backward forgets that ∂z/∂w = x.
func Backward(x, w, b, y float64) (dw, db float64) {
	z := w*x + b
	if z <= 0 {
		return 0, 0
	}
	dL_dz := -2 * (y - z)
	return dL_dz, dL_dz
}
