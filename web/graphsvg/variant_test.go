package graphsvg

import (
	"encoding/json"
	"strings"
	"testing"

	"gradjudge"
	"gradjudge/exercises"
)

// TestFromVariant draws every catalog variant with a graph, as the service hands it out and as it
// reads back from JSON, with the inputs' values and nothing the student is asked for.
func TestFromVariant(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cat.Exercises() {
		v, err := cat.Variant(e.ID, 7)
		if err != nil {
			t.Fatal(err)
		}
		if v.Graph == "" {
			if _, err := FromVariant(v); err == nil {
				t.Errorf("%s: a variant without a graph drew", e.ID)
			}
			continue
		}
		var wire gradjudge.Variant
		b, _ := json.Marshal(v)
		if err := json.Unmarshal(b, &wire); err != nil {
			t.Fatal(err)
		}
		for _, in := range []gradjudge.Variant{v, wire} {
			p, err := FromVariant(in)
			if err != nil {
				t.Fatalf("%s: %v", e.ID, err)
			}
			if len(p.Values) != len(p.Graph.Inputs()) || len(p.Grads) != 0 || p.ID != "graph-"+e.ID {
				t.Errorf("%s: %d values for %d inputs, %d gradients, id %q", e.ID, len(p.Values), len(p.Graph.Inputs()), len(p.Grads), p.ID)
			}
		}
	}
	bad := gradjudge.Variant{Exercise: gradjudge.Exercise{ID: "x"}, Graph: "L = w*", Inputs: map[string]any{}}
	if _, err := FromVariant(bad); err == nil || !strings.Contains(err.Error(), "exercise x") {
		t.Errorf("a broken program: %v", err)
	}
}
