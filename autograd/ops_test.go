package autograd

import (
	"slices"
	"testing"
)

// opChecks exercises each op of the registry in a program whose inputs keep away from its kinks
// and the edges of its domain, with weights c so that no gradient is trivially one. Every op must
// have an entry: a new op is not done until its backward rule passes the check below.
var opChecks = map[string]string{
	"neg":       "L = sum(c * -x)",
	"+":         "L = sum(c * (x + v))",
	"-":         "L = sum(c * (x - v))",
	"*":         "L = sum(c * (x * v))",
	"/":         "L = sum(c * (x / v))",
	"^":         "L = sum(c * x^v) + sum(c * x^2) + sum(c * 2^x)",
	"max":       "L = sum(c * max(x, v))",
	"min":       "L = sum(c * min(x, v))",
	"relu":      "L = sum(c * relu(x - 1))",
	"abs":       "L = sum(c * abs(x - 1))",
	"sigmoid":   "L = sum(c * sigmoid(x))",
	"tanh":      "L = sum(c * tanh(x))",
	"exp":       "L = sum(c * exp(x))",
	"log":       "L = sum(c * log(x))",
	"sqrt":      "L = sum(c * sqrt(x))",
	"sin":       "L = sum(c * sin(x))",
	"cos":       "L = sum(c * cos(x))",
	"softplus":  "L = sum(c * softplus(x))",
	"sum":       "L = sum(c * x) * sum(x)",
	"mean":      "L = mean(c * x) * mean(x)",
	"softmax":   "L = sum(c * softmax(x)) + sum(M * softmax(M))",
	"logsumexp": "L = logsumexp(c * x) + sum(c * logsumexp(M))",
	"@":         "L = x @ v + sum(c * (M @ x)) + sum(c @ M) + sum(M @ transpose(M) * 0.5)",
	"transpose": "L = sum(N * transpose(M))",
	"=":         "t = x * v\nL = sum(c * t) + sum(t)",
}

// TestEveryOpBackwardAgainstCentralDifferences checks each op's backward rule, as the registry
// holds it, against central differences of its own forward code.
func TestEveryOpBackwardAgainstCentralDifferences(t *testing.T) {
	inputs := map[string]Tensor{
		"x": Vector(0.4, 1.7, 2.3),
		"v": Vector(1.3, 0.6, 2.9),
		"c": Vector(0.7, -1.1, 1.9),
		"M": {Shape: []int{3, 3}, Data: []float64{0.5, -1.2, 0.8, 1.4, 0.3, -0.6, -0.9, 2.1, 0.2}},
		"N": {Shape: []int{3, 3}, Data: []float64{1.5, -0.2, 0.7, 0.4, -1.3, 0.6, 0.9, 0.1, -0.8}},
	}
	for name := range ops {
		if _, ok := opChecks[name]; !ok {
			t.Errorf("op %q has no central-difference check in opChecks", name)
		}
	}
	for name, program := range opChecks {
		t.Run(name, func(t *testing.T) {
			if _, ok := ops[name]; !ok {
				t.Fatalf("opChecks names %q, which is no op", name)
			}
			g, run := mustRun(t, program, inputs)
			if !slices.ContainsFunc(g.nodes, func(n node) bool { return n.op != nil && n.op.name == name }) {
				t.Fatalf("the program does not use %q", name)
			}
			rep, err := run.CheckGradients(g.Output(), CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !rep.OK() || rep.Unreliable > 0 {
				t.Errorf("%d failures, %d unreliable: %+v", rep.Failures, rep.Unreliable, rep.Elements)
			}
		})
	}
}

// TestFunctionNamesComeFromTheRegistry: every callable op parses as a call, and nothing else does.
func TestFunctionNamesComeFromTheRegistry(t *testing.T) {
	names := functionNames()
	for name, o := range ops {
		if got, want := slices.Contains(names, name), o.usage != ""; got != want {
			t.Errorf("%q listed as a function: %v, want %v", name, got, want)
		}
	}
	if _, err := Parse("L = relu(x) + sum(x)"); err != nil {
		t.Errorf("calls of registered functions: %v", err)
	}
	for _, src := range []string{"L = neg(x)", "L = grad(x, x)", "L = assign(x)"} {
		if _, err := Parse(src); err == nil || err.(*Error).Kind != KindUnknownFunction {
			t.Errorf("%s: got %v, want unknown_function", src, err)
		}
	}
}
