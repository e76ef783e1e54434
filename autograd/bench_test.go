package autograd

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkTwoLayerForwardBackward: one forward and one backward pass of the lesson's two-layer
// network x → w1,b1 → ReLU → w2,b2 → (y − ŷ)².
func BenchmarkTwoLayerForwardBackward(b *testing.B) {
	g, err := Parse(twoLayer)
	if err != nil {
		b.Fatal(err)
	}
	inputs := scalars(map[string]float64{"x": 0.8, "w1": 1.2, "b1": 0.1, "w2": -0.7, "b2": 0.3, "y": 1})
	b.ReportAllocs()
	for b.Loop() {
		run, err := g.Forward(inputs)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := run.Gradients("L", Application{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNeuronGradCheck1000: a gradient check of the single ReLU neuron on 1,000 random cases
// (forward, backward and 8 central-difference evaluations each). One op is all 1,000 cases.
func BenchmarkNeuronGradCheck1000(b *testing.B) {
	g, err := Parse(neuronReLU)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	cases := make([]map[string]Tensor, 1000)
	for i := range cases {
		cases[i] = scalars(map[string]float64{"w": rng.NormFloat64(), "x": rng.NormFloat64(), "b": rng.NormFloat64(), "y": rng.NormFloat64()})
	}
	run, err := g.Forward(cases[0])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range cases {
			if err := run.SetInputs(in); err != nil {
				b.Fatal(err)
			}
			if rep, err := run.CheckGradients("L", CheckOptions{}); err != nil || rep.Failures > 0 {
				b.Fatal(rep, err)
			}
		}
	}
}
