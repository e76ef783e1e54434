// want: update-sign-flipped
package solution

// Step climbs the loss: w + lr·∂L/∂w.
func Step(w, x, y, lr float64) (dw, newW float64) {
	dw = -2 * (y - w*x) * x
	return dw, w + lr*dw
}
