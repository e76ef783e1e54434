package graphsvg

import (
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gradjudge/autograd"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// pictureModes are the three ways pages draw a graph: with the inputs' values, marked after a
// verdict, and as the flow explorer draws it.
func pictureModes(t testing.TB, c catalogCase) map[string]Picture {
	t.Helper()
	fl, err := FlowOf(c.run, "")
	if err != nil {
		t.Fatal(err)
	}
	g := c.run.Graph()
	return map[string]Picture{
		"inputs": {Graph: g, Values: c.inputs},
		"marked": {Graph: g, Values: c.inputs, States: sampleStates(g)},
		"flow":   {Graph: g, Values: fl.Values, Grads: fl.Grads, Edges: fl.Edges, Flow: true, Focus: g.Output()},
	}
}

func allCases(t testing.TB) []catalogCase {
	cases := catalogCases(t)
	for name, in := range lessonInputs {
		run := lessonRun(t, in)
		cases = append(cases, catalogCase{id: "lesson-" + name, run: run, inputs: in})
	}
	return cases
}

// TestLayoutKeepsThingsApart: on every catalog graph and the lesson's network, in every mode, no
// two nodes overlap, no two edge labels overlap, no label covers a node, and everything lies inside
// the drawing; every edge leaves its source's right side and enters its target's left side.
func TestLayoutKeepsThingsApart(t *testing.T) {
	for _, c := range allCases(t) {
		for mode, p := range pictureModes(t, c) {
			for _, vertical := range []bool{false, true} {
				t.Run(c.id+"/"+mode+"/"+map[bool]string{false: "wide", true: "tall"}[vertical], func(t *testing.T) {
					nodes, edges := contents(&p)
					lay := layoutFor(&p, nodes, edges, vertical)
					checkLayout(t, lay, nodes, edges, p.Flow, vertical)
				})
			}
		}
	}
}

type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) overlaps(o rect) bool { return r.x0 < o.x1 && o.x0 < r.x1 && r.y0 < o.y1 && o.y0 < r.y1 }

