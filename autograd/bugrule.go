package autograd

// edgeKind is how an engine-level bug rule combines the gradient from above with a statement's
// local derivative, instead of multiplying them.
type edgeKind int

const (
	edgeNone         edgeKind = iota
	edgeAdd                   // local derivatives along a path added, not multiplied
	edgeDropUpstream          // the local derivative alone, the gradient from above forgotten
	edgeDropLocal             // the gradient from above passed on, the local derivative forgotten
)

// fanoutKind is how gradients meeting at a node used more than once are combined.
type fanoutKind int

const (
	fanoutSummed    fanoutKind = iota // +=, the chain rule's sum over paths
	fanoutLastWins                    // =: each path's gradient overwrites the one before
	fanoutFirstWins                   // the first path's gradient kept, the later ones ignored
)

// BugRule is a named wrong backward rule: following it predicts the gradient a student holding a
// misconception would compute. Rules replace one op's backward rule (Op), or change how the engine
// chains or accumulates; they never copy the engine.
type BugRule struct {
	Name   string // stable id of the rule, e.g. "sigmoid-derivative-as-sigmoid"
	Tag    string // the misconception tag a match earns, from the misconception catalog
	Belief string // the wrong belief, in one sentence for authors
	Op     string // the op whose backward rule is replaced; "" for engine-level rules

	local    func(a, b, y float64) (float64, float64)           // replacement local derivatives (element-wise Op)
	backward func(in []Tensor, out, g Tensor) ([]Tensor, error) // replacement backward (other Op)
	edge     edgeKind                                           // engine-level: how a statement's edges chain
	fanout   fanoutKind                                         // engine-level: how gradients meet
}

// BugRules returns every built-in bug rule, in a stable order. The rules are shared and read-only:
// their identity keys the gradient cache of a Run, so callers must not modify them.
func BugRules() []*BugRule { return append([]*BugRule(nil), bugRules...) }

// LookupBugRule returns the built-in rule with the given name.
func LookupBugRule(name string) (*BugRule, bool) {
	for _, r := range bugRules {
		if r.Name == name {
			return r, true
		}
	}
	return nil, false
}

