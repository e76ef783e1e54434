// Package graphsvg draws a computational graph of the graph language as an SVG picture on the
// server, for the exercise pages and the backprop flow explorer.
//
// A picture has one node per input and one per statement (its name and its operation, as the
// program wrote it), an arrow for every name a statement reads, and, where the caller gives them,
// each node's value after the forward pass and its gradient, each edge's local derivative and the
// gradient it sends back (an edge whose gate stopped the gradient, such as a ReLU with a negative
// input, is drawn dashed and labelled "blocked"), and each node's state after a verdict (right,
// first wrong, wrong, consistent with the student's earlier answer, unknown). States are shown by
// a badge and a line style as well as by colour, and a legend names the ones in the picture.
//
// The drawing is accessible: the svg element has role="img" with a title and a description, and
// a list of the nodes and their states follows it as text.
//
// Layout is a layered (Sugiyama-style) layout of our own, left to right from the inputs to the
// output: layers by longest path with each input placed just before its first reader, long edges
// routed through dummy points, crossings reduced by barycentre sweeps, and rows placed at the
// barycentre of their neighbours. The same layout turned a quarter gives a top-to-bottom picture
// for narrow screens; the figure holds both and graph.css shows one. A Renderer keeps the layouts it made, keyed by everything that
// shapes them (the program and every label's text), so a variant's picture is laid out once and
// only its marks change after that.
//
// Pages use it like this (a Renderer lives as long as the handler, one per process):
//
//	pics := graphsvg.NewRenderer(0)
//	p, err := graphsvg.FromVariant(variant)      // the graph with the inputs' values
//	p.States = graphsvg.States(exercise, verdict) // after a verdict: right, first wrong, …
//	html, err := pics.Render(p)                   // template.HTML: figure, legend, list
//
// and the explorer like this, with values and gradients from the reference autograd:
//
//	fl, err := graphsvg.FlowOf(run, "")           // every value, gradient and edge share
//	p := graphsvg.Picture{Graph: run.Graph(), Flow: true, Focus: "r",
//		Values: fl.Values, Grads: fl.Grads, Edges: fl.Edges} // or only the steps taken so far
//	text, _ := fl.Step(autograd.Edge{Of: "yhat", Wrt: "w2"}, "L") // ∂L/∂w₂ = ∂L/∂ŷ · ∂ŷ/∂w₂ = …
//
// Link /static/graph.css on the page: it hides the picture that does not fit the screen.
//
// The package imports autograd and exercises (for the one number format students see) and no
// HTTP.
package graphsvg
