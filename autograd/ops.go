package autograd

import "math"

// opDef is one operation of the language. Its forward code and its backward rule sit side by side.
//
// Element-wise ops give per-element functions: f computes the output, d the local derivatives of
// the output with respect to each argument. The engine broadcasts, multiplies by the gradient
// arriving from above and sums over broadcast dimensions. Other ops give whole-tensor forward and
// backward functions.
type opDef struct {
	name  string
	arity int
	usage string // how a program calls it, shown in arity errors: "relu(x)"; "" for an operator

	f    func(a, b float64) float64             // element-wise forward; b is 0 for unary ops
	f1   func(x float64) float64                // a unary op's element-wise forward, without the unused b
	d    func(a, b, y float64) (da, db float64) // element-wise local derivatives
	kink func(a, b float64) float64             // signed distance from a kink; nil for smooth ops

	shape    func(in [][]int) ([]int, string)          // non-element-wise: result shape or a shape complaint
	forward  func(in []Tensor, out Tensor)             // non-element-wise: fill out (already shaped)
	backward func(in []Tensor, out, g Tensor) []Tensor // non-element-wise: d out/d in_i · g, shaped like in_i
}

func (o *opDef) elementwise() bool { return o.f != nil }

// ops is the one registry of operations, filled once at start and read-only after: operators are
// looked up by symbol, functions by name. An op with a usage is a function a program may call, so
// a new op is added here and nowhere else (the parser, its error messages and the test of every
// backward rule against central differences all read this table).
var ops = map[string]*opDef{}

func init() {
	for _, o := range []*opDef{
		unary("neg", func(x float64) float64 { return -x }, func(x, y float64) float64 { return -1 }),
		binary("+", func(a, b float64) float64 { return a + b },
			func(a, b, y float64) (float64, float64) { return 1, 1 }),
		binary("-", func(a, b float64) float64 { return a - b },
			func(a, b, y float64) (float64, float64) { return 1, -1 }),
		binary("*", func(a, b float64) float64 { return a * b },
			func(a, b, y float64) (float64, float64) { return b, a }),
		binary("/", func(a, b float64) float64 { return a / b },
			func(a, b, y float64) (float64, float64) { return 1 / b, -a / (b * b) }),
		binary("^", pow,
			func(a, b, y float64) (float64, float64) { return b * pow(a, b-1), y * math.Log(a) }),
		function("max(a, b)", withKink(binary("max", math.Max, func(a, b, y float64) (float64, float64) { return tieSplit(a, b) }),
			func(a, b float64) float64 { return a - b })),
		function("min(a, b)", withKink(binary("min", math.Min, func(a, b, y float64) (float64, float64) { return tieSplit(b, a) }),
			func(a, b float64) float64 { return a - b })),
		function("relu(x)", withKink(unary("relu", relu,
			func(x, y float64) float64 { return step(x) }), func(a, _ float64) float64 { return a })),
		function("abs(x)", withKink(unary("abs", math.Abs, func(x, y float64) float64 { return sign(x) }),
			func(a, _ float64) float64 { return a })),
		function("sigmoid(x)", unary("sigmoid", sigmoid, func(x, y float64) float64 { return y * (1 - y) })),
		function("tanh(x)", unary("tanh", math.Tanh, func(x, y float64) float64 { return 1 - y*y })),
		function("exp(x)", unary("exp", math.Exp, func(x, y float64) float64 { return y })),
		function("log(x)", unary("log", math.Log, func(x, y float64) float64 { return 1 / x })),
		function("sqrt(x)", unary("sqrt", math.Sqrt, func(x, y float64) float64 { return 1 / (2 * y) })),
		function("sin(x)", unary("sin", math.Sin, func(x, y float64) float64 { return math.Cos(x) })),
		function("cos(x)", unary("cos", math.Cos, func(x, y float64) float64 { return -math.Sin(x) })),
		function("softplus(x)", unary("softplus", softplus, func(x, y float64) float64 { return softplusGrad(x) })),
		function("sum(x)", sumOp), function("mean(x)", meanOp), function("softmax(x)", softmaxOp),
		function("logsumexp(x)", logsumexpOp), function("transpose(X)", transposeOp),
		matmulOp, assignOp,
	} {
		ops[o.name] = o
	}
}

