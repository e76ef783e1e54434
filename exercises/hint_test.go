package exercises

import "testing"

// TestLocalDerivatives: in the single neuron z = w·x + b, a = relu(z), L = (y − a)², the hint for a
// wrong ∂L/∂z is ∂a/∂z worked out, unless the exercise asks ∂a/∂z itself.
func TestLocalDerivatives(t *testing.T) {
	c := loadCatalog(t)
	for seed := range uint64(20) {
		in, err := c.Instance("single-neuron-relu-backward", seed)
		if err != nil {
			t.Fatal(err)
		}
		e := in.Exercise
		for _, q := range e.Quantities {
			for _, ld := range in.LocalDerivatives(q.ID) {
				for j, other := range e.Quantities {
					if other.Label == ld.Label && FormatTensor(in.Answers[j]) == ld.Value {
						t.Errorf("seed %d: the hint for %s hands out the asked %s = %s", seed, q.ID, other.ID, ld.Value)
					}
				}
			}
		}
	}
	in, err := c.Instance("fan-out", 3)
	if err != nil {
		t.Fatal(err)
	}
	// fan-out asks dp/du and dq/du, so a wrong dL/du gets no local hint; dL/dw's node w has the
	// reader u, whose ∂u/∂w = x is not asked.
	if got := in.LocalDerivatives("dL_du"); len(got) != 0 {
		t.Errorf("dL_du: %+v, want none (both local derivatives are asked)", got)
	}
	got := in.LocalDerivatives("dL_dw")
	if len(got) != 1 || got[0].Label != "∂u/∂w" || got[0].Value != FormatTensor(in.Inputs["x"]) {
		t.Errorf("dL_dw: %+v, want ∂u/∂w = x = %s", got, FormatTensor(in.Inputs["x"]))
	}
	if got := in.LocalDerivatives("u"); got != nil {
		t.Errorf("a forward value: %+v, want none", got)
	}
}

func TestChainRule(t *testing.T) {
	in, err := loadCatalog(t).Instance("fan-out", 3)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"dL_du": "∂L/∂u = ∂L/∂p · ∂p/∂u + ∂L/∂q · ∂q/∂u",
		"dL_dw": "∂L/∂w = ∂L/∂u · ∂u/∂w",
		"dp_du": "",
		"u":     "",
	} {
		if got := in.ChainRule(id); got != want {
			t.Errorf("ChainRule(%s) = %q, want %q", id, got, want)
		}
	}
}

// TestExpectedAnswersOfAChoice reveals a choice exercise's right option, as the variant shows it,
// and nothing else; a numeric exercise's answers are its asked quantities.
func TestExpectedAnswersOfAChoice(t *testing.T) {
	c := loadCatalog(t)
	for _, id := range []string{"backprop-vs-gradient-descent", "layer-one-gradient"} {
		in, err := c.Instance(id, 7)
		if err != nil {
			t.Fatal(err)
		}
		labels, values, err := c.ExpectedAnswers(id, 7)
		if err != nil || len(labels) != 1 || labels[0] != RightChoiceLabel {
			t.Fatalf("%s: %q %q %v; want the right choice alone", id, labels, values, err)
		}
		for _, o := range in.Options {
			if o.Correct && values[0] != fill(o.Text, in.Inputs) {
				t.Errorf("%s: revealed %q; want the right option %q", id, values[0], o.Text)
			}
			if !o.Correct && values[0] == fill(o.Text, in.Inputs) {
				t.Errorf("%s: revealed a wrong option %q", id, values[0])
			}
		}
	}
	labels, _, err := c.ExpectedAnswers("chain-rule-multiply", 7)
	if err != nil || len(labels) != 3 {
		t.Errorf("chain-rule-multiply: %q, %v; want its three asked quantities", labels, err)
	}
}
