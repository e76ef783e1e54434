package autograd

import (
	"errors"
	"fmt"
	"testing"
)

func TestParseAndEvaluate(t *testing.T) {
	cases := []struct {
		name    string
		program string
		inputs  map[string]Tensor
		want    float64 // the output's value
	}{
		{"power is right-associative", "L = 2^3^2", nil, 512},
		{"unary minus binds looser than power", "L = -x^2", scalars(map[string]float64{"x": 3}), -9},
		{"negative exponent", "L = x^-1", scalars(map[string]float64{"x": 4}), 0.25},
		{"semicolons and comments", "a = x*2; b = a + 1 # comment\n# whole-line comment\nL = b", scalars(map[string]float64{"x": 1}), 3},
		{"precedence", "L = 1 + 2*3 - 4/2", nil, 5},
		{"parentheses", "L = (1 + 2)*3", nil, 9},
		{"scientific numbers", "L = 1.5e2 + .5", nil, 150.5},
		{"vector dot", "L = u @ v", map[string]Tensor{"u": Vector(1, 2), "v": Vector(3, 4)}, 11},
		{"matrix-vector then sum", "L = sum(W @ v)", map[string]Tensor{"W": Matrix([][]float64{{1, 2}, {3, 4}}), "v": Vector(1, 1)}, 10},
		{"broadcast row over matrix", "L = sum(M + r)", map[string]Tensor{"M": Matrix([][]float64{{1, 2}, {3, 4}}), "r": Vector(10, 20)}, 70},
		{"logsumexp of matrix rows", "L = sum(logsumexp(M))", map[string]Tensor{"M": Matrix([][]float64{{0, 0}, {0, 0}})}, 2 * 0.6931471805599453},
		{"max tie", "L = max(x, x)", scalars(map[string]float64{"x": 2}), 2},
		{"transpose", "L = sum(transpose(M) @ v)", map[string]Tensor{"M": Matrix([][]float64{{1, 2}, {3, 4}}), "v": Vector(1, 0)}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Eval(tc.program, tc.inputs, "")
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Values[res.Output].Item(); !closeEnough(got, tc.want) {
				t.Errorf("%s = %v, want %v", res.Output, got, tc.want)
			}
		})
	}
}

