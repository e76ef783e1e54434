package autograd

import (
	"math"
	"testing"
)

const (
	neuronReLU    = "z = w*x + b\na = relu(z)\nL = (y - a)^2"
	neuronSigmoid = "z = w*x + b\na = sigmoid(z)\nL = (y - a)^2"
	neuronTanh    = "z = w*x + b\na = tanh(z)\nL = (y - a)^2"
	twoLayer      = "h = w1*x + b1\nr = relu(h)\nyhat = w2*r + b2\nL = (y - yhat)^2"
)

func scalars(kv map[string]float64) map[string]Tensor {
	out := map[string]Tensor{}
	for k, v := range kv {
		out[k] = Scalar(v)
	}
	return out
}

// live is the lesson's neuron with an active ReLU: z = 1.1, a = 1.1, L = 0.01, ∂L/∂a = 0.2.
var live = scalars(map[string]float64{"w": 0.5, "x": 2, "b": 0.1, "y": 1})

// TestBugRulesHandWorked checks every bug rule against values worked out by hand on the lesson's
// graphs, and that the gradient check rejects each rule's gradients where they differ from the
// right ones.
func TestBugRulesHandWorked(t *testing.T) {
	sig2 := sigmoid(2) // the sigmoid neuron below has z = 2, y = 1
	th2 := math.Tanh(2)
	cases := []struct {
		name    string
		rule    string
		at      string
		program string
		inputs  map[string]Tensor
		want    map[string]Tensor // the rule's gradients of the output
	}{
		{"dead relu passes gradient", "relu-gate-ignored", "", neuronReLU,
			// z = -0.9, a = 0, ∂L/∂a = -2(1-0) = -2; with the gate ignored ∂L/∂z = -2, ∂L/∂w = -2·2.
			scalars(map[string]float64{"w": -0.5, "x": 2, "b": 0.1, "y": 1}),
			map[string]Tensor{"z": Scalar(-2), "w": Scalar(-4), "b": Scalar(-2)}},
		{"sigma' as sigma", "sigmoid-derivative-as-sigmoid", "", neuronSigmoid,
			scalars(map[string]float64{"w": 1, "x": 2, "b": 0, "y": 1}),
			map[string]Tensor{"z": Scalar(-2 * (1 - sig2) * sig2), "b": Scalar(-2 * (1 - sig2) * sig2)}},
		{"sigma' from pre-activation", "sigmoid-derivative-of-preactivation", "", neuronSigmoid,
			scalars(map[string]float64{"w": 1, "x": 2, "b": 0, "y": 1}),
			// z(1-z) = 2·(1-2) = -2
			map[string]Tensor{"z": Scalar(-2 * (1 - sig2) * -2)}},
		{"tanh' from pre-activation", "tanh-derivative-of-preactivation", "", neuronTanh,
			scalars(map[string]float64{"w": 1, "x": 2, "b": 0, "y": 1}),
			map[string]Tensor{"z": Scalar(-2 * (1 - th2) * (1 - 4))}},
		{"tanh' as tanh", "tanh-derivative-as-tanh", "", neuronTanh,
			scalars(map[string]float64{"w": 1, "x": 2, "b": 0, "y": 1}),
			map[string]Tensor{"z": Scalar(-2 * (1 - th2) * th2)}},
		{"square factor dropped", "square-factor-dropped", "", neuronReLU, live,
			// ∂L/∂a = -(y - a) = 0.1 instead of 0.2
			map[string]Tensor{"a": Scalar(0.1), "w": Scalar(0.2), "b": Scalar(0.1)}},
		{"loss sign flipped", "loss-sign-flipped", "", neuronReLU, live,
			// ∂L/∂a = +2(y - a) = -0.2
			map[string]Tensor{"a": Scalar(-0.2), "w": Scalar(-0.4)}},
		{"chain rule adds", "chain-rule-add", "", neuronReLU, live,
			// ∂L/∂a = 0.2; ∂L/∂z = 0.2 + 1; ∂L/∂w = 1.2 + x; ∂L/∂b = 1.2 + 1
			map[string]Tensor{"a": Scalar(0.2), "z": Scalar(1.2), "w": Scalar(3.2), "b": Scalar(2.2)}},
		{"upstream dropped everywhere", "upstream-gradient-dropped", "", neuronReLU, live,
			// each gradient is its local derivative alone: ∂z/∂w = x = 2, ∂a/∂z = 1
			map[string]Tensor{"w": Scalar(2), "b": Scalar(1), "z": Scalar(1), "a": Scalar(0.2)}},
		{"upstream dropped at z", "upstream-gradient-dropped", "z", neuronReLU, live,
			map[string]Tensor{"w": Scalar(2), "z": Scalar(0.2)}},
		{"local factor x dropped", "local-factor-dropped", "z", neuronReLU, live,
			// ∂L/∂w taken as ∂L/∂z = 0.2, forgetting ∂z/∂w = x
			map[string]Tensor{"w": Scalar(0.2), "b": Scalar(0.2)}},
		{"two-layer upstream dropped at yhat", "upstream-gradient-dropped", "yhat", twoLayer,
			// x=1, w1=1, b1=0 → h=r=1; w2=2, b2=0 → yhat=2; y=0: ∂L/∂yhat = 4; ∂L/∂w2 = r = 1 alone
			scalars(map[string]float64{"x": 1, "w1": 1, "b1": 0, "w2": 2, "b2": 0, "y": 0}),
			map[string]Tensor{"w2": Scalar(1), "b2": Scalar(1), "r": Scalar(2), "w1": Scalar(2)}},
		{"mean 1/N lost", "mean-factor-dropped", "", "yhat = w*x + b\nL = mean((yhat - t)^2)",
			map[string]Tensor{"w": Scalar(1), "b": Scalar(0), "x": Vector(1, 2), "t": Vector(0, 0)},
			// correct ∂L/∂w = (2·1·1 + 2·2·2)/2 = 5; without 1/N: 10
			map[string]Tensor{"w": Scalar(10), "b": Scalar(6)}},
		{"fan-out overwritten", "fanout-not-summed", "", "u = x*y\nv = x + u\nL = u*v",
			// x=1, y=2: u=2, v=3. ∂L/∂u keeps only the path through v: 2; ∂L/∂x = 2·y = 4 (right: 12)
			scalars(map[string]float64{"x": 1, "y": 2}),
			map[string]Tensor{"u": Scalar(2), "x": Scalar(4), "y": Scalar(2)}},
		{"fan-out keeps the first path", "fanout-first-path-only", "", "u = x*y\nv = x + u\nL = u*v",
			// x=1, y=2: u=2, v=3. ∂L/∂u keeps the path from L: v = 3; ∂L/∂x keeps the path through v:
			// ∂L/∂v = u = 2 (right: 12); ∂L/∂y = 3·x = 3
			scalars(map[string]float64{"x": 1, "y": 2}),
			map[string]Tensor{"u": Scalar(3), "x": Scalar(2), "y": Scalar(3)}},
		{"matmul without transpose", "matmul-not-transposed", "", "h = W @ x\nL = sum(h)",
			map[string]Tensor{"W": Matrix([][]float64{{1, 2}, {3, 4}}), "x": Vector(1, 1)},
			// right: ∂L/∂x = Wᵀ·1 = [4, 6]; without the transpose W·1 = [3, 7]
			map[string]Tensor{"x": Vector(3, 7)}},
		{"bias not summed over batch", "bias-not-summed", "", "H = X @ transpose(W) + b\nL = sum(H)",
			map[string]Tensor{"X": Matrix([][]float64{{1, 2}, {3, 4}}), "W": Matrix([][]float64{{1, 0}, {0, 1}}), "b": Vector(0.5, -0.5)},
			map[string]Tensor{"b": Matrix([][]float64{{1, 1}, {1, 1}})}},
		{"softmax passes gradient through", "softmax-backward-identity", "", "p = softmax(z)\nL = -sum(t * log(p))",
			map[string]Tensor{"z": Vector(0, 0), "t": Vector(1, 0)},
			// ∂L/∂p = -t/p = [-2, 0]; right ∂L/∂z = p - t = [-0.5, 0.5]
			map[string]Tensor{"z": Vector(-2, 0)}},
		{"softmax-CE gradient as p", "softmax-ce-gradient-as-p", "", "p = softmax(z)\nL = -sum(t * log(p))",
			map[string]Tensor{"z": Vector(0, 0), "t": Vector(1, 0)},
			map[string]Tensor{"z": Vector(0.5, 0.5)}},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rule, ok := LookupBugRule(tc.rule)
			if !ok {
				t.Fatalf("no rule %q", tc.rule)
			}
			covered[rule.Name] = true
			g, run := mustRun(t, tc.program, tc.inputs)
			got, err := run.Gradients(g.Output(), Application{Rule: rule, At: tc.at})
			if err != nil {
				t.Fatalf("Gradients under %s: %v", tc.rule, err)
			}
			for name, want := range tc.want {
				compareTensor(t, "grad "+name, got[name], want)
			}
			assertGradCheckCatches(t, run, g.Output(), got)
		})
	}
	for _, r := range BugRules() {
		if !covered[r.Name] {
			t.Errorf("bug rule %s has no hand-worked test", r.Name)
		}
	}
}

