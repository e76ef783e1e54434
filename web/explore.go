package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gradjudge"
	"gradjudge/autograd"
	"gradjudge/internal/app"
	"gradjudge/web/graphsvg"
)

// exploreView is the flow explorer: a graph evaluated by the reference autograd, revealed one
// step at a time. Every link carries the whole state in its query, so the page works without
// JavaScript; explore.js only swaps the explorer in place (and scrolls a phone's picture to the
// current step).
type exploreView struct {
	Title    string
	Picture  template.HTML
	Steps    []stepRow
	Step     int // steps taken, 0 … Total
	Total    int
	Current  string // the last step's formula
	Blocked  bool   // the last step met a closed gate
	Nav      stepNav
	Inputs   []inputField
	LR       string
	Program  string
	CanType  bool // instructors may type a graph
	Hidden   []inputField
	Update   *updateView // shown once the backward pass is complete
	Message  string      // why the request was refused
	Exercise string      // the catalog exercise explored, if any
}

// stepRow is one step in the list of steps.
type stepRow struct {
	N       int
	Label   string // "forward: h" or "backward: ∂L/∂w₂"
	Text    string // the formula, once the step is taken
	Done    bool
	Current bool
	Link    string
}

// stepNav links the neighbouring states.
type stepNav struct{ Start, Prev, Next, End string }

// inputField is one editable input or parameter.
type inputField struct{ Name, Label, Value string }

// updateView is one gradient-descent step: gradients (backprop's result) used by the update.
type updateView struct {
	Rows          []updateRow
	LR            string
	Loss, NewLoss string
	Lower         bool
	Apply         string // the state with the updated parameters
}

// updateRow is one parameter before and after the update.
type updateRow struct{ Name, Value, Grad, New string }

// Assets are the explorer's stylesheets and its stepping script.
func (exploreView) Assets() (styles, scripts []string) {
	return []string{"graph.css", "explore.css"}, []string{"js/explore.js"}
}

// Refresh is 0: the explorer never reloads itself.
func (exploreView) Refresh() int { return 0 }

// explore serves /explore: the lesson's network by default, a course exercise's graph with
// ?course=&exercise=, or a typed ?program= for instructors.
func (h *Handler) explore(w http.ResponseWriter, r *http.Request, v visit) {
	q := r.URL.Query()
	req := app.ExploreRequest{ExerciseID: q.Get("exercise"), Program: q.Get("program"), LearningRate: q.Get("lr"), Inputs: map[string]string{}}
	req.CourseID, _ = strconv.ParseInt(q.Get("course"), 10, 64)
	for k, vs := range q {
		if name, ok := strings.CutPrefix(k, "in."); ok && len(vs) > 0 {
			req.Inputs[name] = vs[0]
		}
	}
	view := exploreView{Title: "Backprop flow explorer", Program: req.Program, LR: req.LearningRate,
		CanType: v.User.Role == gradjudge.RoleInstructor || v.User.Role == gradjudge.RoleAdmin}
	x, err := h.App.Explore(r.Context(), v.User, req)
	if err == nil {
		err = h.fillExplore(&view, x, q.Get("step"))
	}
	if err != nil {
		status := app.HTTPStatus(gradjudge.ErrorCode(err))
		if status != http.StatusBadRequest && status != http.StatusRequestEntityTooLarge {
			h.fail(w, r, err)
			return
		}
		view.Message = sentence(gradjudge.ErrorMessage(err))
		if view.LR == "" {
			view.LR = strconv.FormatFloat(app.DefaultLearningRate, 'g', -1, 64) // what an empty one means
		}
		for name, val := range req.Inputs {
			view.Inputs = append(view.Inputs, inputField{Name: "in." + name, Label: graphsvg.DisplayName(name), Value: val})
		}
		h.render(w, r, status, "explore.html", view.Title, &v.User, view)
		return
	}
	h.render(w, r, http.StatusOK, "explore.html", view.Title, &v.User, view)
}

// fillExplore lays out exploration x at the step the query names.
func (h *Handler) fillExplore(view *exploreView, x app.Exploration, stepParam string) error {
	fl, err := graphsvg.FlowOf(x.Run, x.Output)
	if err != nil {
		return gradjudge.Errorf(gradjudge.EINVALID, "the gradients cannot be taken: %v", err)
	}
	view.Title, view.Exercise, view.Total = x.Title, x.ExerciseID, len(x.Steps)
	view.Step, _ = strconv.Atoi(stepParam)
	view.Step = min(max(view.Step, 0), view.Total)
	view.LR = strconv.FormatFloat(x.LearningRate, 'g', -1, 64)
	state := exploreState(x, x.Inputs)
	link := func(n int) string { return stateURL(state, n) }
	view.Nav = stepNav{Start: link(0), Prev: link(max(view.Step-1, 0)), Next: link(min(view.Step+1, view.Total)), End: link(view.Total)}
	for i, s := range x.Steps {
		row := stepRow{N: i + 1, Label: stepLabel(s, x.Output), Done: i < view.Step, Current: i == view.Step-1, Link: link(i + 1)}
		if row.Done {
			row.Text = stepText(fl, x, s)
		}
		if row.Current {
			view.Current = row.Text
			view.Blocked = !s.Forward && fl.Edges[s.Edge].Blocked
		}
		view.Steps = append(view.Steps, row)
	}
	for _, name := range x.Graph.Inputs() {
		view.Inputs = append(view.Inputs, inputField{Name: "in." + name, Label: graphsvg.DisplayName(name), Value: plain(x.Inputs[name])})
	}
	for _, k := range []string{"course", "exercise"} {
		if val := state.Get(k); val != "" {
			view.Hidden = append(view.Hidden, inputField{Name: k, Value: val})
		}
	}
	view.Hidden = append(view.Hidden, inputField{Name: "step", Value: strconv.Itoa(view.Step)})
	if view.Step == view.Total && x.Updated != nil {
		view.Update = updateOf(x, fl)
	}
	view.Picture = h.explorePicture(x, fl, view.Step)
	return nil
}

