package graphsvg

import (
	"html"
	"strconv"
	"strings"
)

// Colours of the picture: each state's border and fill, chosen for at least 4.5:1 contrast of
// text on the fill and 3:1 of the border on white.
var stateColours = map[State][2]string{ // border, fill
	Unmarked:   {"#57606a", "#ffffff"},
	Right:      {"#1a7f37", "#e9f7ee"},
	FirstWrong: {"#b3261e", "#fdecea"},
	Wrong:      {"#b3261e", "#fdecea"},
	Consistent: {"#8a5a00", "#fff4d6"},
	Unknown:    {"#6e7781", "#f6f8fa"},
}

const (
	inputFill    = "#eef3f8"
	textColour   = "#1b1f24"
	valueColour  = "#0b4f8a"
	gradColour   = "#8b1a1a"
	edgeColour   = "#57606a"
	blockColour  = "#8c959f"
	focusColour  = "#0969da"
	badgeRadius  = 9
	firstBadgeW  = 56 // the "✗ first" pill
	nodeRadius   = 6
	inputRadius  = 16
	strokeWidth  = 1.5
	strokeStrong = 3
)

// svgWriter writes one figure: the picture laid out left to right for wide screens and top to
// bottom for narrow ones.
type svgWriter struct {
	b          strings.Builder
	p          *Picture
	wide, tall *layout
	nodes      []nodeText
	edges      []edgeText

	lay      *layout // the layout being written: wide or tall
	vertical bool    // lay is the tall one
	id       string  // the escaped id prefix of the svg being written
}