func unary(name string, f func(float64) float64, d func(x, y float64) float64) *opDef {
	return &opDef{name: name, arity: 1, f1: f,
		f: func(a, _ float64) float64 { return f(a) },
		d: func(a, _, y float64) (float64, float64) { return d(a, y), 0 }}
}

func binary(name string, f func(a, b float64) float64, d func(a, b, y float64) (float64, float64)) *opDef {
	return &opDef{name: name, arity: 2, f: f, d: d}
}

// function makes o callable by name in programs, written as usage shows.
func function(usage string, o *opDef) *opDef {
	o.usage = usage
	return o
}

// lookupFunction returns the op a program may call as name(...).
func lookupFunction(name string) (*opDef, bool) {
	o, ok := ops[name]
	return o, ok && o.usage != ""
}

func withKink(o *opDef, kink func(a, b float64) float64) *opDef {
	o.kink = kink
	return o
}

// tieSplit is d max(a,b) / da and / db: the larger argument takes the gradient, a tie splits it.
func tieSplit(a, b float64) (float64, float64) {
	switch {
	case a > b:
		return 1, 0
	case a < b:
		return 0, 1
	}
	return 0.5, 0.5
}

func relu(x float64) float64 {
	if x > 0 {
		return x
	}
	return 0
}

func step(x float64) float64 {
	if x > 0 {
		return 1
	}
	return 0
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// pow is math.Pow with the squares and unit powers of the lessons computed directly (and exactly).
func pow(a, b float64) float64 {
	switch b {
	case 1:
		return a
	case 2:
		return a * a
	}
	return math.Pow(a, b)
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// softplusThreshold follows PyTorch: above it softplus(x) is x to double precision.
const softplusThreshold = 20

func softplus(x float64) float64 {
	if x > softplusThreshold {
		return x
	}
	return math.Log1p(math.Exp(x))
}

func softplusGrad(x float64) float64 {
	if x > softplusThreshold {
		return 1
	}
	z := math.Exp(x)
	return z / (z + 1)
}

var assignOp = &opDef{name: "=", arity: 1,
	shape:   func(in [][]int) ([]int, string) { return cloneShape(in[0]), "" },
	forward: func(in []Tensor, out Tensor) { copy(out.Data, in[0].Data) },
	backward: func(in []Tensor, out, g Tensor) []Tensor {
		return []Tensor{g.Clone()}
	},
}

var transposeOp = &opDef{name: "transpose", arity: 1,
	shape: func(in [][]int) ([]int, string) {
		if len(in[0]) == 2 {
			return []int{in[0][1], in[0][0]}, ""
		}
		return cloneShape(in[0]), ""
	},
	forward:  func(in []Tensor, out Tensor) { copy(out.Data, transpose(in[0]).Data) },
	backward: func(in []Tensor, out, g Tensor) []Tensor { return []Tensor{transpose(g)} },
}

var sumOp = &opDef{name: "sum", arity: 1,
	shape: func(in [][]int) ([]int, string) { return nil, "" },
	forward: func(in []Tensor, out Tensor) {
		out.Data[0] = 0
		for _, v := range in[0].Data {
			out.Data[0] += v
		}
	},
	backward: func(in []Tensor, out, g Tensor) []Tensor { return []Tensor{Full(in[0].Shape, g.Data[0])} },
}

var meanOp = &opDef{name: "mean", arity: 1,
	shape: func(in [][]int) ([]int, string) { return nil, "" },
	forward: func(in []Tensor, out Tensor) {
		sumOp.forward(in, out)
		out.Data[0] /= float64(len(in[0].Data))
	},
	backward: func(in []Tensor, out, g Tensor) []Tensor {
		return []Tensor{Full(in[0].Shape, g.Data[0]/float64(len(in[0].Data)))}
	},
}
