package graphsvg

import (
	"testing"

	"gradjudge/autograd"
)

func TestStep(t *testing.T) {
	open, err := FlowOf(lessonRun(t, lessonInputs["open"]), "")
	if err != nil {
		t.Fatal(err)
	}
	closed, err := FlowOf(lessonRun(t, lessonInputs["closed"]), "")
	if err != nil {
		t.Fatal(err)
	}
	g, err := autograd.Parse("u = w*x\np = 3*u\nq = u^2\nL = p + q")
	if err != nil {
		t.Fatal(err)
	}
	run, err := g.Forward(map[string]autograd.Tensor{"w": autograd.Scalar(1), "x": autograd.Scalar(2)})
	if err != nil {
		t.Fatal(err)
	}
	fan, err := FlowOf(run, "")
	if err != nil {
		t.Fatal(err)
	}
	vg, err := autograd.Parse("a = relu(z)\nL = sum(a*g)")
	if err != nil {
		t.Fatal(err)
	}
	vrun, err := vg.Forward(map[string]autograd.Tensor{"z": autograd.Vector(-1, 2), "g": autograd.Vector(0.5, 3)})
	if err != nil {
		t.Fatal(err)
	}
	vec, err := FlowOf(vrun, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		fl   Flow
		e    autograd.Edge
		want string
	}{
		// hand-worked: ŷ = w₂·r + b₂ = −1.5·1.5 + 1 = −1.25; ∂L/∂ŷ = −2(y − ŷ) = −4.5
		{"second layer weight", open, autograd.Edge{Of: "yhat", Wrt: "w2"}, "∂L/∂w₂ = ∂L/∂ŷ · ∂ŷ/∂w₂ = −4.5 · 1.5 = −6.75"},
		{"the ReLU blocks", closed, autograd.Edge{Of: "r", Wrt: "h"}, "∂L/∂h = ∂L/∂r · ∂r/∂h = 3 · 0 = 0"},
		{"from the output", open, autograd.Edge{Of: "L", Wrt: "yhat"}, "∂L/∂ŷ = −4.5"},
		{"element-wise on vectors", vec, autograd.Edge{Of: "a", Wrt: "z"}, "∂L/∂z = ∂L/∂a ⊙ ∂a/∂z = [0.5, 3] ⊙ [0, 1] = [0, 3]"},
		{"one share of a fan-out", fan, autograd.Edge{Of: "q", Wrt: "u"}, "∂L/∂u (through q) = ∂L/∂q · ∂q/∂u = 1 · 4 = 4"},
	} {
		if got, ok := tc.fl.Step(tc.e, "L"); !ok || got != tc.want {
			t.Errorf("%s: Step = %q, %v; want %q", tc.name, got, ok, tc.want)
		}
	}
	if _, ok := open.Step(autograd.Edge{Of: "L", Wrt: "w1"}, "L"); ok {
		t.Error("Step of an edge the graph lacks")
	}
	if got, ok := fan.Sum("u", "L"); !ok || got != "∂L/∂u = 3 + 4 = 7" {
		t.Errorf("Sum(u) = %q, %v; want ∂L/∂u = 3 + 4 = 7", got, ok)
	}
	if _, ok := fan.Sum("w", "L"); ok {
		t.Error("Sum of a name with one reader")
	}
}
