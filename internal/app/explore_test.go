package app

import (
	"strings"
	"testing"

	"gradjudge"
	"gradjudge/autograd"
)

// TestExploreLesson: the lesson's network has its eleven steps in the lesson's order, its
// gradients agree with central differences, and one update lowers the loss.
func TestExploreLesson(t *testing.T) {
	f := newFixture(t, nil)
	x, err := f.app.Explore(t.Context(), f.alice, ExploreRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range x.Steps {
		names = append(names, s.Node)
	}
	if got, want := strings.Join(names, " "), "h r yhat L yhat w2 b2 r h w1 b1"; got != want {
		t.Errorf("steps %q, want %q", got, want)
	}
	rep, err := x.Run.GradCheck("L", mustGrads(t, x), autograd.CheckOptions{})
	if err != nil || !rep.OK() {
		t.Errorf("gradients disagree with central differences: %+v, %v", rep, err)
	}
	if x.Updated == nil || !(x.NewLoss < x.Loss) {
		t.Errorf("loss %g → %g after one update, want lower", x.Loss, x.NewLoss)
	}
	if got := strings.Join(x.Params, ","); got != "w1,b1,w2,b2" {
		t.Errorf("params %s", got)
	}
}

func mustGrads(t *testing.T, x Exploration) map[string]autograd.Tensor {
	t.Helper()
	g, err := x.Run.Gradients("L", autograd.Application{})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestExploreInputs: typed inputs replace the defaults; a ReLU with a negative input stops the
// gradient; bad numbers and learning rates are client mistakes.
func TestExploreInputs(t *testing.T) {
	f := newFixture(t, nil)
	x, err := f.app.Explore(t.Context(), f.alice, ExploreRequest{Inputs: map[string]string{"w1": "-1"}, LearningRate: "0.5"})
	if err != nil {
		t.Fatal(err)
	}
	if g := mustGrads(t, x)["w1"]; g.Item() != 0 || x.LearningRate != 0.5 {
		t.Errorf("∂L/∂w1 = %v with a closed ReLU, lr %g", g.Data, x.LearningRate)
	}
	for name, req := range map[string]ExploreRequest{
		"not a number":    {Inputs: map[string]string{"x": "two"}},
		"huge":            {Inputs: map[string]string{"x": "1e300"}},
		"learning rate 0": {LearningRate: "0"},
		"learning rate":   {LearningRate: "fast"},
	} {
		_, err := f.app.Explore(t.Context(), f.alice, req)
		wantCode(t, name, err, gradjudge.EINVALID)
	}
}

// TestExploreAccess: typed graphs are for instructors; a graph that does not evaluate is a client
// mistake; an exercise opens for a student only once solved.
func TestExploreAccess(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	prog := ExploreRequest{Program: "z = w*x\nL = z^2"}
	_, err := f.app.Explore(ctx, f.alice, prog)
	wantCode(t, "a student types a graph", err, gradjudge.EFORBIDDEN)
	if x, err := f.app.Explore(ctx, f.inst, prog); err != nil || len(x.Steps) != 4 {
		t.Errorf("instructor's graph: %d steps, %v", len(x.Steps), err)
	}
	for name, p := range map[string]string{"syntax": "z = = 1", "not scalar": "z = x + [1]"} {
		_, err := f.app.Explore(ctx, f.inst, ExploreRequest{Program: p, Inputs: map[string]string{"x": "[1, 2]"}})
		wantCode(t, name, err, gradjudge.EINVALID)
	}
	_, err = f.app.Explore(ctx, f.alice, ExploreRequest{CourseID: f.course.ID, ExerciseID: "num"})
	wantCode(t, "unsolved exercise", err, gradjudge.EFORBIDDEN)
	_, err = f.app.Explore(ctx, f.eve, ExploreRequest{CourseID: f.course.ID, ExerciseID: "num"})
	wantCode(t, "not enrolled", err, gradjudge.ENOTFOUND)
}
