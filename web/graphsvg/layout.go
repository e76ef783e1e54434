package graphsvg

import (
	"slices"
	"sort"
)

// Spacing of the layout, in pixels.
const (
	margin       = 12  // around the drawing
	layerGap     = 56  // between layers, without edge labels
	labelPad     = 18  // each side of an edge label's column
	rowGap       = 22  // between two nodes of a layer
	dummyGap     = 16  // between a passing edge and its neighbours
	portSpacing  = 12  // between the ends of edges at one side of a node
	portMargin   = 10  // between the outermost edge end and a node's corner
	orderSweeps  = 12  // barycentre sweeps when ordering layers
	placeSweeps  = 10  // sweeps when placing rows
	labelSpacing = 4.0 // between two edge labels in one column
	// orderWorkPairs bounds the work of ordering layers, in pairs of segments compared while
	// counting crossings: a few milliseconds. The catalog's graphs need a few thousand; a typed
	// graph with long edges over many layers would need billions, and gets the best order found
	// within the budget.
	orderWorkPairs = 1_000_000
)

// nodeSpec is one node to lay out: its name, the names it reads (none for an input) and its size.
type nodeSpec struct {
	name  string
	reads []string
	w, h  float64
}

// point is a position in the picture, in pixels from its top left corner.
type point struct{ X, Y float64 }

// box is a laid-out node: its centre and size.
type box struct{ X, Y, W, H float64 }

// route is the path of one edge: from its source's right side through the layers it passes to
// its target's left side, and where its label goes.
type route struct {
	from, to int // indices of nodeSpecs
	pts      []point
	label    point // the label's centre, in the first gap after the source
}

// layout is where everything goes.
type layout struct {
	boxes         []box
	routes        []route
	width, height float64
}

// vertex is a node of the layered graph: a real node or a dummy where a long edge passes a layer.
type vertex struct {
	real         int // index of the nodeSpec; -1 for a dummy
	layer        int
	w, h         float64
	y            float64
	preds, succs []int
}

// layered is the working state of one layout.
type layered struct {
	verts  []vertex
	layers [][]int
	chains [][]int // per edge: its vertices, source to target
	edges  [][2]int
	pos    []int // each vertex's index within its layer
	work   int   // pairs of segments compared so far, against orderWorkPairs
}

// layOut computes a layered layout of nodes (inputs first, then statements in program order, so
// that every name is read after it is defined). labelW and labelH reserve room for edge labels:
// a column labelW wide in every gap between layers, labels of one gap at least labelH apart, and
// rowExtra more space between the nodes of a layer so that the labels can stack; 0 for none.
func layOut(nodes []nodeSpec, labelW, labelH, rowExtra float64) *layout {
	lg := newLayered(nodes)
	lg.order()
	xs := lg.columns(labelW)
	lg.place(rowExtra)
	return lg.finish(nodes, xs, labelW, labelH)
}

func newLayered(nodes []nodeSpec) *layered {
	index := make(map[string]int, len(nodes))
	layer := make([]int, len(nodes))
	for i, n := range nodes {
		index[n.name] = i
		for _, r := range n.reads {
			layer[i] = max(layer[i], layer[index[r]]+1)
		}
	}
	lg := &layered{}
	for i, n := range nodes {
		lg.verts = append(lg.verts, vertex{real: i, w: n.w, h: n.h})
		for _, r := range n.reads {
			lg.edges = append(lg.edges, [2]int{index[r], i})
		}
	}
	// An input sits just before its first reader, not at the far left.
	for i, n := range nodes {
		if len(n.reads) > 0 {
			lg.verts[i].layer = layer[i]
			continue
		}
		first := -1
		for _, e := range lg.edges {
			if e[0] == i && (first < 0 || layer[e[1]] < first) {
				first = layer[e[1]]
			}
		}
		lg.verts[i].layer = max(first-1, 0)
	}
	lg.addChains()
	return lg
}

