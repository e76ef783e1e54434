// want: relu-gate-ignored
package solution

// Backward passes the gradient through the ReLU even where h ≤ 0.
func Backward(x, w1, b1, w2, b2, y float64) (dw1, db1, dw2, db2 float64) {
	h := w1*x + b1
	r := max(h, 0)
	yhat := w2*r + b2
	dyhat := -2 * (y - yhat)
	dh := dyhat * w2
	return dh * x, dh, dyhat * r, dyhat
}
