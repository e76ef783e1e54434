// want: loss-sign-flipped
package solution

// Backward takes d/da (y − a)² as +2(y − a).
func Backward(x, w, b, y float64) (dw, db float64) {
	z := w*x + b
	if z <= 0 {
		return 0, 0
	}
	dL_dz := 2 * (y - z)
	return dL_dz * x, dL_dz
}