var bugRules = []*BugRule{
	{Name: "relu-gate-ignored", Tag: "relu-gate-ignored", Op: "relu",
		Belief: "relu′ is 1 everywhere, so ReLU passes the gradient even where z ≤ 0",
		local:  func(a, b, y float64) (float64, float64) { return 1, 0 }},
	{Name: "sigmoid-derivative-as-sigmoid", Tag: "sigmoid-derivative-wrong", Op: "sigmoid",
		Belief: "σ′(z) = σ(z)",
		local:  func(a, b, y float64) (float64, float64) { return y, 0 }},
	{Name: "sigmoid-derivative-of-preactivation", Tag: "sigmoid-derivative-wrong", Op: "sigmoid",
		Belief: "σ′(z) = z(1 − z), with the pre-activation in place of σ(z)",
		local:  func(a, b, y float64) (float64, float64) { return a * (1 - a), 0 }},
	{Name: "tanh-derivative-of-preactivation", Tag: "tanh-derivative-wrong", Op: "tanh",
		Belief: "tanh′(z) = 1 − z², with the pre-activation in place of tanh(z)",
		local:  func(a, b, y float64) (float64, float64) { return 1 - a*a, 0 }},
	{Name: "tanh-derivative-as-tanh", Tag: "tanh-derivative-wrong", Op: "tanh",
		Belief: "tanh′(z) = tanh(z)",
		local:  func(a, b, y float64) (float64, float64) { return y, 0 }},
	{Name: "square-factor-dropped", Tag: "square-factor-dropped", Op: "^",
		Belief: "d(u²)/du = u: the factor 2 is lost",
		local:  squareFactorDropped},
	{Name: "loss-sign-flipped", Tag: "loss-sign-flipped", Op: "-",
		Belief: "d(y − a)/da = +1, so d/da (y − a)² = +2(y − a)",
		local:  func(a, b, y float64) (float64, float64) { return 1, 1 }},
	{Name: "chain-rule-add", Tag: "chain-rule-add", edge: edgeAdd,
		Belief: "local derivatives along a path are added, not multiplied"},
	{Name: "upstream-gradient-dropped", Tag: "upstream-gradient-dropped", edge: edgeDropUpstream,
		Belief: "a node's gradient is its local derivative alone, without the gradient from above"},
	{Name: "local-factor-dropped", Tag: "local-factor-dropped", edge: edgeDropLocal,
		Belief: "the gradient from above is passed on without multiplying by the local derivative"},
	{Name: "mean-factor-dropped", Tag: "mean-factor-dropped", Op: "mean",
		Belief:   "d mean(x)/dx = 1: the 1/N is lost",
		backward: meanFactorDropped},
	{Name: "fanout-not-summed", Tag: "fanout-not-summed", fanout: fanoutLastWins,
		Belief: "a node used twice gets the gradient of one path only: each path's overwrites the one before (= instead of +=)"},
	{Name: "fanout-first-path-only", Tag: "fanout-not-summed", fanout: fanoutFirstWins,
		Belief: "a node used twice gets the gradient of one path only: the first path back to it, the later ones ignored"},
	{Name: "matmul-not-transposed", Tag: "matmul-not-transposed", Op: "@",
		Belief:   "for y = A@B, dA = g@B and dB = A@g (no transposes), or the product order swapped",
		backward: matmulNotTransposed},
	{Name: "bias-not-summed", Tag: "bias-not-summed", Op: "+",
		Belief:   "a broadcast bias gets the per-example gradients, not their sum over the batch",
		backward: biasNotSummed},
	{Name: "softmax-backward-identity", Tag: "softmax-ce-wrong", Op: "softmax",
		Belief:   "softmax passes the gradient through unchanged, so dL/dz = −t/p",
		backward: func(in []Tensor, out, g Tensor) ([]Tensor, error) { return []Tensor{g.Clone()}, nil }},
	{Name: "softmax-ce-gradient-as-p", Tag: "softmax-ce-wrong", Op: "softmax",
		Belief:   "the softmax + cross-entropy gradient is p: the −t is lost (softmax's diagonal term dropped)",
		backward: softmaxDiagonalDropped},
}

func squareFactorDropped(a, b, y float64) (float64, float64) {
	da, db := ops["^"].d(a, b, y)
	if b == 2 {
		da = a
	}
	return da, db
}

func meanFactorDropped(in []Tensor, out, g Tensor) ([]Tensor, error) {
	return []Tensor{Full(in[0].Shape, g.Data[0])}, nil
}

// softmaxDiagonalDropped keeps only the −p·Σp·g part of softmax's backward rule; after a
// cross-entropy (g = −t/p, Σt = 1) it yields p instead of p − t.
func softmaxDiagonalDropped(in []Tensor, out, g Tensor) ([]Tensor, error) {
	return []Tensor{softmaxBackward(out, g, false)}, nil
}

// biasNotSummed hands each operand of a broadcasting + the full per-example gradient.
func biasNotSummed(in []Tensor, out, g Tensor) ([]Tensor, error) {
	return []Tensor{g.Clone(), g.Clone()}, nil
}

// matmulNotTransposed computes dA = g@B and dB = A@g where the shapes allow it (square factors),
// and otherwise the transpose of the right answer (the product order swapped).
func matmulNotTransposed(in []Tensor, out, g Tensor) ([]Tensor, error) {
	a2, b2, g2 := liftMatmul(in[0], in[1], g)
	var da, db Tensor
	if g2.Shape[1] == b2.Shape[0] {
		da = matmul2(g2, b2)
	} else {
		da = matmul2(b2, transpose(g2))
	}
	if a2.Shape[1] == g2.Shape[0] {
		db = matmul2(a2, g2)
	} else {
		db = matmul2(transpose(g2), a2)
	}
	return []Tensor{fitVector(da, in[0]), fitVector(db, in[1])}, nil
}

// fitVector gives a gradient computed on lifted matrices the shape of a vector operand.
func fitVector(t, like Tensor) Tensor {
	if len(like.Shape) == 1 {
		return Tensor{Shape: []int{len(t.Data)}, Data: t.Data}
	}
	return t
}
