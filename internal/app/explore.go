package app

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"gradjudge"
	"gradjudge/autograd"
)

// LessonGraph is the lesson's two-layer network x → Linear₁ → ReLU → Linear₂ → loss, with one
// unit per layer: four parameters, four forward and seven backward steps.
const LessonGraph = `h = w1*x + b1
r = relu(h)
yhat = w2*r + b2
L = (y - yhat)^2
`

// LessonInputs are the numbers the explorer opens with: a ReLU that is open, and a learning rate
// (DefaultLearningRate) small enough that one update lowers the loss.
func LessonInputs() map[string]float64 {
	return map[string]float64{"x": 2, "w1": 0.5, "b1": 0.5, "w2": 1.5, "b2": -0.5, "y": 3}
}

// Explorer limits and defaults. The explorer is for graphs of a few dozen nodes (the catalog's
// have at most a dozen), and every step's link carries the whole state (the program and every
// input's numbers), so that a page's size is its steps times its state: the limits keep both
// small, whoever asks.
const (
	DefaultLearningRate = 0.01
	MaxLearningRate     = 10
	maxExploreValue     = 1e6 // the largest input value the explorer takes, in absolute value
	// MaxExploreProgramBytes bounds a typed program, in bytes.
	MaxExploreProgramBytes = 2 << 10
	// MaxExploreNodes bounds a graph's inputs and assigned names together.
	MaxExploreNodes = 40
	// MaxExploreEdges bounds the names the graph's statements read, counted once per statement:
	// the edges drawn, and (less those from data) the backward steps.
	MaxExploreEdges = 60
	// MaxExploreNumbers bounds the numbers of all inputs together.
	MaxExploreNumbers = 64
)

// dataNames are inputs the explorer treats as data, not parameters: gradient descent leaves them
// alone and the backward steps skip them, so that the lesson's network has exactly its eleven
// steps.
var dataNames = []string{"x", "y", "t", "target"}

// ExploreRequest says which graph the explorer opens and with what numbers. At most one of
// ExerciseID (with CourseID) and Program is set; neither means the lesson's network.
type ExploreRequest struct {
	CourseID   int64
	ExerciseID string
	Program    string
	// Inputs are typed values (a number, or a JSON list for vectors and matrices) replacing the
	// defaults; empty strings are ignored.
	Inputs       map[string]string
	LearningRate string // "" means DefaultLearningRate
}

// ExploreStep is one step of the explorer: a forward step computes Node's value; a backward step
// sends the gradient back along Edge.
type ExploreStep struct {
	Forward bool
	Node    string
	Edge    autograd.Edge
}

// Exploration is a graph evaluated by the reference autograd, ready to step through. Its Run is
// not safe for concurrent use: it belongs to one request.
type Exploration struct {
	Title        string
	Program      string // "" for the lesson and catalog exercises
	ExerciseID   string
	CourseID     int64
	Graph        *autograd.Graph
	Inputs       map[string]autograd.Tensor
	Params       []string // the inputs gradient descent updates, in the graph's order
	Run          *autograd.Run
	Output       string
	Steps        []ExploreStep
	LearningRate float64
	// Updated are the parameters after one gradient-descent step, and NewLoss the output's value
	// on them (nil and 0 when the output is not a scalar).
	Updated map[string]autograd.Tensor
	Loss    float64
	NewLoss float64
}

// Explore opens the explorer for u. Anyone may explore the lesson's network; a catalog exercise's
// graph opens for the course's staff and for students who have solved it, with their own
// variant's numbers; a typed program only for instructors and admins. A program or inputs that do
// not evaluate are EINVALID with the autograd's words.
func (a *App) Explore(ctx context.Context, u gradjudge.User, req ExploreRequest) (Exploration, error) {
	x, defaults, err := a.exploreSource(ctx, u, req)
	if err != nil {
		return Exploration{}, err
	}
	if err := exploreSize(x.Graph); err != nil {
		return Exploration{}, err
	}
	if x.Program != "" {
		release, err := a.evalSlot()
		if err != nil {
			return Exploration{}, err
		}
		defer release()
	}
	if x.Inputs, err = exploreInputs(x.Graph, defaults, req.Inputs); err != nil {
		return Exploration{}, err
	}
	if x.LearningRate, err = learningRate(req.LearningRate); err != nil {
		return Exploration{}, err
	}
	if x.Run, err = x.Graph.Forward(x.Inputs); err != nil {
		return Exploration{}, graphError(err)
	}
	x.Output = x.Graph.Output()
	if out, _ := x.Run.Value(x.Output); !out.IsScalar() {
		return Exploration{}, gradjudge.Errorf(gradjudge.EINVALID, "the last name assigned, %s, must be a single number: the explorer follows the gradient of a loss", x.Output)
	}
	x.Params = params(x.Graph)
	x.Steps = steps(x.Graph, x.Params)
	return x, x.update()
}

