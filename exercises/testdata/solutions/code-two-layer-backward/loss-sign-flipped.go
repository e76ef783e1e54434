// want: loss-sign-flipped
package solution

// Backward takes d/dŷ (y − ŷ)² as +2(y − ŷ).
func Backward(x, w1, b1, w2, b2, y float64) (dw1, db1, dw2, db2 float64) {
	h := w1*x + b1
	r := max(h, 0)
	yhat := w2*r + b2
	dyhat := 2 * (y - yhat)
	dh := 0.0
	if h > 0 {
		dh = dyhat * w2
	}
	return dh * x, dh, dyhat * r, dyhat
}
