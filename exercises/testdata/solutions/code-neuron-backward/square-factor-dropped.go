// want: square-factor-dropped
package solution

// Backward loses the factor 2 of the square.
func Backward(x, w, b, y float64) (dw, db float64) {
	z := w*x + b
	if z <= 0 {
		return 0, 0
	}
	dL_dz := -(y - z)
	return dL_dz * x, dL_dz
}
