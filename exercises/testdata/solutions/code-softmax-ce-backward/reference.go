// want: accepted
package solution

import "math"

// SoftmaxCEBackward returns p − t, with a numerically stable softmax.
func SoftmaxCEBackward(z, t []float64) []float64 {
	m := z[0]
	for _, v := range z {
		m = max(m, v)
	}
	p := make([]float64, len(z))
	sum := 0.0
	for i := range z {
		p[i] = math.Exp(z[i] - m)
		sum += p[i]
	}
	for i := range p {
		p[i] = p[i]/sum - t[i]
	}
	return p
}
