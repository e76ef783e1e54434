// want: softmax-ce-wrong
package solution

import "math"

// SoftmaxCEBackward returns p: the −t is lost.
func SoftmaxCEBackward(z, t []float64) []float64 {
	p := make([]float64, len(z))
	sum := 0.0
	for i := range z {
		p[i] = math.Exp(z[i])
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}