// exploreSource picks the graph and its default inputs, checking who may open it.
func (a *App) exploreSource(ctx context.Context, u gradjudge.User, req ExploreRequest) (Exploration, map[string]autograd.Tensor, error) {
	switch {
	case req.ExerciseID != "":
		return a.exploreExercise(ctx, u, req.CourseID, req.ExerciseID)
	case strings.TrimSpace(req.Program) != "":
		if u.Role != gradjudge.RoleInstructor && u.Role != gradjudge.RoleAdmin {
			return Exploration{}, nil, gradjudge.Errorf(gradjudge.EFORBIDDEN, "only instructors may explore a graph of their own")
		}
		if err := checkProgram(req.Program, MaxExploreProgramBytes); err != nil {
			return Exploration{}, nil, err
		}
		g, err := autograd.Parse(req.Program)
		return Exploration{Title: "Your graph", Program: req.Program, Graph: g}, nil, graphError(err)
	}
	g, err := autograd.Parse(LessonGraph)
	if err != nil {
		return Exploration{}, nil, err // the lesson's own graph: a bug here, not a client mistake
	}
	in := map[string]autograd.Tensor{}
	for k, v := range LessonInputs() {
		in[k] = autograd.Scalar(v)
	}
	return Exploration{Title: "The lesson's two-layer network", Graph: g}, in, nil
}

// exploreExercise opens exercise id of course courseID with the visitor's own variant.
func (a *App) exploreExercise(ctx context.Context, u gradjudge.User, courseID int64, id string) (Exploration, map[string]autograd.Tensor, error) {
	v, err := a.OpenCourse(ctx, u, courseID)
	if err != nil {
		return Exploration{}, nil, err
	}
	e, err := a.CourseExercise(v.Course, id)
	if err != nil {
		return Exploration{}, nil, err
	}
	if !v.Role.IsStaff() {
		if solved, err := a.solved(ctx, v, id); err != nil || !solved {
			return Exploration{}, nil, errors.Join(err, gradjudge.Errorf(gradjudge.EFORBIDDEN, "the explorer opens an exercise's graph once you have solved it"))
		}
	}
	variant, err := a.Variant(ctx, v, id)
	if err != nil {
		return Exploration{}, nil, err
	}
	if variant.Graph == "" {
		return Exploration{}, nil, gradjudge.Errorf(gradjudge.EINVALID, "exercise %q has no graph", id)
	}
	g, err := autograd.Parse(variant.Graph)
	if err != nil {
		return Exploration{}, nil, err
	}
	in := map[string]autograd.Tensor{}
	for k, raw := range variant.Inputs {
		if t, err := autograd.TensorFromJSON(raw); err == nil {
			in[k] = t
		}
	}
	return Exploration{Title: e.Title, ExerciseID: id, CourseID: courseID, Graph: g}, in, nil
}

// solved reports whether the visitor has solved exercise id of the course.
func (a *App) solved(ctx context.Context, v Visit, id string) (bool, error) {
	recs, err := a.d.Progress.ProgressRecords(ctx, v.Course.ID, []int64{v.User.ID})
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(recs.Exercises, func(r gradjudge.ExerciseRecord) bool {
		return r.UserID == v.User.ID && r.ExerciseID == id && r.Solved()
	}), nil
}

// exploreSize refuses a graph larger than the explorer shows (ETOOLARGE).
func exploreSize(g *autograd.Graph) error {
	sts := g.Statements()
	edges := 0
	for _, s := range sts {
		edges += len(s.Reads)
	}
	if nodes := len(sts) + len(g.Inputs()); nodes > MaxExploreNodes || edges > MaxExploreEdges {
		return gradjudge.Errorf(gradjudge.ETOOLARGE, "the explorer shows graphs of at most %d names and %d edges; this one has %d and %d",
			MaxExploreNodes, MaxExploreEdges, nodes, edges)
	}
	return nil
}

