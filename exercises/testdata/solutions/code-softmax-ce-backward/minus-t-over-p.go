// want: softmax-ce-wrong
package solution

import "math"

// SoftmaxCEBackward returns −t/p: the cross-entropy's gradient without the softmax's.
func SoftmaxCEBackward(z, t []float64) []float64 {
	p := make([]float64, len(z))
	sum := 0.0
	for i := range z {
		p[i] = math.Exp(z[i])
		sum += p[i]
	}
	d := make([]float64, len(z))
	for i := range p {
		d[i] = -t[i] / (p[i] / sum)
	}
	return d
}
