package exercises

import (
	"encoding/json"
	"strings"
	"testing"

	"gradjudge"
	"gradjudge/autograd"
)

func loadCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoadEmbedded(t *testing.T) {
	c := loadCatalog(t)
	if n := len(c.Exercises()); n < 16 {
		t.Errorf("the catalog has %d exercises, want at least 16", n)
	}
	for _, e := range c.All() {
		names := make([]string, len(e.Required))
		for i, r := range e.Required {
			names[i] = r.Name
		}
		t.Logf("%-32s required %v", e.ID, names)
	}
}

// designTags is the misconception vocabulary of DESIGN.md.
var designTags = []string{
	"chain-rule-add", "upstream-gradient-dropped", "local-factor-dropped", "relu-gate-ignored",
	"sigmoid-derivative-wrong", "tanh-derivative-wrong", "square-factor-dropped", "loss-sign-flipped",
	"mean-factor-dropped", "fanout-not-summed", "matmul-not-transposed", "bias-not-summed",
	"softmax-ce-wrong", "update-instead-of-gradient", "update-sign-flipped", "forward-value-wrong",
	"naive-one-pass-per-parameter", "global-information",
}

func TestMisconceptionCatalogCoversDesign(t *testing.T) {
	c := loadCatalog(t)
	for _, tag := range designTags {
		if _, ok := c.Misconception(tag); !ok {
			t.Errorf("tag %s is missing from misconceptions.toml", tag)
		}
	}
	for _, r := range autograd.BugRules() {
		if _, ok := c.Misconception(r.Tag); !ok {
			t.Errorf("bug rule %s: tag %s is missing from misconceptions.toml", r.Name, r.Tag)
		}
	}
}

func TestCatalogCoversTheLesson(t *testing.T) {
	c := loadCatalog(t)
	concepts := map[string]bool{}
	for _, e := range c.All() {
		for _, k := range e.Concepts {
			concepts[k] = true
		}
	}
	for _, k := range c.Concepts() {
		if !concepts[k.ID] {
			t.Errorf("no exercise teaches concept %s", k.ID)
		}
	}
	// The lesson's three named misconceptions must each be reachable by some exercise.
	reachable := map[string]bool{}
	for _, e := range c.All() {
		for _, o := range e.Options {
			reachable[o.Tag] = true
		}
		for _, r := range e.AuthorRules {
			reachable[r.Tag] = true
		}
	}
	for _, tag := range []string{"naive-one-pass-per-parameter", "update-instead-of-gradient", "global-information", "update-sign-flipped"} {
		if !reachable[tag] {
			t.Errorf("no exercise diagnoses %s", tag)
		}
	}
}

func TestVariantHidesAnswers(t *testing.T) {
	c := loadCatalog(t)
	v, err := c.Variant("single-neuron-relu-backward", 3)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := v.Statement, "with w = -1, x = -1.5, b = -1 and target y = 1."; !strings.Contains(got, want) {
		t.Errorf("statement does not contain %q:\n%s", want, got)
	}
	b, _ := json.Marshal(v)
	for _, hidden := range []string{"answers", "Answers", "-0.5"} { // z = 0.5, ∂L/∂a = −1 here
		if strings.Contains(string(b), hidden) {
			t.Errorf("the variant's JSON contains %q: %s", hidden, b)
		}
	}
	if _, err := c.Variant("no-such-exercise", 1); gradjudge.ErrorCode(err) != gradjudge.ENOTFOUND {
		t.Errorf("unknown id: %v, want ENOTFOUND", err)
	}
}

// TestQuantityStands: what each exact quantity can stand in for when a student's later answers are
// replayed: a value, a gradient of its output, or one statement's local derivative.
func TestQuantityStands(t *testing.T) {
	c := loadCatalog(t)
	for _, tc := range []struct {
		exercise, id, of, stands string
		local                    bool
	}{
		{"single-neuron-relu-backward", "z", "", "z", false},
		{"single-neuron-relu-backward", "dL_dz", "L", "z", false},
		{"single-neuron-relu-backward", "da_dz", "a", "z", true},
		{"single-neuron-sigmoid-backward", "da_dz", "a", "z", true},
		{"local-times-local", "dh_dw", "h", "w", true},
		{"fan-out", "dq_du", "q", "u", true},
		{"vanishing-gradients", "ds3_dw1", "s3", "w1", false}, // s3 reads w1 only through s2
		{"vanishing-gradients", "ratio", "s3", "", false},
	} {
		e, err := c.Lookup(tc.exercise)
		if err != nil {
			t.Fatal(err)
		}
		i := e.Quantity(tc.id)
		if i < 0 {
			t.Fatalf("%s asks no %s", tc.exercise, tc.id)
		}
		q := e.Quantities[i]
		if q.Of != tc.of || q.Stands != tc.stands || q.Local != tc.local {
			t.Errorf("%s %s: of %q, stands %q, local %v; want %q, %q, %v",
				tc.exercise, tc.id, q.Of, q.Stands, q.Local, tc.of, tc.stands, tc.local)
		}
	}
}
