package code

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"testing"
	"testing/fstest"

	"gradjudge"
	"gradjudge/autograd"
	"gradjudge/exercises"
	"gradjudge/judge"
)

// tieGraph has two subtractions on the path from L to a. Flipping the sign of one of them
// (loss-sign-flipped as a slip) predicts ∂L/∂a = −c, where the answer is +c; flipping both (the
// belief) predicts the answer. At c = −1, dropping every local factor (local-factor-dropped, an
// engine-level belief) predicts 1 too: the slip and the belief explain the answer 1 equally well.
const tieGraph = `graph = '''
a = w*x
d = y - a
L = c*(n - d)
'''

[params]
w = { values = [1] }
x = { values = [1] }
y = { values = [2] }
c = { values = [-1] }
n = { values = [0] }
`

const tieNumeric = `+++
id = "tie-numeric"
title = "Tie"
kind = "numeric"
concepts = ["backward-pass"]
` + tieGraph + `
[[ask]]
id = "dL_da"
label = "∂L/∂a"
expr = "grad(L, a)"
+++
Compute ∂L/∂a.
`

const tieCode = `+++
id = "tie-code"
title = "Tie"
kind = "code"
concepts = ["backward-pass"]
signature = "func Backward(w, x, y, c, n float64) float64"
` + tieGraph + `
[funcs.Backward]
args = ["w", "x", "y", "c", "n"]
results = ["grad(L, a)"]
+++
Return ∂L/∂a.
`

// TestTiesBreakTheSameWay: a wrong answer that a specific rule's slip and an engine-level belief
// explain equally well earns the specific rule's tag (exercises.Rank), for a numeric answer and
// for code alike. Code used to prefer the engine-level belief.
func TestTiesBreakTheSameWay(t *testing.T) {
	miscs, err := os.ReadFile("../../exercises/misconceptions.toml")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := exercises.LoadFS(fstest.MapFS{
		"misconceptions.toml":    {Data: miscs},
		"catalog/tie-numeric.md": {Data: []byte(tieNumeric)},
		"catalog/tie-code.md":    {Data: []byte(tieCode)},
	})
	if err != nil {
		t.Fatal(err)
	}
	flipped, _ := autograd.LookupBugRule("loss-sign-flipped")
	dropped, _ := autograd.LookupBugRule("local-factor-dropped")
	slip, belief := autograd.Application{Rule: flipped, At: "d"}, autograd.Application{Rule: dropped}
	if exercises.RankOf(slip) >= exercises.RankOf(belief) {
		t.Fatalf("Rank: %v ranks %d, %v %d; want the specific slip first", slip, exercises.RankOf(slip), belief, exercises.RankOf(belief))
	}

	j, _ := judge.New(cat, nil)
	v, err := j.Grade(context.Background(), "tie-numeric", 1, gradjudge.Answer{Fields: map[string]json.RawMessage{"dL_da": json.RawMessage("1")}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v.Misconceptions, []string{"loss-sign-flipped"}) {
		t.Errorf("numeric: tagged %v, want [loss-sign-flipped]", v.Misconceptions)
	}

	e, err := cat.Lookup("tie-code")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlan(e, 1)
	if err != nil {
		t.Fatal(err)
	}
	sim := newSimulation(p)
	for _, app := range []autograd.Application{slip, belief} {
		if pred := sim.predict(app); !pred.differs || pred.got[0][0][0].Item() != 1 {
			t.Fatalf("%v predicts %v; want 1 on every case", app, pred.got)
		}
	}
	if v := sim.verdict(slip); !slices.Equal(v.Misconceptions, []string{"loss-sign-flipped"}) {
		t.Errorf("code: tagged %v, want [loss-sign-flipped]", v.Misconceptions)
	}
}