func TestErrorsPointAtTheMistake(t *testing.T) {
	cases := []struct {
		name    string
		program string
		inputs  map[string]Tensor
		want    string // the whole Error() text
	}{
		{"misspelt function", "z = w*x\nL = 2 * reLU(z)", scalars(map[string]float64{"w": 1, "x": 1}),
			"line 2, col 9: `reLU` is not a function; did you mean `relu`?"},
		{"redefined", "a = x\na = 2*x", scalars(map[string]float64{"x": 1}),
			"line 2, col 1: `a` is already assigned on line 1; each name is assigned once, so give this value a new name"},
		{"used before assignment", "L = relu(z)\nz = w", scalars(map[string]float64{"w": 1}),
			"line 1, col 10: `z` is used before it is assigned on line 2; move its assignment above this line"},
		{"missing input", "L = w*q", scalars(map[string]float64{"w": 1}),
			"line 1, col 7: `q` is never assigned and no input value was given for it"},
		{"arity", "L = max(w)", scalars(map[string]float64{"w": 1}),
			"line 1, col 5: `max` takes 2 arguments as in max(a, b); got 1"},
		{"double star", "L = w**2", nil,
			"line 1, col 6: `**` is not an operator; write powers with `^`, as in `x^2`"},
		{"shape names both shapes", "L = sum(u + v)", map[string]Tensor{"u": Vector(1, 2), "v": Vector(1, 2, 3)},
			"line 1, col 11: cannot combine shapes (2) and (3) with `+`: sizes must match, or one of them be 1 (broadcasting)"},
		{"matmul inner sizes", "L = sum(W @ x)", map[string]Tensor{"W": Matrix([][]float64{{1, 2}}), "x": Vector(1, 2, 3)},
			"line 1, col 11: cannot multiply shapes (1, 2) @ (3): the inner sizes 2 and 3 differ"},
		{"unclosed paren", "L = (w*x", nil,
			"line 1, col 9: expected `)` to close the `(` at line 1, col 5; found the end of the program"},
		{"log of negative", "L = log(x)", scalars(map[string]float64{"x": -1}),
			"line 1, col 5: `log` gives NaN (log needs a positive argument)"},
		{"empty program", "# nothing\n", nil,
			"line 1, col 1: the program is empty; write at least one assignment such as `L = w*x`"},
		{"deep nesting", "L = " + repeat("(", 300) + "1" + repeat(")", 300), nil,
			"line 1, col 205: the expression is nested more than 200 levels deep"},
		{"invalid utf-8", "L = \xff", nil, "line 1, col 5: the program is not valid UTF-8 text"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Eval(tc.program, tc.inputs, "")
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if got := e.Error(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}

func TestQuantities(t *testing.T) {
	g, run := mustRun(t, neuronReLU, scalars(map[string]float64{"w": 0.5, "x": 2, "b": 0.1, "y": 1, "lr": 0.1}))
	cases := []struct {
		quantity string
		want     float64
	}{
		{"z", 1.1},
		{"grad(L, a)", 0.2},
		{"grad(a, z)", 1},   // the local derivative of the ReLU
		{"grad(L, w)", 0.4}, // x · ∂L/∂z
		{"grad(z, w)", 2},
		{"w - lr * grad(L, w)", 0.46},
		{"grad(L, L)", 1},
		{"grad(a, w)", 2}, // a depends on w through z
		{"grad(z, a)", 0}, // z does not depend on a
	}
	for _, tc := range cases {
		q, err := g.ParseQuantity(tc.quantity, "lr")
		if err != nil {
			t.Fatalf("%s: %v", tc.quantity, err)
		}
		got, err := q.Eval(run, Application{})
		if err != nil {
			t.Fatalf("%s: %v", tc.quantity, err)
		}
		if !closeEnough(got.Item(), tc.want) {
			t.Errorf("%s = %v, want %v", tc.quantity, got.Item(), tc.want)
		}
	}
}

func TestQuantityLocalDerivativeOfVector(t *testing.T) {
	g, run := mustRun(t, "a = relu(z)\nL = sum(a)", map[string]Tensor{"z": Vector(-1, 2, 3)})
	q, err := g.ParseQuantity("grad(a, z)")
	if err != nil {
		t.Fatal(err)
	}
	got, err := q.Eval(run, Application{})
	if err != nil {
		t.Fatal(err)
	}
	compareTensor(t, "grad(a, z)", got, Vector(0, 1, 1))

	g, run = mustRun(t, "s = softmax(z)\nL = sum(s)", map[string]Tensor{"z": Vector(1, 2)})
	q, _ = g.ParseQuantity("grad(s, z)")
	if _, err := q.Eval(run, Application{}); err == nil {
		t.Errorf("grad(s, z) of a softmax (not element-wise) should be refused")
	}
}

func TestQuantityErrors(t *testing.T) {
	g, _ := mustRun(t, neuronReLU, live)
	for _, src := range []string{"grad(L)", "grad(L, q)", "grad(L, 2*w)", "q + 1", "relux(z)", "z +"} {
		if _, err := g.ParseQuantity(src); err == nil {
			t.Errorf("ParseQuantity(%q) succeeded, want an error", src)
		}
	}
}

func TestSizeLimits(t *testing.T) {
	long := Full([]int{4096}, 0.5)
	cases := []struct {
		name    string
		program string
		inputs  map[string]Tensor
	}{
		// 4096 × 4096 = 16.7 M numbers in one outer product.
		{"outer product too large", "Y = transpose(X) @ X\nL = sum(Y)", map[string]Tensor{"X": {Shape: []int{1, 4096}, Data: long.Data}}},
		{"broadcast too large", "L = sum(c + r)", map[string]Tensor{"c": {Shape: []int{4096, 1}, Data: long.Data}, "r": long}},
		{"input too large", "L = sum(x)", map[string]Tensor{"x": Full([]int{MaxTensorElements + 1}, 1)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Eval(tc.program, tc.inputs, "")
			var e *Error
			if !errors.As(err, &e) || (e.Kind != KindShape && e.Kind != KindBadInput) {
				t.Fatalf("got %v, want a shape or bad_input error", err)
			}
		})
	}
	// Many moderate values add up: 5 statements of 1024 × 1024 exceed the run's total.
	prog := ""
	for i := 0; i < 5; i++ {
		prog += fmt.Sprintf("Y%d = transpose(X) @ X\n", i)
	}
	prog += "L = sum(Y0)"
	_, err := Eval(prog, map[string]Tensor{"X": Full([]int{1, 1024}, 1)}, "")
	if e, ok := err.(*Error); !ok || e.Kind != KindShape {
		t.Errorf("got %v, want a shape error for the run's total", err)
	}
}
