package graphsvg

import (
	"flag"
	"html/template"
	"os"
	"path/filepath"
	"testing"

	"gradjudge/autograd"
	"gradjudge/exercises"
)

// preview names a directory to write every catalog picture to as an HTML page, for looking at
// them in a browser: go test ./web/graphsvg -run TestPreview -preview /tmp/graphs
var preview = flag.String("preview", "", "write preview pages of every catalog picture to this directory")

// lessonInputs are two sets of numbers for the lesson's network: one with the ReLU open, one with
// it closed (h < 0), so that the blocked gradient shows.
var lessonInputs = map[string]map[string]autograd.Tensor{
	"open":   {"x": autograd.Scalar(2), "w1": autograd.Scalar(0.5), "b1": autograd.Scalar(0.5), "w2": autograd.Scalar(-1.5), "b2": autograd.Scalar(1), "y": autograd.Scalar(1)},
	"closed": {"x": autograd.Scalar(2), "w1": autograd.Scalar(-0.5), "b1": autograd.Scalar(0.5), "w2": autograd.Scalar(-1.5), "b2": autograd.Scalar(1), "y": autograd.Scalar(2)},
}

func TestPreview(t *testing.T) {
	if *preview == "" {
		t.Skip("no -preview directory")
	}
	if err := os.MkdirAll(*preview, 0o755); err != nil {
		t.Fatal(err)
	}
	add := func(title string, p Picture) {
		html, err := Render(p)
		if err != nil {
			t.Fatal(err)
		}
		writePreview(t, filepath.Join(*preview, p.ID+".html"), "<h2>"+template.HTMLEscapeString(title)+"</h2>"+string(html))
	}
	for _, c := range catalogCases(t) {
		add(c.id+" (inputs)", Picture{Graph: c.run.Graph(), Values: c.inputs, ID: c.id + "-in"})
		add(c.id+" (marked)", Picture{Graph: c.run.Graph(), Values: c.inputs, States: sampleStates(c.run.Graph()), ID: c.id + "-mk"})
		fl, err := FlowOf(c.run, "")
		if err != nil {
			t.Fatal(err)
		}
		add(c.id+" (flow)", Picture{Graph: c.run.Graph(), Values: fl.Values, Grads: fl.Grads, Edges: fl.Edges, Flow: true, ID: c.id + "-fl"})
	}
	for name, in := range lessonInputs {
		run := lessonRun(t, in)
		fl, err := FlowOf(run, "")
		if err != nil {
			t.Fatal(err)
		}
		add("lesson ("+name+")", Picture{Graph: run.Graph(), Values: fl.Values, Grads: fl.Grads, Edges: fl.Edges, Flow: true, Focus: "r", ID: "lesson-" + name})
	}
}

// writePreview writes body as a page that links the pictures' stylesheet from web/static.
func writePreview(t *testing.T, path, body string) {
	css, err := filepath.Abs("../static/graph.css")
	if err != nil {
		t.Fatal(err)
	}
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>graph</title><link rel="stylesheet" href="file://` + css + `"></head><body>` +
		body + `</body></html>`
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
}

// catalogCase is one catalog exercise with a graph, at seed 1.
type catalogCase struct {
	id     string
	run    *autograd.Run
	inputs map[string]autograd.Tensor
}

func catalogCases(t testing.TB) []catalogCase {
	t.Helper()
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	var out []catalogCase
	for _, e := range cat.All() {
		if e.Graph == nil {
			continue
		}
		in, err := cat.Instance(e.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		inputs := map[string]autograd.Tensor{}
		for _, name := range e.Graph.Inputs() {
			inputs[name] = in.Inputs[name]
		}
		out = append(out, catalogCase{id: e.ID, run: in.Run, inputs: inputs})
	}
	return out
}

func lessonRun(t testing.TB, in map[string]autograd.Tensor) *autograd.Run {
	t.Helper()
	src, err := os.ReadFile("testdata/lesson.graph")
	if err != nil {
		t.Fatal(err)
	}
	g, err := autograd.Parse(string(src))
	if err != nil {
		t.Fatal(err)
	}
	run, err := g.Forward(in)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// sampleStates marks a graph's statements in turn right, first wrong, consistent, wrong and
// unknown, to show every state.
func sampleStates(g *autograd.Graph) map[string]State {
	order := []State{Right, FirstWrong, Consistent, Wrong, Unknown}
	out := map[string]State{}
	for i, name := range g.Names() {
		out[name] = order[i%len(order)]
	}
	return out
}
