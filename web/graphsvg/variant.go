package graphsvg

import (
	"fmt"

	"gradjudge"
	"gradjudge/autograd"
)

// FromVariant is the picture of a student's variant as an exercise page first shows it: its
// graph with the inputs' values, nothing else (forward values and gradients are what the student
// is asked for). Add States after a verdict. Its error is for a variant without a graph (a choice
// exercise) or with a program or input that does not read.
func FromVariant(v gradjudge.Variant) (Picture, error) {
	if v.Graph == "" {
		return Picture{}, fmt.Errorf("graphsvg: exercise %s has no graph", v.ID)
	}
	g, err := autograd.Parse(v.Graph)
	if err != nil {
		return Picture{}, fmt.Errorf("graphsvg: exercise %s: %w", v.ID, err)
	}
	values := make(map[string]autograd.Tensor, len(v.Inputs))
	for _, name := range g.Inputs() {
		raw, ok := v.Inputs[name]
		if !ok {
			continue
		}
		t, err := tensorOf(raw)
		if err != nil {
			return Picture{}, fmt.Errorf("graphsvg: exercise %s: input %s: %w", v.ID, name, err)
		}
		values[name] = t
	}
	return Picture{Graph: g, Values: values, ID: "graph-" + v.ID}, nil
}

// tensorOf reads a variant's input: the float64, []float64 or [][]float64 of autograd's
// Tensor.Nested, or the same decoded from JSON.
func tensorOf(v any) (autograd.Tensor, error) {
	switch x := v.(type) {
	case float64:
		return autograd.Scalar(x), nil
	case []float64:
		return autograd.Vector(x...), nil
	case [][]float64:
		return autograd.Matrix(x), nil
	}
	return autograd.TensorFromJSON(v)
}
