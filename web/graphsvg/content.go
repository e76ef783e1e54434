package graphsvg

import (
	"strings"

	"gradjudge/autograd"
)

// Sizes of a node's and a label's text, in pixels.
const (
	padX        = 12 // inside a node, left and right
	padY        = 8  // inside a node, top and bottom
	titleLineH  = 19
	valueLineH  = 17
	edgeLineH   = 15
	minNodeW    = 44
	flowNodeW   = 96  // the text width every node keeps in the flow explorer
	minLabelW   = 120 // the column reserved for edge labels is at least this wide
	labelLines  = 2   // a label's lines: the local derivative above the edge, what it sends below
	labelHeight = labelLines*edgeLineH + 6
)

// nodeText is what one node says.
type nodeText struct {
	name   string
	input  bool
	reads  []string
	title  []string // "z = w·x + b", or the name and the operation on two lines
	values []string // the value, one line per matrix row
	grad   string   // "∂L/∂z = −1", or ""
}

// edgeText is what one edge's label says.
type edgeText struct {
	local, sent string
	blocked     bool
}

// contents works out every node's and edge's text for p.
func contents(p *Picture) ([]nodeText, []edgeText) {
	var nodes []nodeText
	for _, in := range p.Graph.Inputs() {
		n := p.nodeText(in, nil, DisplayName(in))
		n.input = true
		nodes = append(nodes, n)
	}
	stmts := p.Graph.Statements()
	for _, s := range stmts {
		nodes = append(nodes, p.nodeText(s.Name, s.Reads, DisplayName(s.Name)+" = "+exprString(s.Expr)))
	}
	var edges []edgeText
	for _, s := range stmts {
		for _, r := range s.Reads {
			edges = append(edges, p.edgeText(autograd.Edge{Of: s.Name, Wrt: r}))
		}
	}
	return nodes, edges
}

func (p *Picture) nodeText(name string, reads []string, title string) nodeText {
	n := nodeText{name: name, reads: reads, title: []string{title}}
	if len([]rune(title)) > maxInlineExpr {
		head, tail, _ := strings.Cut(title, " = ")
		n.title = []string{head + " =", tail}
	}
	if v, ok := p.Values[name]; ok && v.Data != nil {
		n.values = valueLines(v)
	}
	if g, ok := p.Grads[name]; ok && g.Data != nil {
		n.grad = partial(p.output(), name) + " = " + oneLine(g)
	}
	return n
}

func (p *Picture) edgeText(e autograd.Edge) edgeText {
	g, ok := p.Edges[e]
	if !ok {
		return edgeText{}
	}
	var t edgeText
	if g.Local.Data != nil {
		t.local = partial(e.Of, e.Wrt) + " = " + oneLine(g.Local)
	}
	if g.Sent.Data != nil {
		t.sent = "← " + oneLine(g.Sent)
	}
	if g.Blocked {
		t.sent, t.blocked = "⊘ blocked "+t.sent, true
	}
	return t
}

// size is the box a node needs for its text. With flow, every node keeps room for a value and
// a gradient line and a usual number's width, so that stepping through the passes moves nothing.
func (n nodeText) size(flow bool) (w, h float64) {
	w = minNodeW
	for _, l := range n.title {
		w = max(w, textWidth(l, titleFontPx, true))
	}
	for _, l := range n.lines() {
		w = max(w, textWidth(l, valueFontPx, false))
	}
	lines := len(n.lines())
	if flow {
		w = max(w, flowNodeW)
		lines = max(lines, max(len(n.values), 1)+1)
	}
	h = float64(len(n.title))*titleLineH + float64(lines)*valueLineH
	return w + 2*padX, h + 2*padY
}

// lines are the node's value and gradient lines, under its title.
func (n nodeText) lines() []string {
	out := n.values
	if n.grad != "" {
		out = append(out[:len(out):len(out)], n.grad)
	}
	return out
}

// width is the room an edge label needs.
func (t edgeText) width() float64 {
	return max(textWidth(t.local, edgeFontPx, false), textWidth(t.sent, edgeFontPx, true))
}
