package autograd

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
)

// TestGradCheckAgreesOnEveryVector: on all 400 PyTorch vectors, whose kink arguments keep away from
// their kinks, the engine's gradients pass the central-difference check and nothing is unreliable.
func TestGradCheckAgreesOnEveryVector(t *testing.T) {
	worst := 0.0
	for _, v := range readVectors(t, "../testdata/gradients.jsonl") {
		inputs, err := DecodeInputs(v.Inputs)
		if err != nil {
			t.Fatal(err)
		}
		g, run := mustRun(t, v.Program, inputs)
		grads, err := run.Gradients(v.Output, Application{})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := run.GradCheck(v.Output, grads, CheckOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() || rep.Unreliable > 0 {
			t.Errorf("%s: %d failures, %d unreliable: %+v", v.Name, rep.Failures, rep.Unreliable, rep.Elements)
		}
		for _, e := range rep.Elements {
			if max(math.Abs(e.Analytic), math.Abs(e.Numeric)) > 1e-4 { // tiny gradients are judged by atol
				worst = max(worst, e.RelErr)
			}
		}
		// The run's values are restored after the check.
		after, _ := run.Value(g.Output())
		if want := mustTensor(t, v.Values[v.Output]); !closeEnough(after.Item(), want.Item()) {
			t.Errorf("%s: output changed by the check: %v, want %v", v.Name, after.Item(), want.Item())
		}
	}
	t.Logf("worst symmetric relative error over all vectors (gradients above 1e-4): %.2g", worst)
}

func TestGradCheckFlagsKinks(t *testing.T) {
	cases := []struct {
		name       string
		program    string
		inputs     map[string]Tensor
		unreliable map[string]bool // by input name
	}{
		{"relu exactly at 0", "L = relu(x)", scalars(map[string]float64{"x": 0}), map[string]bool{"x": true}},
		{"relu within a step of 0", "L = relu(x)", scalars(map[string]float64{"x": 4e-7}), map[string]bool{"x": true}},
		{"relu far from 0", "L = relu(x)", scalars(map[string]float64{"x": 0.3}), map[string]bool{"x": false}},
		{"abs crossing 0", "L = abs(w*x)", scalars(map[string]float64{"w": 1e-7, "x": 1}), map[string]bool{"w": true, "x": false}},
		{"max tie", "L = max(a, b)", scalars(map[string]float64{"a": 1, "b": 1}), map[string]bool{"a": true, "b": true}},
		{"min close to a tie", "L = min(a, b)", scalars(map[string]float64{"a": 1, "b": 1 + 1e-7}), map[string]bool{"a": true, "b": true}},
		{"vector relu, one element at 0", "L = sum(relu(v))", map[string]Tensor{"v": Vector(1, 0, -1)}, map[string]bool{"v": true}},
		{"kink after the output does not count", "L = x*2\nM = relu(x - 1)", scalars(map[string]float64{"x": 1}), map[string]bool{"x": false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, run := mustRun(t, tc.program, tc.inputs)
			out := g.Names()[0]
			if len(g.Names()) == 1 {
				out = g.Output()
			}
			grads, err := run.Gradients(out, Application{})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := run.GradCheck(out, grads, CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, e := range rep.Elements {
				got[e.Input] = got[e.Input] || e.Unreliable
			}
			for name, want := range tc.unreliable {
				if got[name] != want {
					t.Errorf("%s unreliable = %v, want %v (%+v)", name, got[name], want, rep.Elements)
				}
			}
			if rep.Failures != 0 {
				t.Errorf("a kink must never be reported as a failure: %+v", rep.Elements)
			}
		})
	}
}

func TestGradCheckReportsRelativeError(t *testing.T) {
	_, run := mustRun(t, "L = x^2", scalars(map[string]float64{"x": 3}))
	rep, err := run.GradCheck("L", map[string]Tensor{"x": Scalar(5)}, CheckOptions{}) // right: 6
	if err != nil {
		t.Fatal(err)
	}
	e := rep.Elements[0]
	if e.Pass || rep.OK() {
		t.Errorf("5 for 6 passed the check")
	}
	if want := 1.0 / 6; e.RelErr < want-1e-6 || e.RelErr > want+1e-6 {
		t.Errorf("relative error = %v, want %v", e.RelErr, want)
	}
	// Within atol + rtol·|n| passes: 6.004 is within 1e-5 + 1e-3·6.
	rep, _ = run.GradCheck("L", map[string]Tensor{"x": Scalar(6.005)}, CheckOptions{})
	if !rep.OK() {
		t.Errorf("6.005 for 6 failed: %+v", rep.Elements)
	}
}

// TestGradCheckRestoresEachInput: the difference for an input must be taken at the point itself,
// not where the previous input's last step left the nodes that depend on both. At this point of
// the lesson's two-layer network ŷ = y, so every gradient is 0 and any stale node shows.
func TestGradCheckRestoresEachInput(t *testing.T) {
	_, run := mustRun(t, "h = w1*x + b1\nr = relu(h)\nyhat = w2*r + b2\nL = (y - yhat)^2",
		scalars(map[string]float64{"x": 1, "w1": 1.5, "b1": -1, "w2": 2, "b2": 1, "y": 2}))
	rep, err := run.CheckGradients("L", CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.Elements {
		if math.Abs(e.Numeric) > 1e-9 || !e.Pass {
			t.Errorf("∂L/∂%s: got numeric %g, analytic %g; want both 0", e.Input, e.Numeric, e.Analytic)
		}
	}
}

// FuzzEval parses, evaluates and differentiates arbitrary programs and inputs: no panic, no hang.
// The seed corpus is every PyTorch vector and every invalid program.
func FuzzEval(f *testing.F) {
	for _, path := range []string{"../testdata/gradients.jsonl", "../testdata/invalid.jsonl"} {
		for _, v := range readVectors(f, path) {
			f.Add(v.Program, string(v.Inputs), "grad(L, x) + 1")
		}
	}
	f.Fuzz(func(t *testing.T, program, inputs, quantity string) {
		if len(program) > 4096 || len(inputs) > 4096 {
			return // keep tensors small enough that one case stays fast
		}
		in, err := DecodeInputs([]byte(inputs))
		if err != nil {
			return
		}
		for _, v := range in {
			if len(v.Data) > 64 {
				return
			}
		}
		g, err := Parse(program)
		if err != nil {
			checkError(t, err)
			return
		}
		run, err := g.Forward(in)
		if err != nil {
			checkError(t, err)
			return
		}
		work := 0
		for _, v := range run.vals {
			work += len(v.Data)
		}
		if work > 20000 {
			return // big products chained many times: slow by nature, not a hang
		}
		for _, r := range append(BugRules(), nil) {
			if _, err := run.Gradients(g.Output(), Application{Rule: r}); err != nil && err != ErrNotApplicable {
				checkError(t, err)
			}
		}
		if q, err := g.ParseQuantity(quantity); err == nil {
			q.Eval(run, Application{})
		}
		if grads, err := run.Gradients(g.Output(), Application{}); err == nil {
			run.GradCheck(g.Output(), grads, CheckOptions{})
		}
	})
}

func checkError(t *testing.T, err error) {
	t.Helper()
	e, ok := err.(*Error)
	if !ok || e.Kind == "" || e.Msg == "" {
		t.Fatalf("error without kind or message: %#v", err)
	}
	if _, err := json.Marshal(ToErrorJSON(err)); err != nil {
		t.Fatal(err)
	}
	_ = fmt.Sprint(e)
}
