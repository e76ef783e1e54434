package judge

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gradjudge"
	"gradjudge/autograd"
	"gradjudge/exercises"
)

// TestForwardValueCarriedForward: over many seeds, a student who gets the first forward value wrong
// and computes everything after it correctly from their own value has every later wrong answer
// marked consistent, and earns forward-value-wrong when a backward answer builds on it, and no
// other tag. The wrong value is the right one grown by half its size plus 0.5, or a random one
// (which may flip a sign and so turn a ReLU on or off).
func TestForwardValueCarriedForward(t *testing.T) {
	j := newJudge(t)
	checked := 0
	for _, e := range j.cat.All() {
		first := firstForwardStand(e)
		if first < 0 {
			continue
		}
		for seed := range uint64(50) {
			in, err := e.NewInstance(seed)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(seed, 1))
			for _, wrongBy := range []func(float64) float64{
				func(x float64) float64 { return x + 0.5 + 0.5*math.Abs(x) },
				func(float64) float64 { return math.Round(rng.Float64()*160-80) / 8 },
			} {
				got, ok := carriedForward(in, first, wrongBy)
				if !ok {
					continue
				}
				checked++
				v := j.gradeNumbers(in, got)
				checkCarriedForward(t, in, first, got[first], v)
			}
		}
	}
	if checked < 400 {
		t.Errorf("only %d submissions checked", checked)
	}
}

func firstForwardStand(e *exercises.Exercise) int {
	for _, i := range e.Order {
		if q := e.Quantities[i]; !q.Backward && q.Stands != "" {
			return i
		}
	}
	return -1
}

// carriedForward returns answers with quantity first changed by wrongBy, entry by entry, and every
// quantity after it recomputed from that value. ok is false when the changed value is still right
// or cannot be carried forward.
func carriedForward(in *exercises.Instance, first int, wrongBy func(float64) float64) ([]autograd.Tensor, bool) {
	e := in.Exercise
	wrong := in.Answers[first].Clone()
	for k := range wrong.Data {
		wrong.Data[k] = wrongBy(wrong.Data[k])
	}
	if e.Quantities[first].Tolerance.Accepts(wrong, in.Answers[first]) {
		return nil, false
	}
	run, err := e.Graph.ForwardWith(in.Inputs, map[string]autograd.Tensor{e.Quantities[first].Stands: wrong})
	if err != nil {
		return nil, false
	}
	got := slices.Clone(in.Answers)
	after := false
	for _, i := range e.Order {
		if after {
			if got[i], err = e.Quantities[i].Expr.Eval(run, autograd.Application{}); err != nil {
				return nil, false
			}
		}
		after = after || i == first
	}
	got[first] = wrong
	return got, true
}

func checkCarriedForward(t *testing.T, in *exercises.Instance, first int, wrong autograd.Tensor, v gradjudge.Verdict) {
	t.Helper()
	e := in.Exercise
	at := func() string {
		return fmt.Sprintf("%s seed %d, %s = %s", e.ID, in.Seed, e.Quantities[first].ID, exercises.FormatTensor(wrong))
	}
	backwardWrong := false
	for i, r := range v.Results {
		switch {
		case i == first && r.Status != gradjudge.StatusWrongAnswer:
			t.Errorf("%s: the wrong %s is %s", at(), r.ID, r.Status)
		case i != first && r.Status == gradjudge.StatusWrongAnswer && r.ConsistentWith == "":
			t.Errorf("%s: %s is not marked consistent: %s", at(), r.ID, r.Message)
		case i != first && len(r.Tags) > 0:
			t.Errorf("%s: %s, right for the student's own values, is tagged %v", at(), r.ID, r.Tags)
		}
		backwardWrong = backwardWrong || (e.Quantities[i].Backward && r.Status == gradjudge.StatusWrongAnswer)
	}
	want := []string(nil)
	if backwardWrong {
		want = []string{ForwardValueWrong}
	}
	if !slices.Equal(v.Misconceptions, want) {
		t.Errorf("%s: a backward answer wrong: %v, but misconceptions %v", at(), backwardWrong, v.Misconceptions)
	}
	if v.FirstWrong != e.Quantities[first].ID {
		t.Errorf("%s: first wrong %q, want %q", at(), v.FirstWrong, e.Quantities[first].ID)
	}
}

