package autograd

import (
	"math"
	"slices"
	"testing"
)

const neuron = "z = w*x + b\na = relu(z)\nL = (y - a)^2"

func neuronRun(t *testing.T, values map[string]Tensor) (*Graph, *Run) {
	t.Helper()
	g, err := Parse(neuron)
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]Tensor{"w": Scalar(2), "x": Scalar(1.5), "b": Scalar(-1), "y": Scalar(3)}
	r, err := g.ForwardWith(in, values)
	if err != nil {
		t.Fatal(err)
	}
	return g, r
}

func evalWith(t *testing.T, g *Graph, r *Run, q string, grads map[string]Tensor) float64 {
	t.Helper()
	qq, err := g.ParseQuantity(q)
	if err != nil {
		t.Fatal(err)
	}
	v, err := qq.EvalWith(r, "L", grads, nil)
	if err != nil {
		t.Fatal(err)
	}
	return v.Item()
}

func TestForwardWith(t *testing.T) {
	// z = 2 is right; the student says z = 4, so a = 4, L = (3-4)^2 = 1, dL/da = -2(3-4) = 2.
	g, r := neuronRun(t, map[string]Tensor{"z": Scalar(4)})
	for _, tc := range []struct {
		q    string
		want float64
	}{
		{"z", 4}, {"a", 4}, {"L", 1}, {"grad(L, a)", 2}, {"grad(L, w)", 2 * 1.5},
	} {
		if got := evalWith(t, g, r, tc.q, nil); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", tc.q, got, tc.want)
		}
	}
	if _, err := g.ForwardWith(map[string]Tensor{"w": Scalar(1), "x": Scalar(1), "b": Scalar(0), "y": Scalar(0)},
		map[string]Tensor{"w": Scalar(1)}); err == nil {
		t.Error("overriding an input: no error")
	}
	if _, err := g.ForwardWith(map[string]Tensor{"w": Scalar(1), "x": Scalar(1), "b": Scalar(0), "y": Scalar(0)},
		map[string]Tensor{"z": Vector(1, 2)}); err == nil {
		t.Error("override of the wrong shape: no error")
	}
}

func TestEvalWith(t *testing.T) {
	g, r := neuronRun(t, nil) // z = 2, a = 2, dL/da = -2
	for _, tc := range []struct {
		q     string
		grads map[string]Tensor
		want  float64
	}{
		{"grad(L, w)", nil, -2 * 1.5},
		{"grad(L, w)", map[string]Tensor{"a": Scalar(-1)}, -1 * 1.5},
		{"grad(L, b)", map[string]Tensor{"z": Scalar(5)}, 5},
		{"grad(L, a)", map[string]Tensor{"z": Scalar(5)}, -2},
		{"w - 0.1*grad(L, w)", map[string]Tensor{"w": Scalar(10)}, 1},
		{"grad(a, z)", map[string]Tensor{"z": Scalar(5)}, 1},
	} {
		if got := evalWith(t, g, r, tc.q, tc.grads); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s with %v = %v, want %v", tc.q, tc.grads, got, tc.want)
		}
	}
	// The run itself keeps its correct gradients.
	q, _ := g.ParseQuantity("grad(L, w)")
	if v, _ := q.Eval(r, Application{}); v.Item() != -3 {
		t.Errorf("grad(L, w) after EvalWith = %v, want -3", v.Item())
	}
}