func f(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func esc(s string) string { return html.EscapeString(s) }

func (w *svgWriter) printf(parts ...string) {
	for _, s := range parts {
		w.b.WriteString(s)
	}
}

// svg writes the svg element of one layout; class says which.
func (w *svgWriter) svg(lay *layout, vertical bool, class string) {
	w.lay, w.vertical, w.id = lay, vertical, esc(w.p.id())
	if vertical {
		w.id += "-tall"
	}
	id := w.id
	w.printf(`<svg xmlns="http://www.w3.org/2000/svg" class="graph-svg `, class, `" role="img" viewBox="0 0 `, f(w.lay.width), " ", f(w.lay.height),
		`" width="`, f(w.lay.width), `" height="`, f(w.lay.height), `" aria-labelledby="`, id, `-title `, id, `-desc" font-family="`, esc(fontFamily), `">`)
	w.printf(`<title id="`, id, `-title">`, esc(w.p.title()), `</title><desc id="`, id, `-desc">`, esc(w.description()), `</desc>`)
	w.printf(`<defs><marker id="`, id, `-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="`, edgeColour, `"/></marker>`,
		`<marker id="`, id, `-arrow-blocked" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="`, blockColour, `"/></marker></defs>`)
	w.printf(`<g class="graph-edges" fill="none">`)
	for i, r := range w.lay.routes {
		w.edge(r, w.edges[i])
	}
	w.printf(`</g><g class="graph-nodes">`)
	for i, b := range w.lay.boxes {
		w.node(b, w.nodes[i])
	}
	w.printf(`</g><g class="graph-labels" font-size="`, strconv.Itoa(edgeFontPx), `" text-anchor="middle" paint-order="stroke" stroke="#ffffff" stroke-width="4" stroke-linejoin="round">`)
	for i, r := range w.lay.routes {
		w.label(r, w.edges[i])
	}
	w.printf(`</g></svg>`)
}

// edge writes one edge as smooth curves through its points, leaving and entering horizontally.
func (w *svgWriter) edge(r route, t edgeText) {
	var d strings.Builder
	d.WriteString("M" + f(r.pts[0].X) + "," + f(r.pts[0].Y))
	for k := 1; k < len(r.pts); k++ {
		a, b := r.pts[k-1], r.pts[k]
		switch {
		case a.Y == b.Y || a.X == b.X: // straight: through a layer it passes, or level
			d.WriteString(" L" + f(b.X) + "," + f(b.Y))
		case w.vertical: // leave and enter vertically
			mid := (a.Y + b.Y) / 2
			d.WriteString(" C" + f(a.X) + "," + f(mid) + " " + f(b.X) + "," + f(mid) + " " + f(b.X) + "," + f(b.Y))
		default:
			mid := (a.X + b.X) / 2
			d.WriteString(" C" + f(mid) + "," + f(a.Y) + " " + f(mid) + "," + f(b.Y) + " " + f(b.X) + "," + f(b.Y))
		}
	}
	colour, class, marker, dash := edgeColour, "graph-edge", "-arrow", ""
	if t.blocked {
		colour, class, marker, dash = blockColour, "graph-edge blocked", "-arrow-blocked", ` stroke-dasharray="6 4"`
	}
	w.printf(`<path class="`, class, `" d="`, d.String(), `" stroke="`, colour, `" stroke-width="`, f(strokeWidth), `"`, dash,
		` marker-end="url(#`, w.id, marker, `)"/>`)
}

// node writes one node: its box, its text, and the badge of its state.
func (w *svgWriter) node(b box, t nodeText) {
	st := w.p.States[t.name]
	colours, rx, sw := stateColours[st], float64(nodeRadius), float64(strokeWidth)
	fill := colours[1]
	if t.input {
		rx = inputRadius
		if st == Unmarked {
			fill = inputFill
		}
	}
	if st == FirstWrong {
		sw = strokeStrong
	}
	kind := "step"
	if t.input {
		kind = "input"
	}
	w.printf(`<g class="graph-node `, kind, " ", st.class(), `" data-node="`, esc(t.name), `">`)
	if w.p.Focus == t.name {
		w.printf(`<rect class="graph-focus" x="`, f(b.X-b.W/2-5), `" y="`, f(b.Y-b.H/2-5), `" width="`, f(b.W+10), `" height="`, f(b.H+10),
			`" rx="`, f(rx+4), `" fill="none" stroke="`, focusColour, `" stroke-width="3"/>`)
	}
	dash := ""
	if st == Unknown || st == Wrong {
		dash = ` stroke-dasharray="5 3"`
	}
	w.printf(`<rect x="`, f(b.X-b.W/2), `" y="`, f(b.Y-b.H/2), `" width="`, f(b.W), `" height="`, f(b.H), `" rx="`, f(rx),
		`" fill="`, fill, `" stroke="`, colours[0], `" stroke-width="`, f(sw), `"`, dash, `/>`)
	w.nodeText(b, t)
	w.badge(b, st)
	w.printf(`</g>`)
}

func (w *svgWriter) nodeText(b box, t nodeText) {
	content := float64(len(t.title))*titleLineH + float64(len(t.lines()))*valueLineH
	y := b.Y - content/2 // centred: a node made taller for its edges keeps its text in the middle
	w.printf(`<text text-anchor="middle" fill="`, textColour, `">`)
	for _, l := range t.title {
		y += titleLineH
		w.printf(`<tspan x="`, f(b.X), `" y="`, f(y-5), `" font-size="`, strconv.Itoa(titleFontPx), `" font-weight="bold">`, esc(l), `</tspan>`)
	}
	for _, l := range t.values {
		y += valueLineH
		w.printf(`<tspan x="`, f(b.X), `" y="`, f(y-4), `" font-size="`, strconv.Itoa(valueFontPx), `" fill="`, valueColour, `">`, esc(l), `</tspan>`)
	}
	if t.grad != "" {
		y += valueLineH
		w.printf(`<tspan x="`, f(b.X), `" y="`, f(y-4), `" font-size="`, strconv.Itoa(valueFontPx), `" fill="`, gradColour, `">`, esc(t.grad), `</tspan>`)
	}
	w.printf(`</text>`)
}

// badge writes the state's mark at the node's top right corner.
func (w *svgWriter) badge(b box, st State) {
	if st == Unmarked {
		return
	}
	cx, cy, colour := b.X+b.W/2, b.Y-b.H/2, stateColours[st][0]
	if st == FirstWrong {
		w.printf(`<rect x="`, f(cx-firstBadgeW+8), `" y="`, f(cy-badgeRadius), `" width="`, f(firstBadgeW), `" height="`, f(2*badgeRadius),
			`" rx="`, f(badgeRadius), `" fill="`, colour, `"/><text x="`, f(cx-firstBadgeW/2+8), `" y="`, f(cy+4), `" font-size="12" font-weight="bold" text-anchor="middle" fill="#ffffff">✗ first</text>`)
		return
	}
	w.printf(`<circle cx="`, f(cx), `" cy="`, f(cy), `" r="`, strconv.Itoa(badgeRadius), `" fill="`, colour, `"/><text x="`, f(cx), `" y="`, f(cy+4),
		`" font-size="12" font-weight="bold" text-anchor="middle" fill="#ffffff">`, st.badge(), `</text>`)
}

// label writes an edge's gradient labels: the local derivative above the edge, what it sends back
// below it.
func (w *svgWriter) label(r route, t edgeText) {
	if t.local != "" {
		w.printf(`<text class="graph-local" x="`, f(r.label.X), `" y="`, f(r.label.Y-5), `" fill="`, textColour, `">`, esc(t.local), `</text>`)
	}
	if t.sent != "" {
		colour := gradColour
		if t.blocked {
			colour = "#57606a"
		}
		w.printf(`<text class="graph-sent" x="`, f(r.label.X), `" y="`, f(r.label.Y+edgeLineH), `" fill="`, colour, `" font-weight="bold">`, esc(t.sent), `</text>`)
	}
}