// stepLabel names a step before it is taken.
func stepLabel(s app.ExploreStep, output string) string {
	if s.Forward {
		return "forward: " + graphsvg.DisplayName(s.Node)
	}
	return "backward: ∂" + graphsvg.DisplayName(output) + "/∂" + graphsvg.DisplayName(s.Edge.Wrt) + " through " + graphsvg.DisplayName(s.Edge.Of)
}

// stepText is a taken step's formula with its numbers.
func stepText(fl graphsvg.Flow, x app.Exploration, s app.ExploreStep) string {
	if s.Forward {
		t, _ := fl.Forward(x.Graph, s.Node)
		return t
	}
	t, _ := fl.Step(s.Edge, x.Output)
	if fl.Edges[s.Edge].Blocked {
		t += " — blocked: the gate is closed, so no gradient passes"
	}
	return t
}

// explorePicture draws the graph with what the steps taken so far reveal.
func (h *Handler) explorePicture(x app.Exploration, fl graphsvg.Flow, step int) template.HTML {
	p := graphsvg.Picture{Graph: x.Graph, Flow: true, ID: "explore", Title: x.Title,
		Values: map[string]autograd.Tensor{}, Grads: map[string]autograd.Tensor{}, Edges: map[autograd.Edge]graphsvg.EdgeGrad{}}
	for _, name := range x.Graph.Inputs() {
		p.Values[name] = fl.Values[name]
	}
	pending := map[string]int{} // backward steps still to come into each name
	for _, s := range x.Steps {
		if !s.Forward {
			pending[s.Edge.Wrt]++
		}
	}
	for i, s := range x.Steps[:step] {
		switch {
		case s.Forward:
			p.Values[s.Node] = fl.Values[s.Node]
		default:
			p.Grads[x.Output] = fl.Grads[x.Output]
			p.Edges[s.Edge] = fl.Edges[s.Edge]
			if pending[s.Edge.Wrt]--; pending[s.Edge.Wrt] == 0 {
				p.Grads[s.Edge.Wrt] = fl.Grads[s.Edge.Wrt]
			}
		}
		if i == step-1 {
			p.Focus = s.Node
		}
	}
	out, err := h.pictures.Render(p)
	if err != nil {
		h.log.Warn("web: explorer picture does not render", "err", err)
	}
	return out
}

// updateOf shows the gradient-descent step the exploration computed.
func updateOf(x app.Exploration, fl graphsvg.Flow) *updateView {
	u := &updateView{LR: strconv.FormatFloat(x.LearningRate, 'g', -1, 64), Loss: graphsvg.Value(autograd.Scalar(x.Loss)),
		NewLoss: graphsvg.Value(autograd.Scalar(x.NewLoss)), Lower: x.NewLoss < x.Loss}
	next := map[string]autograd.Tensor{}
	for k, t := range x.Inputs {
		next[k] = t
	}
	for _, p := range x.Params {
		u.Rows = append(u.Rows, updateRow{Name: graphsvg.DisplayName(p), Value: graphsvg.Value(x.Inputs[p]),
			Grad: graphsvg.Value(fl.Grads[p]), New: graphsvg.Value(x.Updated[p])})
		next[p] = x.Updated[p]
	}
	u.Apply = stateURL(exploreState(x, next), len(x.Steps))
	return u
}

// exploreState is the query that reopens exploration x with inputs.
func exploreState(x app.Exploration, inputs map[string]autograd.Tensor) url.Values {
	q := url.Values{}
	switch {
	case x.ExerciseID != "":
		q.Set("course", strconv.FormatInt(x.CourseID, 10))
		q.Set("exercise", x.ExerciseID)
	case x.Program != "":
		q.Set("program", x.Program)
	}
	for _, name := range x.Graph.Inputs() {
		q.Set("in."+name, plain(inputs[name]))
	}
	q.Set("lr", strconv.FormatFloat(x.LearningRate, 'g', -1, 64))
	return q
}

// stateURL is the explorer's address for state at step n.
func stateURL(state url.Values, n int) string {
	q := url.Values{}
	for k, v := range state {
		q[k] = v
	}
	q.Set("step", strconv.Itoa(n))
	return "/explore?" + q.Encode()
}

// plain writes a tensor the way the input fields read it back: a number in full precision, or a
// JSON list.
func plain(t autograd.Tensor) string {
	if t.Rank() == 0 {
		return strconv.FormatFloat(t.Item(), 'g', -1, 64)
	}
	b, _ := json.Marshal(t.Nested()) // finite numbers: it cannot fail
	return string(b)
}