// TestEvalWithLocals: a replaced local derivative is what its statement's backward rule multiplies
// the gradient from above by; everything else stays the correct engine.
func TestEvalWithLocals(t *testing.T) {
	g, r := neuronRun(t, nil) // z = 2, a = 2, dL/da = −2, da/dz = 1, dz/dw = x = 1.5
	for _, tc := range []struct {
		q      string
		grads  map[string]Tensor
		locals map[Edge]Tensor
		want   float64
	}{
		{"grad(L, z)", nil, map[Edge]Tensor{{"a", "z"}: Scalar(0.5)}, -2 * 0.5},
		{"grad(L, w)", nil, map[Edge]Tensor{{"a", "z"}: Scalar(0.5)}, -2 * 0.5 * 1.5},
		{"grad(L, b)", nil, map[Edge]Tensor{{"a", "z"}: Scalar(0)}, 0},
		{"grad(L, w)", nil, map[Edge]Tensor{{"z", "w"}: Scalar(10)}, -2 * 10},
		{"grad(L, x)", nil, map[Edge]Tensor{{"z", "w"}: Scalar(10)}, -2 * 2},
		{"grad(L, a)", nil, map[Edge]Tensor{{"L", "a"}: Scalar(7)}, 7},
		{"grad(L, w)", map[string]Tensor{"a": Scalar(4)}, map[Edge]Tensor{{"a", "z"}: Scalar(0.5)}, 4 * 0.5 * 1.5},
		{"grad(L, w)", map[string]Tensor{"z": Scalar(4)}, map[Edge]Tensor{{"a", "z"}: Scalar(0.5)}, 4 * 1.5},
		{"grad(a, z)", nil, map[Edge]Tensor{{"a", "z"}: Scalar(0.5)}, 1}, // only the pass from L is replaced
	} {
		qq, err := g.ParseQuantity(tc.q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := qq.EvalWith(r, "L", tc.grads, tc.locals)
		if err != nil {
			t.Errorf("%s with %v and %v: %v", tc.q, tc.grads, tc.locals, err)
		} else if math.Abs(got.Item()-tc.want) > 1e-12 {
			t.Errorf("%s with %v and %v = %v, want %v", tc.q, tc.grads, tc.locals, got.Item(), tc.want)
		}
	}
	q, _ := g.ParseQuantity("grad(L, w)")
	for _, locals := range []map[Edge]Tensor{
		{{"L", "z"}: Scalar(1)},    // L's statement does not read z
		{{"a", "z"}: Vector(1, 2)}, // the wrong shape
		{{"nope", "z"}: Scalar(1)}, // no such name
	} {
		if _, err := q.EvalWith(r, "L", nil, locals); err == nil {
			t.Errorf("EvalWith with %v: no error", locals)
		}
	}
}

// TestEvalWithLocalsElementwise: on vectors a local derivative multiplies element by element, and
// one of a scalar statement scales the gradient from above.
func TestEvalWithLocalsElementwise(t *testing.T) {
	g, err := Parse("a = sigmoid(z)\nL = sum(a * c)")
	if err != nil {
		t.Fatal(err)
	}
	r, err := g.Forward(map[string]Tensor{"z": Vector(0, 1), "c": Vector(2, -3)})
	if err != nil {
		t.Fatal(err)
	}
	q, _ := g.ParseQuantity("grad(L, z)")
	got, err := q.EvalWith(r, "L", nil, map[Edge]Tensor{{"a", "z"}: Vector(0.5, 2)})
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{2 * 0.5, -3 * 2}; !slices.Equal(got.Data, want) {
		t.Errorf("grad(L, z) = %v, want %v", got.Data, want)
	}
	got, err = q.EvalWith(r, "L", nil, map[Edge]Tensor{{"L", "a"}: Vector(1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	s0, s1 := 0.25, math.Exp(-1)/math.Pow(1+math.Exp(-1), 2)
	if want := []float64{s0, s1}; math.Abs(got.Data[0]-want[0]) > 1e-12 || math.Abs(got.Data[1]-want[1]) > 1e-12 {
		t.Errorf("grad(L, z) = %v, want %v", got.Data, want)
	}
}

func TestIsEdge(t *testing.T) {
	g, err := Parse("u = w*x\nv = u*u + sigmoid(u)\nt = v\nL = mean(v) + u")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		of, wrt string
		want    bool
	}{
		{"u", "w", true}, {"v", "u", true}, {"t", "v", true}, {"L", "v", true},
		{"L", "u", false}, // L reads u directly and through v
		{"L", "w", false}, {"u", "u", false}, {"w", "x", false}, {"nope", "u", false}, {"u", "nope", false},
	} {
		if got := g.IsEdge(tc.of, tc.wrt); got != tc.want {
			t.Errorf("IsEdge(%s, %s) = %v, want %v", tc.of, tc.wrt, got, tc.want)
		}
	}
}

func TestAffects(t *testing.T) {
	g, err := Parse("u = w*x\nv = u*u + sigmoid(u)\nL = mean(v)")
	if err != nil {
		t.Fatal(err)
	}
	rule := func(name string) *BugRule {
		r, ok := LookupBugRule(name)
		if !ok {
			t.Fatalf("no rule %s", name)
		}
		return r
	}
	for _, tc := range []struct {
		app  Application
		want bool
	}{
		{Application{}, false},
		{Application{Rule: rule("relu-gate-ignored")}, false},
		{Application{Rule: rule("sigmoid-derivative-as-sigmoid")}, true},
		{Application{Rule: rule("sigmoid-derivative-as-sigmoid"), At: "v"}, true},
		{Application{Rule: rule("sigmoid-derivative-as-sigmoid"), At: "u"}, false},
		{Application{Rule: rule("mean-factor-dropped"), At: "L"}, true},
		{Application{Rule: rule("fanout-not-summed")}, true},
		{Application{Rule: rule("fanout-not-summed"), At: "u"}, true},
		{Application{Rule: rule("fanout-not-summed"), At: "w"}, false},
		{Application{Rule: rule("chain-rule-add"), At: "u"}, true},
		{Application{Rule: rule("chain-rule-add"), At: "w"}, false},
	} {
		if got := tc.app.Affects(g); got != tc.want {
			t.Errorf("%s affects: got %v, want %v", tc.app, got, tc.want)
		}
	}
}

func TestReaders(t *testing.T) {
	g, err := Parse("u = w*x\nv = u*u + sigmoid(u)\nt = v\nL = mean(v) + u")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{"w": {"u"}, "u": {"v", "L"}, "v": {"t", "L"}, "L": nil, "nope": nil} {
		if got := g.Readers(name); !slices.Equal(got, want) {
			t.Errorf("Readers(%s) = %v, want %v", name, got, want)
		}
	}
}
