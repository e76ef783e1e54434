package autograd

// Term is one part of a statement's right-hand side as the program wrote it, for pictures and
// explanations of the graph. Exactly one of its forms is set: a name read (Name), a constant (Op
// and Name empty: Const), or an operation (Op) over Args.
type Term struct {
	// Op is the operator ("+", "-", "*", "/", "@", "^"), "neg" for a unary minus, or the function
	// called ("relu", "sum", …); "" for a name or a constant.
	Op    string
	Name  string  // the input or assigned name read; "" otherwise
	Const float64 // the constant's value when Op and Name are both ""
	Args  []Term  // the operands, in order; nil for a name or a constant
}

// Statement is one assignment of a graph: the name it assigns, its right-hand side and the names
// it reads directly (each once, in order of first use). Every name read is an edge of the graph's
// picture: input or earlier statement → this statement.
type Statement struct {
	Name  string
	Expr  Term
	Reads []string
}

// Statements returns the graph's assignments in program order. The result is a fresh copy that
// the caller may keep.
func (g *Graph) Statements() []Statement {
	out := make([]Statement, len(g.stmtRoot))
	for s, root := range g.stmtRoot {
		expr := g.nodes[root].args[0]
		st := Statement{Name: g.nodes[root].name, Expr: g.term(expr, s)}
		seen := map[string]bool{}
		for k := g.stmtFirst[s]; k <= root; k++ {
			for _, a := range g.nodes[k].args {
				if n := g.nodes[a]; n.stmt != s && !seen[n.name] {
					seen[n.name] = true
					st.Reads = append(st.Reads, n.name)
				}
			}
		}
		out[s] = st
	}
	return out
}

// term rebuilds the expression tree of node i, which statement s computes.
func (g *Graph) term(i, s int) Term {
	n := g.nodes[i]
	switch {
	case n.stmt != s: // a name read: an input or an earlier statement's node
		return Term{Name: n.name}
	case n.op == nil:
		return Term{Const: n.konst}
	}
	t := Term{Op: n.op.name, Args: make([]Term, len(n.args))}
	for k, a := range n.args {
		t.Args[k] = g.term(a, s)
	}
	return t
}

// EdgeGradients returns, for every edge (the statement assigning Of reads Wrt), the share of
// d of / d Wrt that flows back through that statement under the reference rules: the gradient
// arriving at Of, times Of's derivative with respect to Wrt. The shares of a name's readers add up
// to its gradient (Gradients); a share of zero where the arriving gradient is not zero is a gate
// that stopped the gradient, such as a ReLU with a negative input. Edges of statements that of
// does not depend on are absent. of must be a scalar node; the tensors are the caller's.
func (r *Run) EdgeGradients(of string) (map[Edge]Tensor, error) {
	if _, err := r.Gradients(of, Application{}); err != nil {
		return nil, err
	}
	from := r.g.names[of]
	grads, err := r.gradsFrom(from, Application{})
	if err != nil {
		return nil, err
	}
	scratch := make([]Tensor, len(r.g.nodes))
	out := map[Edge]Tensor{}
	for s := r.g.nodes[from].stmt; s >= 0; s-- {
		root := r.g.stmtRoot[s]
		if grads[root].Data == nil {
			continue
		}
		contribs, err := r.chain(s, grads[root], inForce{}, scratch)
		if err != nil {
			return nil, err
		}
		for _, c := range contribs {
			e := Edge{Of: r.g.nodes[root].name, Wrt: r.g.nodes[c.leaf].name}
			if cur, ok := out[e]; ok && SameShape(cur.Shape, c.g.Shape) {
				for k, v := range c.g.Data {
					cur.Data[k] += v
				}
				continue
			}
			out[e] = c.g.Clone()
		}
	}
	return out, nil
}