// exploreInputs merges typed values over the defaults; an input with neither is 1. All inputs
// together hold at most MaxExploreNumbers numbers.
func exploreInputs(g *autograd.Graph, defaults map[string]autograd.Tensor, typed map[string]string) (map[string]autograd.Tensor, error) {
	out := map[string]autograd.Tensor{}
	numbers := 0
	for _, name := range g.Inputs() {
		t, ok := defaults[name]
		if !ok {
			t = autograd.Scalar(1)
		}
		if s := strings.TrimSpace(typed[name]); s != "" {
			var err error
			if t, err = parseValue(name, s); err != nil {
				return nil, err
			}
		}
		out[name] = t
		if numbers += len(t.Data); numbers > MaxExploreNumbers {
			return nil, gradjudge.Errorf(gradjudge.ETOOLARGE, "the inputs hold more than %d numbers in all", MaxExploreNumbers)
		}
	}
	return out, nil
}

// parseValue reads a typed input: a number or a JSON list of numbers (or of lists of numbers).
func parseValue(name, s string) (autograd.Tensor, error) {
	bad := gradjudge.Errorf(gradjudge.EINVALID, "the input %s must be a number, or a list like [1, 2] (each at most %.0f in size)", name, float64(maxExploreValue))
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil || d.More() {
		return autograd.Tensor{}, bad
	}
	t, err := autograd.TensorFromJSON(v)
	if err != nil || len(t.Data) > MaxExploreNumbers {
		return autograd.Tensor{}, bad
	}
	for _, x := range t.Data {
		if x > maxExploreValue || x < -maxExploreValue {
			return autograd.Tensor{}, bad
		}
	}
	return t, nil
}

func learningRate(s string) (float64, error) {
	if strings.TrimSpace(s) == "" {
		return DefaultLearningRate, nil
	}
	lr, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(lr > 0 && lr <= MaxLearningRate) {
		return 0, gradjudge.Errorf(gradjudge.EINVALID, "the learning rate must be a number above 0 and at most %d", MaxLearningRate)
	}
	return lr, nil
}

// graphError makes an autograd error (a mistake in the program or its inputs) a client mistake.
func graphError(err error) error {
	var ae *autograd.Error
	if errors.As(err, &ae) {
		return gradjudge.Errorf(gradjudge.EINVALID, "%s", ae.Error())
	}
	return err
}

// params are the graph's inputs that are not data.
func params(g *autograd.Graph) []string {
	var out []string
	for _, name := range g.Inputs() {
		if !slices.Contains(dataNames, name) {
			out = append(out, name)
		}
	}
	return out
}

// steps are the forward steps (one per statement, in order), then the backward steps: statements
// from the output back, and within each the parameters it reads before the nodes, skipping data.
func steps(g *autograd.Graph, params []string) []ExploreStep {
	sts := g.Statements()
	out := make([]ExploreStep, 0, 3*len(sts))
	for _, s := range sts {
		out = append(out, ExploreStep{Forward: true, Node: s.Name})
	}
	for i := len(sts) - 1; i >= 0; i-- {
		s := sts[i]
		var later []ExploreStep
		for _, wrt := range s.Reads {
			step := ExploreStep{Node: wrt, Edge: autograd.Edge{Of: s.Name, Wrt: wrt}}
			switch {
			case slices.Contains(params, wrt):
				out = append(out, step)
			case !g.IsInput(wrt):
				later = append(later, step)
			}
		}
		out = append(out, later...)
	}
	return out
}

// update takes one gradient-descent step on the parameters and evaluates the output on them.
func (x *Exploration) update() error {
	out, _ := x.Run.Value(x.Output)
	if !out.IsScalar() {
		return nil
	}
	x.Loss = out.Item()
	grads, err := x.Run.Gradients(x.Output, autograd.Application{})
	if err != nil {
		return graphError(err)
	}
	x.Updated = map[string]autograd.Tensor{}
	next := map[string]autograd.Tensor{}
	for name, t := range x.Inputs {
		next[name] = t
	}
	for _, p := range x.Params {
		t := x.Inputs[p].Clone()
		for i := range t.Data {
			t.Data[i] -= x.LearningRate * grads[p].Data[i]
		}
		x.Updated[p], next[p] = t, t
	}
	run, err := x.Graph.Forward(next)
	if err != nil {
		x.Updated = nil // the step left the finite numbers: nothing to show
		return nil
	}
	v, _ := run.Value(x.Output)
	x.NewLoss = v.Item()
	return nil
}
