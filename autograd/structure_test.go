package autograd

import (
	"reflect"
	"testing"
)

func TestStatements(t *testing.T) {
	g, err := Parse("z = w*x + b\na = relu(z)\nq = -a^2 + 3\nc = a; d = z * z")
	if err != nil {
		t.Fatal(err)
	}
	name := func(n string) Term { return Term{Name: n} }
	want := []Statement{
		{Name: "z", Reads: []string{"w", "x", "b"},
			Expr: Term{Op: "+", Args: []Term{{Op: "*", Args: []Term{name("w"), name("x")}}, name("b")}}},
		{Name: "a", Reads: []string{"z"}, Expr: Term{Op: "relu", Args: []Term{name("z")}}},
		{Name: "q", Reads: []string{"a"},
			Expr: Term{Op: "+", Args: []Term{{Op: "neg", Args: []Term{{Op: "^", Args: []Term{name("a"), {Const: 2}}}}}, {Const: 3}}}},
		{Name: "c", Reads: []string{"a"}, Expr: name("a")},
		{Name: "d", Reads: []string{"z"}, Expr: Term{Op: "*", Args: []Term{name("z"), name("z")}}},
	}
	if got := g.Statements(); !reflect.DeepEqual(got, want) {
		t.Errorf("Statements() =\n%+v\nwant\n%+v", got, want)
	}
}

// TestEdgeGradients: the shares of a fanned-out name add up to its gradient, and a ReLU with a
// negative input sends back zero (hand-worked values).
func TestEdgeGradients(t *testing.T) {
	g, err := Parse("z = w*x + b\na = relu(z)\nu = a * z\nL = (y - u)^2")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name             string
		w                float64
		ua, az, uz, dLdz float64 // shares u→a, a→z, u→z and ∂L/∂z
	}{
		// z = 2.5, a = 2.5, u = 6.25, ∂L/∂u = 10.5
		{"open gate", 1, 26.25, 26.25, 26.25, 52.5},
		// z = -1.5, a = 0, u = 0, ∂L/∂u = -2: the ReLU stops the 3 arriving at a
		{"closed gate", -1, 3, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := g.Forward(map[string]Tensor{"w": Scalar(tc.w), "x": Scalar(2), "b": Scalar(0.5), "y": Scalar(1)})
			if err != nil {
				t.Fatal(err)
			}
			shares, err := r.EdgeGradients("L")
			if err != nil {
				t.Fatal(err)
			}
			grads, _ := r.Gradients("L", Application{})
			for _, c := range []struct {
				e    Edge
				want float64
			}{{Edge{"u", "a"}, tc.ua}, {Edge{"a", "z"}, tc.az}, {Edge{"u", "z"}, tc.uz}} {
				if got := shares[c.e].Item(); got != c.want {
					t.Errorf("share %s→%s = %v, want %v", c.e.Wrt, c.e.Of, got, c.want)
				}
			}
			if got := grads["z"].Item(); got != tc.dLdz {
				t.Errorf("∂L/∂z = %v, want %v", got, tc.dLdz)
			}
			if len(shares) != 8 {
				t.Errorf("%d edges, want 8: %v", len(shares), shares)
			}
		})
	}
}
