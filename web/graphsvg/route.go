package graphsvg

import (
	"math"
	"sort"
)

// finish turns the placed vertices into boxes, edge routes and label positions, shifted so that
// the drawing starts at the margin.
func (lg *layered) finish(nodes []nodeSpec, xs [][2]float64, labelW, labelH float64) *layout {
	lay := &layout{boxes: make([]box, len(nodes))}
	for i, v := range lg.verts[:len(nodes)] {
		col := xs[v.layer]
		lay.boxes[i] = box{X: (col[0] + col[1]) / 2, Y: v.y, W: v.w, H: v.h}
	}
	outPort, inPort := lg.ports()
	for e, chain := range lg.chains {
		src, dst := lay.boxes[chain[0]], lay.boxes[chain[len(chain)-1]]
		pts := []point{{src.X + src.W/2, src.Y + outPort[e]}}
		for _, d := range chain[1 : len(chain)-1] {
			v := lg.verts[d]
			pts = append(pts, point{xs[v.layer][0], v.y}, point{xs[v.layer][1], v.y})
		}
		pts = append(pts, point{dst.X - dst.W/2, dst.Y + inPort[e]})
		layer := lg.verts[chain[0]].layer
		gapMid := (xs[layer][1] + xs[layer+1][0]) / 2
		lay.routes = append(lay.routes, route{from: chain[0], to: chain[len(chain)-1], pts: pts,
			label: point{gapMid, (pts[0].Y + pts[1].Y) / 2}})
	}
	if labelW > 0 {
		lay.spreadLabels(labelH)
	}
	lay.normalize(xs, labelH)
	return lay
}

// ports returns, per edge, how far above or below its source's and its target's centre it
// leaves and arrives: the edges at one side of a node are spread in the order of their other
// ends, so that they neither cross there nor meet in one point.
func (lg *layered) ports() (out, in []float64) {
	out, in = make([]float64, len(lg.chains)), make([]float64, len(lg.chains))
	type end struct {
		edge int
		y    float64
	}
	outs, ins := map[int][]end{}, map[int][]end{}
	for e, c := range lg.chains {
		outs[c[0]] = append(outs[c[0]], end{e, lg.verts[c[1]].y})
		ins[c[len(c)-1]] = append(ins[c[len(c)-1]], end{e, lg.verts[c[len(c)-2]].y})
	}
	assign := func(ends map[int][]end, into []float64) {
		for v, list := range ends {
			sort.SliceStable(list, func(i, j int) bool { return list[i].y < list[j].y })
			step := float64(portSpacing)
			if len(list) > 1 {
				step = math.Min(portSpacing, (lg.verts[v].h-2*portMargin)/float64(len(list)-1))
			}
			for i, e := range list {
				into[e.edge] = (float64(i) - float64(len(list)-1)/2) * step
			}
		}
	}
	assign(outs, out)
	assign(ins, in)
	return out, in
}

// spreadLabels keeps the labels of one gap from overlapping, moving each as little as it can.
func (lay *layout) spreadLabels(labelH float64) {
	byGap := map[float64][]int{}
	for i, r := range lay.routes {
		byGap[r.label.X] = append(byGap[r.label.X], i)
	}
	for _, list := range byGap {
		sort.SliceStable(list, func(i, j int) bool { return lay.routes[list[i]].label.Y < lay.routes[list[j]].label.Y })
		want, seps := make([]float64, len(list)), make([]float64, len(list))
		for k, i := range list {
			want[k] = lay.routes[i].label.Y
			seps[k] = labelH + labelSpacing
		}
		for k, y := range spread(want, seps) {
			lay.routes[list[k]].label.Y = y
		}
	}
}

// normalize shifts everything down so that the topmost thing sits at the margin, and sets the
// drawing's size.
func (lay *layout) normalize(xs [][2]float64, labelH float64) {
	top, bottom := math.Inf(1), math.Inf(-1)
	for _, b := range lay.boxes {
		top, bottom = math.Min(top, b.Y-b.H/2), math.Max(bottom, b.Y+b.H/2)
	}
	for _, r := range lay.routes {
		for _, p := range r.pts {
			top, bottom = math.Min(top, p.Y), math.Max(bottom, p.Y)
		}
		if labelH > 0 {
			top, bottom = math.Min(top, r.label.Y-labelH/2), math.Max(bottom, r.label.Y+labelH/2)
		}
	}
	dy := margin - top
	for i := range lay.boxes {
		lay.boxes[i].Y += dy
	}
	for i := range lay.routes {
		for k := range lay.routes[i].pts {
			lay.routes[i].pts[k].Y += dy
		}
		lay.routes[i].label.Y += dy
	}
	lay.width = xs[len(xs)-1][1] + margin
	lay.height = bottom - top + 2*margin
}

// transpose turns a left-to-right layout into a top-to-bottom one.
func (lay *layout) transpose() {
	for i, b := range lay.boxes {
		lay.boxes[i] = box{X: b.Y, Y: b.X, W: b.H, H: b.W}
	}
	for i := range lay.routes {
		r := &lay.routes[i]
		for k, p := range r.pts {
			r.pts[k] = point{p.Y, p.X}
		}
		r.label = point{r.label.Y, r.label.X}
	}
	lay.width, lay.height = lay.height, lay.width
}