func checkLayout(t *testing.T, lay *layout, nodes []nodeText, edges []edgeText, flow, vertical bool) {
	t.Helper()
	var boxes, labels []rect
	for i, b := range lay.boxes {
		r := rect{b.X - b.W/2, b.Y - b.H/2, b.X + b.W/2, b.Y + b.H/2}
		if r.x0 < 0 || r.y0 < 0 || r.x1 > lay.width || r.y1 > lay.height {
			t.Errorf("node %s at %+v lies outside the %vx%v drawing", nodes[i].name, r, lay.width, lay.height)
		}
		for k, o := range boxes {
			if r.overlaps(o) {
				t.Errorf("nodes %s and %s overlap", nodes[i].name, nodes[k].name)
			}
		}
		boxes = append(boxes, r)
	}
	for i, rt := range lay.routes {
		src, dst := lay.boxes[rt.from], lay.boxes[rt.to]
		first, last := rt.pts[0], rt.pts[len(rt.pts)-1]
		if vertical { // check the transposed picture as if it were wide
			first, last, src, dst = point{first.Y, first.X}, point{last.Y, last.X}, box{src.Y, src.X, src.H, src.W}, box{dst.Y, dst.X, dst.H, dst.W}
		}
		if first.X != src.X+src.W/2 || last.X != dst.X-dst.W/2 || abs(first.Y-src.Y) > src.H/2 || abs(last.Y-dst.Y) > dst.H/2 {
			t.Errorf("edge %s→%s does not join its nodes' sides: %v … %v", nodes[rt.from].name, nodes[rt.to].name, first, last)
		}
		if !flow {
			continue
		}
		w := edges[i].width()
		r := rect{rt.label.X - w/2, rt.label.Y - labelHeight/2, rt.label.X + w/2, rt.label.Y + labelHeight/2}
		for k, o := range boxes {
			if r.overlaps(o) {
				t.Errorf("the label of %s→%s covers node %s", nodes[rt.from].name, nodes[rt.to].name, nodes[k].name)
			}
		}
		for _, o := range labels {
			if r.overlaps(o) {
				t.Errorf("the label of %s→%s overlaps another label", nodes[rt.from].name, nodes[rt.to].name)
			}
		}
		labels = append(labels, r)
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// svgDoc is the part of the figure's markup the structure checks read.
type svgDoc struct {
	XMLName xml.Name `xml:"figure"`
	Scroll  struct {
		TabIndex string `xml:"tabindex,attr"`
		SVG      []struct {
			Class      string `xml:"class,attr"`
			Role       string `xml:"role,attr"`
			LabelledBy string `xml:"aria-labelledby,attr"`
			Title      struct {
				ID   string `xml:"id,attr"`
				Text string `xml:",chardata"`
			} `xml:"title"`
			Desc struct {
				ID   string `xml:"id,attr"`
				Text string `xml:",chardata"`
			} `xml:"desc"`
			Groups []struct {
				Class string `xml:"class,attr"`
				Paths []struct {
					Class string `xml:"class,attr"`
				} `xml:"path"`
				Nodes []struct {
					Class string `xml:"class,attr"`
					Name  string `xml:"data-node,attr"`
				} `xml:"g"`
			} `xml:"g"`
		} `xml:"svg"`
	} `xml:"div"`
	Caption struct {
		Legend []string `xml:"ul>li"`
		Items  []string `xml:"details>ol>li"`
	} `xml:"figcaption"`
}

// TestFigureStructure: the markup is well-formed, accessible (role img, title and desc named by
// aria-labelledby, a focusable scroll region), has a node per input and statement with its state's
// class, a path per edge (dashed where blocked), a legend of the states used, and a list item per
// node that says its state.
func TestFigureStructure(t *testing.T) {
	run := lessonRun(t, lessonInputs["closed"])
	fl, err := FlowOf(run, "")
	if err != nil {
		t.Fatal(err)
	}
	p := Picture{Graph: run.Graph(), Values: fl.Values, Edges: fl.Edges, ID: "lesson",
		States: map[string]State{"h": Right, "r": FirstWrong, "yhat": Consistent}}
	html, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	var doc svgDoc
	if err := xml.Unmarshal([]byte(html), &doc); err != nil {
		t.Fatalf("the figure is not well-formed: %v\n%s", err, html)
	}
	if len(doc.Scroll.SVG) != 2 {
		t.Fatalf("%d pictures, want a wide and a tall one", len(doc.Scroll.SVG))
	}
	for i, want := range []string{"lesson", "lesson-tall"} {
		svg := doc.Scroll.SVG[i]
		if svg.Role != "img" || svg.LabelledBy != want+"-title "+want+"-desc" || svg.Title.ID != want+"-title" || svg.Desc.ID != want+"-desc" {
			t.Errorf("svg %s: role %q labelled by %q, title id %q, desc id %q", svg.Class, svg.Role, svg.LabelledBy, svg.Title.ID, svg.Desc.ID)
		}
	}
	svg := doc.Scroll.SVG[0]
	if doc.Scroll.TabIndex != "0" {
		t.Errorf("the scroll region's tabindex is %q, want 0 (keyboard users must reach it)", doc.Scroll.TabIndex)
	}
	if want := "The first wrong answer is at r."; !strings.Contains(svg.Desc.Text, want) {
		t.Errorf("desc %q does not say %q", svg.Desc.Text, want)
	}
	classes, blocked, edges := map[string]string{}, 0, 0
	for _, g := range svg.Groups {
		for _, n := range g.Nodes {
			classes[n.Name] = n.Class
		}
		for _, pth := range g.Paths {
			edges++
			if strings.Contains(pth.Class, "blocked") {
				blocked++
			}
		}
	}
	for name, want := range map[string]string{"x": "graph-node input plain", "h": "graph-node step right", "r": "graph-node step first-wrong",
		"yhat": "graph-node step consistent", "L": "graph-node step plain"} {
		if classes[name] != want {
			t.Errorf("node %s has class %q, want %q", name, classes[name], want)
		}
	}
	if len(classes) != 10 || edges != 9 || blocked != 2 {
		t.Errorf("%d nodes, %d edges (%d blocked); want 10, 9 (2: h→r and w₂→ŷ)", len(classes), edges, blocked)
	}
	legend := strings.Join(doc.Caption.Legend, "|")
	for _, want := range []string{"right", "first wrong answer", "consistent with your earlier answer", "blocked"} {
		if !strings.Contains(legend, want) {
			t.Errorf("legend %q lacks %q", legend, want)
		}
	}
	if len(doc.Caption.Items) != 10 {
		t.Fatalf("the list has %d items, want 10: %q", len(doc.Caption.Items), doc.Caption.Items)
	}
	if got, want := doc.Caption.Items[len(doc.Caption.Items)-3], "r = relu(h), computed from h; value 0; sends back to h: ∂r/∂h = 0, ⊘ blocked ← 0; first wrong answer."; got != want {
		t.Errorf("r's item is %q, want %q", got, want)
	}
}

// TestGolden compares whole figures with golden files (go test ./web/graphsvg -update rewrites
// them; look at the pictures before committing new ones).
func TestGolden(t *testing.T) {
	closed := lessonRun(t, lessonInputs["closed"])
	fl, err := FlowOf(closed, "")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]Picture{
		"lesson-flow": {Graph: closed.Graph(), Values: fl.Values, Grads: fl.Grads, Edges: fl.Edges, Flow: true, Focus: "r", ID: "lesson"},
	}
	for _, c := range catalogCases(t) {
		switch c.id {
		case "single-neuron-relu-backward", "code-linear-backward":
			cases[c.id] = Picture{Graph: c.run.Graph(), Values: c.inputs, ID: c.id}
		case "fan-out":
			cases[c.id+"-marked"] = Picture{Graph: c.run.Graph(), Values: c.inputs, States: sampleStates(c.run.Graph()), ID: c.id}
		}
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			html, err := Render(p)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".golden.html")
			if *update {
				if err := os.WriteFile(path, []byte(html+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(html)+"\n" != string(want) {
				t.Errorf("%s differs from %s; run with -update and look at it", name, path)
			}
		})
	}
}

func TestDisplayText(t *testing.T) {
	g, err := autograd.Parse("yhat = w1*x - (b - c)\nq = -yhat^2 / (2*x)\nr = (q + 1)^0.5\ns = max(r, 0)")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"w₁·x − (b − c)", "−ŷ²/(2·x)", "(q + 1)^0.5", "max(r, 0)"}
	for i, s := range g.Statements() {
		if got := exprString(s.Expr); got != want[i] {
			t.Errorf("statement %s: %q, want %q", s.Name, got, want[i])
		}
	}
	for name, want := range map[string]string{"w12": "w₁₂", "yhat": "ŷ", "hat": "hat", "x": "x", "naive_ms": "naive_ms", "7": "7"} {
		if got := DisplayName(name); got != want {
			t.Errorf("DisplayName(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestConstantStatement: a statement that reads no name (a constant) is a step, not an input, and
// a graph of constants alone draws.
func TestConstantStatement(t *testing.T) {
	g, err := autograd.Parse("c = 2*3\nL = c + 1")
	if err != nil {
		t.Fatal(err)
	}
	html, err := Render(Picture{Graph: g})
	if err != nil {
		t.Fatal(err)
	}
	if s := string(html); !strings.Contains(s, `class="graph-node step plain" data-node="c"`) || strings.Contains(s, "graph-node input") {
		t.Errorf("the constant statement c is not drawn as a step:\n%s", s)
	}
}

func TestRenderNeedsGraph(t *testing.T) {
	if _, err := Render(Picture{}); err == nil {
		t.Error("Render without a graph succeeded")
	}
}

// TestScrollHint: a flow picture that a phone cannot show whole says that it scrolls; one that
// fits, and a picture without edge labels (it shrinks to fit), say nothing.
func TestScrollHint(t *testing.T) {
	small, err := autograd.Parse("L = x * w")
	if err != nil {
		t.Fatal(err)
	}
	smallRun, err := small.Forward(map[string]autograd.Tensor{"x": autograd.Scalar(2), "w": autograd.Scalar(3)})
	if err != nil {
		t.Fatal(err)
	}
	lesson := lessonRun(t, lessonInputs["closed"])
	tests := []struct {
		name string
		run  *autograd.Run
		flow bool
		want bool
	}{
		{"the lesson's flow", lesson, true, true},
		{"the lesson without labels", lesson, false, false},
		{"a small flow", smallRun, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Picture{Graph: tt.run.Graph(), ID: "p"}
			if tt.flow {
				fl, err := FlowOf(tt.run, "")
				if err != nil {
					t.Fatal(err)
				}
				p.Values, p.Grads, p.Edges, p.Flow = fl.Values, fl.Grads, fl.Edges, true
			}
			html, err := Render(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(string(html), `class="graph-hint"`); got != tt.want {
				t.Errorf("says it scrolls: %v, want %v", got, tt.want)
			}
		})
	}
}
