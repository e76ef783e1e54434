package graphsvg

import "gradjudge/autograd"

// State is what a verdict says about one node. The zero State shows no mark.
type State int

// The node states, in the order the legend lists them.
const (
	Unmarked   State = iota
	Right            // every answer about this node is right
	FirstWrong       // the first wrong answer, in the judge's forward-then-backward order
	Wrong            // wrong, after the first wrong one
	Consistent       // wrong, but right for the student's own earlier (wrong) value
	Unknown          // asked but not judged: not answered, or unreadable
)

// String names the state in words, as the legend and the text alternative say it.
func (s State) String() string {
	switch s {
	case Right:
		return "right"
	case FirstWrong:
		return "first wrong answer"
	case Wrong:
		return "wrong"
	case Consistent:
		return "consistent with your earlier answer"
	case Unknown:
		return "not judged"
	}
	return "not asked"
}

// badge is the mark drawn on a node in that state, so that a state never rests on colour alone.
func (s State) badge() string {
	switch s {
	case Right:
		return "✓"
	case FirstWrong, Wrong:
		return "✗"
	case Consistent:
		return "≈"
	case Unknown:
		return "?"
	}
	return ""
}

// class is the CSS class of a node in that state.
func (s State) class() string {
	switch s {
	case Right:
		return "right"
	case FirstWrong:
		return "first-wrong"
	case Wrong:
		return "wrong"
	case Consistent:
		return "consistent"
	case Unknown:
		return "unknown"
	}
	return "plain"
}

// EdgeGrad labels one edge in the backward pass. An empty tensor (nil Data) is not shown.
type EdgeGrad struct {
	Local autograd.Tensor // the edge's local derivative ∂Of/∂Wrt, when it is element-wise
	Sent  autograd.Tensor // the share of the output's gradient the edge sends back to Wrt
	// Blocked marks an edge that sends back zero although a gradient arrived: a ReLU with a
	// negative input, for example. It is drawn dashed and labelled "blocked".
	Blocked bool
}

// Picture is everything one drawing shows. Only Graph is required; every map may be nil.
type Picture struct {
	Graph  *autograd.Graph
	Values map[string]autograd.Tensor // node values shown under their names: inputs, and forward values the page may reveal
	Grads  map[string]autograd.Tensor // node gradients d Output/d name shown, where the page may reveal them
	Output string                     // the name gradients are of; "" means the graph's output
	Edges  map[autograd.Edge]EdgeGrad // gradient labels of edges
	States map[string]State           // verdict marks of nodes
	Focus  string                     // a node drawn highlighted as the current step (the explorer); "" for none
	// Flow reserves room for gradient labels on every edge even when Edges has none yet, so that
	// stepping through the backward pass does not move the nodes.
	Flow  bool
	ID    string // prefix of the element ids, unique within the page; "" means "graph"
	Title string // the accessible title; "" means "Computational graph"
}

func (p *Picture) output() string {
	if p.Output != "" {
		return p.Output
	}
	return p.Graph.Output()
}

func (p *Picture) id() string {
	if p.ID != "" {
		return p.ID
	}
	return "graph"
}

func (p *Picture) title() string {
	if p.Title != "" {
		return p.Title
	}
	return "Computational graph"
}