func mustRun(t *testing.T, program string, inputs map[string]Tensor) (*Graph, *Run) {
	t.Helper()
	g, err := Parse(program)
	if err != nil {
		t.Fatal(err)
	}
	run, err := g.Forward(inputs)
	if err != nil {
		t.Fatal(err)
	}
	return g, run
}

// assertGradCheckCatches checks that the right gradients pass the gradient check and that buggy
// ones, where they differ from the right ones in shape or value, fail it.
func assertGradCheckCatches(t *testing.T, run *Run, output string, buggy map[string]Tensor) {
	t.Helper()
	right, err := run.Gradients(output, Application{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := run.GradCheck(output, right, CheckOptions{})
	if err != nil || !rep.OK() || rep.Unreliable > 0 {
		t.Fatalf("right gradients: report %+v, err %v", rep, err)
	}
	differs := false
	comparable := map[string]Tensor{}
	for _, name := range run.g.Inputs() {
		if !SameShape(buggy[name].Shape, right[name].Shape) {
			differs = true // a wrongly shaped gradient needs no numeric check to be caught
			continue
		}
		comparable[name] = buggy[name]
		for k := range buggy[name].Data {
			differs = differs || math.Abs(buggy[name].Data[k]-right[name].Data[k]) > 1e-9
		}
	}
	if !differs {
		t.Fatalf("the rule does not change any input's gradient here")
	}
	rep, err = run.GradCheck(output, comparable, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(comparable) == len(run.g.Inputs()) && rep.OK() {
		t.Errorf("gradient check passed the rule's gradients: %+v", rep.Elements)
	}
}

// TestTwoRulesAtOnce: a student holding two beliefs follows both; each rule keeps its own place.
func TestTwoRulesAtOnce(t *testing.T) {
	rule := func(name string) *BugRule {
		r, ok := LookupBugRule(name)
		if !ok {
			t.Fatalf("no rule %q", name)
		}
		return r
	}
	cases := []struct {
		name       string
		rule, also string
		at         string
		program    string
		inputs     map[string]Tensor
		want       map[string]Tensor
	}{
		// y − a = −0.1: the right ∂L/∂a is 0.2; without the 2 and with the sign flipped, +(y − a).
		{"square factor dropped and sign flipped", "square-factor-dropped", "loss-sign-flipped", "", neuronReLU, live,
			map[string]Tensor{"a": Scalar(-0.1), "w": Scalar(-0.2), "b": Scalar(-0.1)}},
		{"both at L", "square-factor-dropped", "loss-sign-flipped", "L", neuronReLU, live,
			map[string]Tensor{"a": Scalar(-0.1), "w": Scalar(-0.2)}},
		// z = −0.9: the gate passes ∂L/∂a = +2(y − a) = 2.
		{"dead relu passes a flipped gradient", "relu-gate-ignored", "loss-sign-flipped", "", neuronReLU,
			scalars(map[string]float64{"w": -0.5, "x": 2, "b": 0.1, "y": 1}),
			map[string]Tensor{"z": Scalar(2), "w": Scalar(4), "b": Scalar(2)}},
		// chain-rule-add with relu′ taken as 1: ∂L/∂a = 0.2, ∂L/∂z = 0.2 + 1 as before (z > 0).
		{"engine-level and op rule", "chain-rule-add", "square-factor-dropped", "", neuronReLU, live,
			map[string]Tensor{"a": Scalar(0.1), "z": Scalar(1.1), "w": Scalar(3.1)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, s := rule(tc.rule), rule(tc.also)
			if !Combines(r, s) || !Combines(s, r) {
				t.Fatalf("%s and %s do not combine", r.Name, s.Name)
			}
			g, run := mustRun(t, tc.program, tc.inputs)
			got, err := run.Gradients(g.Output(), Application{Rule: r, Also: s, At: tc.at})
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tc.want {
				compareTensor(t, "grad "+name, got[name], want)
			}
		})
	}
	for _, pair := range [][2]string{{"sigmoid-derivative-as-sigmoid", "sigmoid-derivative-of-preactivation"},
		{"chain-rule-add", "local-factor-dropped"}, {"fanout-not-summed", "fanout-first-path-only"}} {
		if Combines(rule(pair[0]), rule(pair[1])) {
			t.Errorf("%s and %s combine; want not (one op's rule twice, two ways to chain, two ways to meet)", pair[0], pair[1])
		}
	}
}
