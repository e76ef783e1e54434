// want: relu-gate-ignored
package solution

// Backward lets the gradient through the ReLU even where z ≤ 0.
func Backward(x, w, b, y float64) (dw, db float64) {
	z := w*x + b
	a := max(z, 0)
	dL_dz := -2 * (y - a)
	return dL_dz * x, dL_dz
}
