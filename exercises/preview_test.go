package exercises

import (
	"strings"
	"testing"

	"gradjudge"
)

// TestPreview renders one exercise of each kind: the reference answers are the instance's, a
// belief's prediction is shown where it differs from them, and a choice exercise's options say
// which is correct.
func TestPreview(t *testing.T) {
	c := loadCatalog(t)
	for _, e := range c.All() {
		p, err := c.Preview(e.ID, 11)
		if err != nil {
			t.Fatalf("%s: %v", e.ID, err)
		}
		if p.Variant.ID != e.ID || p.Variant.Seed != 11 || p.Hash != e.Hash || strings.Contains(p.Variant.Statement, "{{") {
			t.Errorf("%s: variant %+v, hash %q", e.ID, p.Variant, p.Hash)
		}
		switch e.Kind {
		case gradjudge.KindChoice:
			correct := 0
			for _, o := range p.Options {
				if o.Correct {
					correct++
				} else if o.Tag == "" {
					t.Errorf("%s: option %s is neither correct nor tagged", e.ID, o.ID)
				}
			}
			if correct != 1 || len(p.Options) != len(e.Options) {
				t.Errorf("%s: %d options, %d correct", e.ID, len(p.Options), correct)
			}
		default:
			// A forward-only exercise has no belief to predict: bug rules change backward rules.
			wantPredictions := e.Code != nil || len(p.Required) > 0
			if len(p.Answers) == 0 || wantPredictions != (len(p.Predictions) > 0) {
				t.Errorf("%s: %d answers, %d predictions, %d required rules", e.ID, len(p.Answers), len(p.Predictions), len(p.Required))
			}
		}
		for _, pred := range p.Predictions {
			if len(pred.Values) != len(p.Answers) || strings.Join(pred.Values, "") == "" {
				t.Errorf("%s: prediction %s has values %q: want one per answer, some set", e.ID, pred.Name, pred.Values)
			}
		}
	}
}

// TestPreviewNumbers checks one variant against the instance it renders: the same answers, and
// the required belief of fan-out (the gradient of one path only) predicting a different ∂L/∂u.
func TestPreviewNumbers(t *testing.T) {
	c := loadCatalog(t)
	in, err := c.Instance("fan-out", 3)
	if err != nil {
		t.Fatal(err)
	}
	p := in.Preview()
	for i, a := range p.Answers {
		if want := FormatTensor(in.Answers[i]); a.Value != want || a.ID != in.Exercise.Quantities[i].ID {
			t.Errorf("answer %d = %+v, want %s = %s", i, a, in.Exercise.Quantities[i].ID, want)
		}
	}
	found := false
	for _, pred := range p.Predictions {
		if pred.Tag == "fanout-not-summed" && !pred.Slip {
			found = true
			du := in.Exercise.Quantity("dL_du")
			if !pred.Required || pred.Values[du] == "" || pred.Values[du] == p.Answers[du].Value {
				t.Errorf("prediction %+v: want it required, with a ∂L/∂u other than %s", pred, p.Answers[du].Value)
			}
		}
	}
	if !found {
		t.Errorf("no fanout-not-summed belief among %d predictions", len(p.Predictions))
	}
}
