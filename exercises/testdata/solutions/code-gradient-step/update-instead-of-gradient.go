// want: update-instead-of-gradient
package solution

// Step returns the updated weight where the gradient is asked.
func Step(w, x, y, lr float64) (dw, newW float64) {
	g := -2 * (y - w*x) * x
	return w - lr*g, w - lr*g
}
