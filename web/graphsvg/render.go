package graphsvg

import (
	"errors"
	"hash/fnv"
	"html/template"
	"sync"
)

// DefaultCacheSize is how many layouts a Renderer made with NewRenderer(0) keeps: a course's
// variants times the pictures a page shows of each, with room to spare. A layout takes a few
// kilobytes.
const DefaultCacheSize = 4096

// Renderer draws pictures and keeps the layouts it made, so that a variant's picture is laid out
// once. A layout's key is a hash of everything that shapes it: the program and the text of every
// node and edge label; marks and the focus do not move anything and are drawn fresh each time.
// It is safe for concurrent use; the zero Renderer is not: use NewRenderer.
type Renderer struct {
	mu      sync.Mutex
	max     int
	layouts map[uint64]*layouts
	order   []uint64 // keys in insertion order; the oldest is dropped first
}

// NewRenderer returns a Renderer that keeps up to maxCached layouts (DefaultCacheSize when 0; a
// negative number keeps none).
func NewRenderer(maxCached int) *Renderer {
	if maxCached == 0 {
		maxCached = DefaultCacheSize
	}
	return &Renderer{max: maxCached, layouts: map[uint64]*layouts{}}
}

// Render draws p as an HTML figure: the svg picture, its legend and the graph as a list. Its error
// is for a Picture without a Graph.
func (r *Renderer) Render(p Picture) (template.HTML, error) {
	if p.Graph == nil {
		return "", errors.New("graphsvg: a picture needs a graph")
	}
	nodes, edges := contents(&p)
	key := layoutKey(&p, nodes, edges)
	lays := r.cached(key)
	if lays == nil {
		lays = &layouts{wide: layoutFor(&p, nodes, edges, false), tall: layoutFor(&p, nodes, edges, true)}
		r.keep(key, lays)
	}
	w := &svgWriter{p: &p, wide: lays.wide, tall: lays.tall, nodes: nodes, edges: edges}
	return template.HTML(w.figure()), nil
}

// Render draws p without keeping its layout; see Renderer.Render.
func Render(p Picture) (template.HTML, error) {
	return (&Renderer{max: -1}).Render(p)
}

// layouts are the two layouts of one picture.
type layouts struct{ wide, tall *layout }

// layoutFor lays the picture out left to right, or top to bottom when vertical: then the layered
// layout runs on the nodes' sizes turned a quarter and its result is turned back.
func layoutFor(p *Picture, nodes []nodeText, edges []edgeText, vertical bool) *layout {
	specs := make([]nodeSpec, len(nodes))
	flow := p.Flow || len(p.Edges) > 0
	readers := map[string]int{}
	for _, n := range nodes {
		for _, r := range n.reads {
			readers[r]++
		}
	}
	for i, n := range nodes {
		w, h := n.size(flow)
		ends := max(len(n.reads), readers[n.name]) // the edges at its busier side
		if vertical {
			w = max(w, float64(ends-1)*portSpacing+2*portMargin)
			w, h = h, w
		} else {
			h = max(h, float64(ends-1)*portSpacing+2*portMargin)
		}
		specs[i] = nodeSpec{name: n.name, reads: n.reads, w: w, h: h}
	}
	labelW, labelH := 0.0, 0.0
	if flow {
		labelW, labelH = minLabelW, labelHeight
		for _, e := range edges {
			labelW = max(labelW, e.width())
		}
	}
	if !vertical {
		return layOut(specs, labelW, labelH, labelH)
	}
	lay := layOut(specs, labelH, labelW, labelH) // labels lie across a tall picture's edges
	lay.transpose()
	return lay
}

// layoutKey hashes what shapes the layout.
func layoutKey(p *Picture, nodes []nodeText, edges []edgeText) uint64 {
	h := fnv.New64a()
	write := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	write(p.Graph.Source())
	for _, n := range nodes {
		for _, l := range n.title {
			write(l)
		}
		for _, l := range n.lines() {
			write(l)
		}
		write("|")
	}
	if p.Flow || len(p.Edges) > 0 {
		write("flow")
		for _, e := range edges {
			write(e.local)
			write(e.sent)
		}
	}
	return h.Sum64()
}

func (r *Renderer) cached(key uint64) *layouts {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.layouts[key]
}

func (r *Renderer) keep(key uint64, lay *layouts) {
	if r.max < 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.layouts[key]; ok {
		return
	}
	if len(r.order) >= r.max {
		delete(r.layouts, r.order[0])
		r.order = r.order[1:]
	}
	r.layouts[key] = lay
	r.order = append(r.order, key)
}