// addChains routes each edge through one dummy vertex per layer it passes, and fills the layers.
func (lg *layered) addChains() {
	for _, e := range lg.edges {
		chain := []int{e[0]}
		for l := lg.verts[e[0]].layer + 1; l < lg.verts[e[1]].layer; l++ {
			lg.verts = append(lg.verts, vertex{real: -1, layer: l})
			chain = append(chain, len(lg.verts)-1)
		}
		chain = append(chain, e[1])
		for k := 1; k < len(chain); k++ {
			lg.verts[chain[k-1]].succs = append(lg.verts[chain[k-1]].succs, chain[k])
			lg.verts[chain[k]].preds = append(lg.verts[chain[k]].preds, chain[k-1])
		}
		lg.chains = append(lg.chains, chain)
	}
	top := 0
	for _, v := range lg.verts {
		top = max(top, v.layer)
	}
	lg.layers = make([][]int, top+1)
	lg.pos = make([]int, len(lg.verts))
	inputs := make([][]int, top+1)
	for i, v := range lg.verts {
		if v.real >= 0 && len(v.preds) == 0 && v.layer > 0 {
			inputs[v.layer] = append(inputs[v.layer], i)
			continue
		}
		lg.layers[v.layer] = append(lg.layers[v.layer], i)
	}
	// An input that joins the graph late starts half above, half below the steps of its layer, so
	// that a chain runs straight between the inputs that feed its next step.
	for l, in := range inputs {
		half := len(in) / 2
		lg.layers[l] = append(append(slices.Clone(in[:half]), lg.layers[l]...), in[half:]...)
		lg.renumber(l)
	}
}

// order reduces edge crossings: barycentre sweeps down and up, each followed by swaps of
// neighbours that help, keeping the best order seen.
func (lg *layered) order() {
	best, bestCross := lg.snapshot(), lg.crossings()
	for it := 0; it < orderSweeps && bestCross > 0 && lg.work < orderWorkPairs; it++ {
		if it%2 == 0 {
			for l := 1; l < len(lg.layers); l++ {
				lg.sortLayer(l, func(v int) []int { return lg.verts[v].preds })
			}
		} else {
			for l := len(lg.layers) - 2; l >= 0; l-- {
				lg.sortLayer(l, func(v int) []int { return lg.verts[v].succs })
			}
		}
		lg.transpose()
		if c := lg.crossings(); c < bestCross {
			best, bestCross = lg.snapshot(), c
		}
	}
	lg.restore(best)
}

// sortLayer orders layer l by the mean position of each vertex's neighbours in the layer the
// sweep comes from; a vertex with no neighbour there keeps its place.
func (lg *layered) sortLayer(l int, nbrs func(int) []int) {
	layer := lg.layers[l]
	var movable []int
	key := make(map[int]float64, len(layer))
	for _, v := range layer {
		ns := nbrs(v)
		if len(ns) == 0 {
			continue
		}
		sum := 0.0
		for _, n := range ns {
			sum += float64(lg.pos[n])
		}
		key[v] = sum / float64(len(ns))
		movable = append(movable, v)
	}
	sort.SliceStable(movable, func(i, j int) bool { return key[movable[i]] < key[movable[j]] })
	k := 0
	for i, v := range layer {
		if len(nbrs(v)) > 0 {
			layer[i] = movable[k]
			k++
		}
	}
	lg.renumber(l)
}

func (lg *layered) renumber(l int) {
	for i, v := range lg.layers[l] {
		lg.pos[v] = i
	}
}

// transpose swaps neighbours in a layer while that lowers the crossings next to the layer.
func (lg *layered) transpose() {
	for pass, improved := 0, true; improved && pass < orderSweeps; pass++ {
		improved = false
		for l, layer := range lg.layers {
			for i := 0; i+1 < len(layer) && lg.work < orderWorkPairs; i++ {
				before := lg.gapCrossings(l-1) + lg.gapCrossings(l)
				layer[i], layer[i+1] = layer[i+1], layer[i]
				lg.renumber(l)
				if lg.gapCrossings(l-1)+lg.gapCrossings(l) < before {
					improved = true
					continue
				}
				layer[i], layer[i+1] = layer[i+1], layer[i]
				lg.renumber(l)
			}
		}
	}
}

// crossings counts pairs of segments that cross between neighbouring layers.
func (lg *layered) crossings() int {
	n := 0
	for l := range lg.layers {
		n += lg.gapCrossings(l)
	}
	return n
}

// gapCrossings counts the crossings between layer l and layer l+1; 0 outside the layers.
func (lg *layered) gapCrossings(l int) int {
	if l < 0 || l >= len(lg.layers) {
		return 0
	}
	var segs [][2]int
	for _, v := range lg.layers[l] {
		for _, s := range lg.verts[v].succs {
			segs = append(segs, [2]int{lg.pos[v], lg.pos[s]})
		}
	}
	lg.work += len(segs) * len(segs) / 2
	n := 0
	for i := range segs {
		for j := i + 1; j < len(segs); j++ {
			if (segs[i][0]-segs[j][0])*(segs[i][1]-segs[j][1]) < 0 {
				n++
			}
		}
	}
	return n
}

func (lg *layered) snapshot() [][]int {
	out := make([][]int, len(lg.layers))
	for i, l := range lg.layers {
		out[i] = slices.Clone(l)
	}
	return out
}

func (lg *layered) restore(layers [][]int) {
	lg.layers = layers
	for l := range layers {
		lg.renumber(l)
	}
}
