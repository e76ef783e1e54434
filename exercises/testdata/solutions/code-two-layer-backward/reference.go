// want: accepted
package solution

// Backward runs the forward pass, then sends ∂L/∂ŷ back through both layers.
func Backward(x, w1, b1, w2, b2, y float64) (dw1, db1, dw2, db2 float64) {
	h := w1*x + b1
	r := max(h, 0)
	yhat := w2*r + b2
	dyhat := -2 * (y - yhat)
	dw2, db2 = dyhat*r, dyhat
	dr := dyhat * w2
	dh := 0.0
	if h > 0 {
		dh = dr
	}
	return dh * x, dh, dw2, db2
}
