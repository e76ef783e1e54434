package graphsvg

import "math"

// columns returns the left and right edge of each layer's column: as wide as its widest node, with
// a gap between columns wide enough for an edge label.
func (lg *layered) columns(labelW float64) [][2]float64 {
	gap := float64(layerGap)
	if labelW > 0 {
		gap = labelW + 2*labelPad
	}
	xs := make([][2]float64, len(lg.layers))
	left := float64(margin)
	for l, layer := range lg.layers {
		w := 0.0
		for _, v := range layer {
			w = max(w, lg.verts[v].w)
		}
		xs[l] = [2]float64{left, left + w}
		left += w + gap
	}
	return xs
}

// place sets every vertex's y: stacked in layer order, then moved toward the mean of its
// neighbours, sweep after sweep, never closer to the next vertex than their separation. extra is
// added between neighbours (room for edge labels).
func (lg *layered) place(extra float64) {
	for l := range lg.layers {
		y := 0.0
		for i, v := range lg.layers[l] {
			if i > 0 {
				y += lg.sep(lg.layers[l][i-1], v, extra)
			}
			lg.verts[v].y = y
		}
	}
	for it := 0; it < placeSweeps; it++ {
		for k := range lg.layers {
			l := k
			if it%2 == 1 {
				l = len(lg.layers) - 1 - k
			}
			lg.placeLayer(l, extra)
		}
	}
}

func (lg *layered) sep(a, b int, extra float64) float64 {
	va, vb := lg.verts[a], lg.verts[b]
	gap := float64(rowGap)
	if va.real < 0 || vb.real < 0 {
		gap = dummyGap
	}
	return (va.h+vb.h)/2 + gap + extra
}

func (lg *layered) placeLayer(l int, extra float64) {
	layer := lg.layers[l]
	want := make([]float64, len(layer))
	for i, v := range layer {
		vx := lg.verts[v]
		want[i] = vx.y
		if n := len(vx.preds) + len(vx.succs); n > 0 {
			sum := 0.0
			for _, u := range vx.preds {
				sum += lg.verts[u].y
			}
			for _, u := range vx.succs {
				sum += lg.verts[u].y
			}
			want[i] = sum / float64(n)
		}
	}
	seps := make([]float64, len(layer))
	for i := 1; i < len(layer); i++ {
		seps[i] = lg.sep(layer[i-1], layer[i], extra)
	}
	for i, y := range spread(want, seps) {
		lg.verts[layer[i]].y = y
	}
}

// spread returns positions as close to want as the separations allow, in the same order: the mean
// of pushing every position down past its predecessor and pushing it up below its successor.
// seps[i] is the least distance between positions i-1 and i.
func spread(want, seps []float64) []float64 {
	n := len(want)
	down, up, out := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		down[i] = want[i]
		if i > 0 {
			down[i] = math.Max(want[i], down[i-1]+seps[i])
		}
	}
	for i := n - 1; i >= 0; i-- {
		up[i] = want[i]
		if i < n-1 {
			up[i] = math.Min(want[i], up[i+1]-seps[i+1])
		}
	}
	for i := range n {
		out[i] = (down[i] + up[i]) / 2
	}
	return out
}