// TestReferenceThroughGrade: over many seeds, the reference answers sent through the public Grade
// path as JSON strings rounded to 3 significant figures are accepted.
func TestReferenceThroughGrade(t *testing.T) {
	j := newJudge(t)
	for _, e := range j.cat.All() {
		if e.Kind != gradjudge.KindNumeric {
			continue
		}
		for seed := range uint64(20) {
			in, _ := e.NewInstance(seed)
			v := j.GradeInstance(in, referenceAnswer(in))
			if v.Status != gradjudge.StatusAccepted || v.Score != 1 || len(v.Misconceptions) > 0 {
				t.Errorf("%s seed %d: %s %v", e.ID, seed, v.Status, v.Feedback)
			}
		}
	}
}

// TestLocalDerivativeCarriedForwardSeeds: over many seeds of the single-neuron exercises, a student
// whose local derivative ∂a/∂z is wrong and who computes every later gradient from it has each
// later wrong answer marked consistent and untagged, and ∂a/∂z as the first wrong answer and the
// only tagged one. The later answers come from the graph rewritten so that a keeps its value but
// has the student's slope d, a = act(z0) + d·(z − z0) with z0 the value of z, on the plain
// engine: not the replay under test.
func TestLocalDerivativeCarriedForwardSeeds(t *testing.T) {
	j := newJudge(t)
	checked := 0
	for _, act := range []string{"relu", "sigmoid"} {
		e, err := j.cat.(*exercises.Catalog).Lookup("single-neuron-" + act + "-backward")
		if err != nil {
			t.Fatal(err)
		}
		slope, err := autograd.Parse("z = w*x + b\na = " + act + "(z0) + d*(z - z0)\nL = (y - a)^2")
		if err != nil {
			t.Fatal(err)
		}
		for seed := range uint64(50) {
			in, err := e.NewInstance(seed)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(seed, 2))
			right, a := in.Answers[e.Quantity("da_dz")].Item(), in.Answers[e.Quantity("a")].Item()
			for _, d := range []float64{0, 1, a, right + 0.5, math.Round(rng.Float64()*40-20) / 8} {
				got, ok := withSlope(t, in, slope, d)
				if !ok {
					continue
				}
				checked++
				checkLocalCarriedForward(t, in, d, j.gradeNumbers(in, got))
			}
		}
	}
	if checked < 300 {
		t.Errorf("only %d submissions checked", checked)
	}
}

// withSlope returns the reference answers with ∂a/∂z = d and the gradients below it computed on
// slope. ok is false when d is the right ∂a/∂z.
func withSlope(t *testing.T, in *exercises.Instance, slope *autograd.Graph, d float64) ([]autograd.Tensor, bool) {
	t.Helper()
	e := in.Exercise
	local := e.Quantity("da_dz")
	if e.Quantities[local].Tolerance.Accepts(autograd.Scalar(d), in.Answers[local]) {
		return nil, false
	}
	inputs := maps.Clone(in.Inputs)
	inputs["z0"], _ = in.Run.Value("z")
	inputs["d"] = autograd.Scalar(d)
	run, err := slope.Forward(inputs)
	if err != nil {
		t.Fatal(err)
	}
	grads, err := run.Gradients("L", autograd.Application{})
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Clone(in.Answers)
	got[local] = autograd.Scalar(d)
	for id, name := range map[string]string{"dL_dz": "z", "dL_dw": "w", "dL_db": "b"} {
		got[e.Quantity(id)] = grads[name]
	}
	return got, true
}

func checkLocalCarriedForward(t *testing.T, in *exercises.Instance, d float64, v gradjudge.Verdict) {
	t.Helper()
	at := fmt.Sprintf("%s seed %d, ∂a/∂z = %v", in.Exercise.ID, in.Seed, d)
	if v.FirstWrong != "da_dz" {
		t.Errorf("%s: first wrong %q, want da_dz", at, v.FirstWrong)
	}
	for _, r := range v.Results {
		switch {
		case r.ID == "da_dz" && (r.Status != gradjudge.StatusWrongAnswer || r.ConsistentWith != ""):
			t.Errorf("%s: da_dz is %s, consistent with %q", at, r.Status, r.ConsistentWith)
		case r.ID == "da_dz":
			if !slices.Equal(v.Misconceptions, r.Tags) {
				t.Errorf("%s: misconceptions %v, but da_dz is tagged %v", at, v.Misconceptions, r.Tags)
			}
		case r.Status == gradjudge.StatusWrongAnswer && r.ConsistentWith == "":
			t.Errorf("%s: %s is not marked consistent: %s", at, r.ID, r.Message)
		case len(r.Tags) > 0:
			t.Errorf("%s: %s, right for the student's own ∂a/∂z, is tagged %v", at, r.ID, r.Tags)
		}
	}
}
