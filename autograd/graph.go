package autograd

import (
	"fmt"
	"sort"
	"strings"
)

// node is one value of a compiled graph: an input, a constant, an operation inside an expression,
// or the named node a statement assigns (op "=").
type node struct {
	op        *opDef // nil for inputs and constants
	args      []int
	name      string  // input or assigned name; "" inside expressions
	stmt      int     // index of the statement that computes it; -1 for inputs
	konst     float64 // the value of a constant
	pos       Pos
	needsGrad bool // depends on an input, so gradients flow through it
}

// Graph is a compiled program: named nodes in assignment order over inputs. It is immutable and
// safe for concurrent use; evaluate it with Forward.
type Graph struct {
	src       string
	nodes     []node
	stmtRoot  []int // the named node of each statement
	stmtFirst []int // the first node of each statement; a statement's nodes are contiguous
	names     map[string]int
	inputs    []string
	output    string
	// dependents lists, for each input node, the operation nodes that depend on it, in order: what
	// must be recomputed when only that input changes.
	dependents [][]int
	kinkNodes  []int // the nodes of ops with kinks (relu, abs, max, min), in order
}

// Parse compiles a program of the graph language. Its error, when not nil, is an *Error whose kind
// is syntax, undefined, redefined, unknown_function or arity.
func Parse(src string) (*Graph, error) {
	stmts, perr := parseProgram(src)
	if perr != nil {
		return nil, perr
	}
	if len(stmts) == 0 {
		return nil, errorf(KindSyntax, Pos{1, 1}, "the program is empty; write at least one assignment such as `L = w*x`")
	}
	c := &compiler{g: &Graph{src: src, names: map[string]int{}}, assigned: map[string]stmt{}}
	if err := c.collectAssignments(stmts); err != nil {
		return nil, err
	}
	for i, s := range stmts {
		if err := c.statement(i, s); err != nil {
			return nil, err
		}
	}
	c.g.output = stmts[len(stmts)-1].name
	c.g.index()
	return c.g, nil
}

type compiler struct {
	g        *Graph
	assigned map[string]stmt
}

func (c *compiler) collectAssignments(stmts []stmt) *Error {
	for _, s := range stmts {
		if prev, ok := c.assigned[s.name]; ok {
			return errorf(KindRedefined, s.pos, "`%s` is already assigned on line %d; each name is assigned once, so give this value a new name",
				s.name, prev.pos.Line)
		}
		c.assigned[s.name] = s
	}
	return nil
}

func (c *compiler) statement(i int, s stmt) *Error {
	c.g.stmtFirst = append(c.g.stmtFirst, len(c.g.nodes))
	rhs, err := c.expr(i, s.rhs)
	if err != nil {
		return err
	}
	root := c.add(node{op: assignOp, args: []int{rhs}, name: s.name, stmt: i, pos: s.pos})
	c.g.nodes[root].needsGrad = true // every named node has a gradient, even one computed from constants
	c.g.names[s.name] = root
	c.g.stmtRoot = append(c.g.stmtRoot, root)
	return nil
}

func (c *compiler) add(n node) int {
	for _, a := range n.args {
		n.needsGrad = n.needsGrad || c.g.nodes[a].needsGrad
	}
	c.g.nodes = append(c.g.nodes, n)
	return len(c.g.nodes) - 1
}

func (c *compiler) expr(stmtIdx int, e *expr) (int, *Error) {
	switch e.op {
	case "":
		return c.add(node{stmt: stmtIdx, konst: e.num, pos: e.pos}), nil
	case "name":
		return c.name(e)
	}
	o, err := c.lookup(e)
	if err != nil {
		return 0, err
	}
	args := make([]int, len(e.args))
	for i, a := range e.args {
		if args[i], err = c.expr(stmtIdx, a); err != nil {
			return 0, err
		}
	}
	return c.add(node{op: o, args: args, stmt: stmtIdx, pos: e.pos}), nil
}

func (c *compiler) name(e *expr) (int, *Error) {
	if idx, ok := c.g.names[e.name]; ok {
		return idx, nil
	}
	if s, ok := c.assigned[e.name]; ok {
		return 0, errorf(KindUndefined, e.pos, "`%s` is used before it is assigned on line %d; move its assignment above this line",
			e.name, s.pos.Line)
	}
	idx := c.add(node{name: e.name, stmt: -1, pos: e.pos, needsGrad: true})
	c.g.names[e.name] = idx
	c.g.inputs = append(c.g.inputs, e.name)
	return idx, nil
}

// lookup resolves an operator or function call and checks its number of arguments.
func (c *compiler) lookup(e *expr) (*opDef, *Error) {
	if _, isFunc := lookupFunction(e.op); e.call && !isFunc {
		return nil, unknownFunction(e.op, e.pos)
	}
	o := ops[e.op]
	if len(e.args) != o.arity {
		return nil, errorf(KindArity, e.pos, "`%s` takes %s; got %d", e.op, plural(o.arity, "argument")+" as in "+o.usage, len(e.args))
	}
	return o, nil
}

func unknownFunction(name string, pos Pos) *Error {
	if s := suggest(name); s != "" {
		return errorf(KindUnknownFunction, pos, "`%s` is not a function; did you mean `%s`?", name, s)
	}
	return errorf(KindUnknownFunction, pos, "`%s` is not a function; the functions are %s", name, strings.Join(functionNames(), ", "))
}

// suggest returns the known function closest to name (same letters ignoring case, or at most two
// edits away), or "".
func suggest(name string) string {
	best, bestDist := "", 3
	for _, f := range functionNames() {
		if strings.EqualFold(f, name) {
			return f
		}
		if d := editDistance(strings.ToLower(name), f); d < bestDist {
			best, bestDist = f, d
		}
	}
	return best
}

func functionNames() []string {
	var names []string
	for f, o := range ops {
		if o.usage != "" {
			names = append(names, f)
		}
	}
	sort.Strings(names)
	return names
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Inputs returns the names used before any assignment, in order of first use.
func (g *Graph) Inputs() []string { return append([]string(nil), g.inputs...) }

// Names returns the assigned names in assignment order.
func (g *Graph) Names() []string {
	out := make([]string, len(g.stmtRoot))
	for i, r := range g.stmtRoot {
		out[i] = g.nodes[r].name
	}
	return out
}

// Output returns the default output: the last assigned name.
func (g *Graph) Output() string { return g.output }

// Source returns the program text the graph was compiled from.
func (g *Graph) Source() string { return g.src }

// Has reports whether name is an input or an assigned name of the graph.
func (g *Graph) Has(name string) bool {
	_, ok := g.names[name]
	return ok
}

// IsInput reports whether name is an input of the graph.
func (g *Graph) IsInput(name string) bool {
	i, ok := g.names[name]
	return ok && g.nodes[i].stmt < 0
}

// index records each input's dependent nodes and the kink nodes.
func (g *Graph) index() {
	g.dependents = make([][]int, len(g.nodes))
	dep := make([]bool, len(g.nodes))
	for _, name := range g.inputs {
		in := g.names[name]
		clear(dep)
		dep[in] = true
		var list []int
		for i := in + 1; i < len(g.nodes); i++ {
			for _, a := range g.nodes[i].args {
				dep[i] = dep[i] || dep[a]
			}
			if dep[i] {
				list = append(list, i)
			}
		}
		g.dependents[in] = list
	}
	for i, n := range g.nodes {
		if n.op != nil && n.op.kink != nil {
			g.kinkNodes = append(g.kinkNodes, i)
		}
	}
}
