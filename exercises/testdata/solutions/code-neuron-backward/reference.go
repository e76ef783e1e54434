// want: accepted
package solution

// Backward returns ∂L/∂w and ∂L/∂b for z = w·x + b, a = ReLU(z), L = (y − a)².
func Backward(x, w, b, y float64) (dw, db float64) {
	z := w*x + b
	a := max(z, 0)
	dL_da := -2 * (y - a)
	dL_dz := 0.0
	if z > 0 {
		dL_dz = dL_da
	}
	return dL_dz * x, dL_dz
}
