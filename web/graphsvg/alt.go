package graphsvg

import (
	"strconv"
	"strings"
)

// description is the svg's desc: the shape of the graph and where the first wrong answer is.
func (w *svgWriter) description() string {
	var inputs []string
	for _, n := range w.nodes {
		if n.input {
			inputs = append(inputs, DisplayName(n.name))
		}
	}
	steps := len(w.nodes) - len(inputs)
	from := "From the inputs " + andList(inputs) + ", "
	if len(inputs) == 1 {
		from = "From the input " + inputs[0] + ", "
	}
	if len(inputs) == 0 {
		from = "From constants alone, "
	}
	s := from + strconv.Itoa(steps) + " " + plural(steps, "step computes", "steps compute") +
		" the output " + DisplayName(w.p.Graph.Output()) + "."
	for _, n := range w.nodes {
		if w.p.States[n.name] == FirstWrong {
			s += " The first wrong answer is at " + DisplayName(n.name) + "."
		}
	}
	return s + " The list after the picture describes every node."
}

// figure writes the whole figure: the picture in a scrollable region, a legend of the states it
// shows and the graph as a list.
func (w *svgWriter) figure() string {
	id := esc(w.p.id())
	class := "graph"
	if w.p.Flow || len(w.p.Edges) > 0 {
		class += " graph-flow" // labelled edges: too wide to shrink to a phone, so it scrolls
	}
	w.printf(`<figure class="`, class, `" id="`, id, `">`)
	if class != "graph" && w.tall.width > phoneContentPx {
		w.printf(`<p class="graph-hint">The picture is wider than the screen: swipe it sideways, or focus it and use the arrow keys.</p>`)
	}
	w.printf(`<div class="graph-scroll" tabindex="0" role="group" aria-label="`, esc(w.p.title()), `, scrollable">`)
	w.svg(w.wide, false, "graph-wide")
	w.svg(w.tall, true, "graph-tall")
	w.printf(`</div><figcaption>`)
	w.legend()
	w.printf(`<details class="graph-text"><summary>The graph as a list</summary><ol>`)
	flows := w.flowTexts()
	for _, n := range w.nodes {
		w.printf(`<li>`, esc(w.itemText(n, flows[n.name])), `</li>`)
	}
	w.printf(`</ol></details></figcaption></figure>`)
	return w.b.String()
}

// legend names the states and the edge styles the picture uses.
func (w *svgWriter) legend() {
	used := map[State]bool{}
	for _, n := range w.nodes {
		used[w.p.States[n.name]] = true
	}
	var items []string
	for st := Right; st <= Unknown; st++ {
		if used[st] {
			items = append(items, `<li class="`+st.class()+`"><span class="graph-mark" aria-hidden="true">`+badgeText(st)+`</span> `+esc(st.String())+`</li>`)
		}
	}
	for _, e := range w.edges {
		if e.blocked {
			items = append(items, `<li class="blocked"><span class="graph-mark" aria-hidden="true">⊘</span> the gradient is blocked on a dashed edge</li>`)
			break
		}
	}
	if len(items) > 0 {
		w.printf(`<ul class="graph-legend">`, strings.Join(items, ""), `</ul>`)
	}
}

func badgeText(st State) string {
	if st == FirstWrong {
		return "✗ first"
	}
	return st.badge()
}

// flowTexts says, per statement, what its edges' labels say: "to w₁: ∂h/∂w₁ = 2, ← 13.5".
func (w *svgWriter) flowTexts() map[string]string {
	out := map[string]string{}
	k := 0
	for _, n := range w.nodes {
		var parts []string
		for _, r := range n.reads {
			e := w.edges[k]
			k++
			if e.local == "" && e.sent == "" {
				continue
			}
			var label []string
			for _, s := range []string{e.local, e.sent} {
				if s != "" {
					label = append(label, s)
				}
			}
			parts = append(parts, "to "+DisplayName(r)+": "+strings.Join(label, ", "))
		}
		if len(parts) > 0 {
			out[n.name] = "sends back " + strings.Join(parts, "; ")
		}
	}
	return out
}

// itemText describes one node in words: what it computes, from what, its value and gradient,
// what it sends back along its edges, and its state.
func (w *svgWriter) itemText(n nodeText, flow string) string {
	var parts []string
	if n.input {
		parts = append(parts, "Input "+DisplayName(n.name))
	} else {
		reads := make([]string, len(n.reads))
		for i, r := range n.reads {
			reads[i] = DisplayName(r)
		}
		parts = append(parts, strings.Join(n.title, " ")+", computed from "+andList(reads))
	}
	if len(n.values) > 0 {
		parts = append(parts, "value "+strings.Join(n.values, " "))
	}
	if n.grad != "" {
		parts = append(parts, n.grad)
	}
	if flow != "" {
		parts = append(parts, flow)
	}
	if st := w.p.States[n.name]; st != Unmarked {
		parts = append(parts, st.String())
	}
	if w.p.Focus == n.name {
		parts = append(parts, "the current step")
	}
	return strings.Join(parts, "; ") + "."
}

func andList(items []string) string {
	switch len(items) {
	case 0:
		return "none"
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
