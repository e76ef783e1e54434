package main

import (
	"encoding/json"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gradjudge/internal/app"
)

// lessonDisplay is how the explorer's page writes the lesson network's names.
var lessonDisplay = map[string]string{"x": "x", "y": "y", "w1": "w₁", "b1": "b₁", "w2": "w₂", "b2": "b₂", "h": "h", "r": "r", "yhat": "ŷ", "L": "L"}

// Patterns of the explorer's page at its last step.
var (
	stepRe   = regexp.MustCompile(`data-step>(forward|backward): ([^<]+?)(?: through [^<]+)?</a><br><span class="formula">([^<]+)</span>`)
	updateRe = regexp.MustCompile(`<tr><th scope="row">([^<]+)</th><td class="num">([^<]+)</td><td class="num">([^<]+)</td><td class="num">([^<]+)</td></tr>`)
	lossRe   = regexp.MustCompile(`<strong id="(loss|new-loss)">([^<]+)</strong>`)
)

// TestExplorerMatchesEval: the values and gradients the /explore page shows for the lesson's
// network are those `gradjudge eval` prints for the same graph and numbers: each forward step's
// value, each backward step's gradient, the update table and the loss; and the loss after one
// update is eval's loss on the updated parameters. With the lesson's numbers, and with a closed
// ReLU.
func TestExplorerMatchesEval(t *testing.T) {
	m := startMain(t, t.TempDir(), func(c *ServeConfig) { c.Code = false })
	page := newPageClient(t, m.URL(), "admin@example.edu", testAdminPassword)
	for _, tc := range []struct {
		name  string
		query string
		edit  map[string]float64
	}{
		{"lesson", "", nil},
		{"closed ReLU", "&in.w1=-1&in.x=1.5", map[string]float64{"w1": -1, "x": 1.5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inputs := app.LessonInputs()
			for k, v := range tc.edit {
				inputs[k] = v
			}
			values, grads := evalCLI(t, app.LessonGraph, inputs)
			code, body := page.get("/explore?step=11" + tc.query)
			if code != 200 {
				t.Fatalf("GET /explore: %d", code)
			}
			checkExplorerSteps(t, body, values, grads)
			checkExplorerUpdate(t, body, inputs, values, grads)
		})
	}
}

// evalCLI runs `gradjudge eval --jsonl` on program with inputs and returns its values and
// gradients of scalar nodes.
func evalCLI(t *testing.T, program string, inputs map[string]float64) (values, grads map[string]float64) {
	t.Helper()
	line, _ := json.Marshal(map[string]any{"program": program, "inputs": inputs})
	code, out, errOut := runCLI(t, string(line)+"\n", "eval", "--jsonl")
	var res struct {
		Values, Grads map[string]float64
		Error         any
	}
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || res.Error != nil {
		t.Fatalf("gradjudge eval: exit %d, %v, %s %s", code, err, out, errOut)
	}
	return res.Values, res.Grads
}

// checkExplorerSteps compares each step's number with eval's: a forward step shows its node's
// value, a backward step the gradient of the loss with respect to its name.
func checkExplorerSteps(t *testing.T, body string, values, grads map[string]float64) {
	t.Helper()
	byLabel := map[string]string{}
	for name, label := range lessonDisplay {
		byLabel[label] = name
		byLabel["∂L/∂"+label] = name
	}
	steps := stepRe.FindAllStringSubmatch(body, -1)
	if len(steps) != 11 {
		t.Fatalf("the page shows %d steps, want 11", len(steps))
	}
	for _, s := range steps {
		dir, label, formula := s[1], html.UnescapeString(s[2]), html.UnescapeString(s[3])
		name, ok := byLabel[label]
		if !ok {
			t.Errorf("step %q names nothing of the lesson's graph", label)
			continue
		}
		want := values[name]
		if dir == "backward" {
			want = grads[name]
		}
		// "… = −3.75", or "… = 0 — blocked: …" where a closed gate stops the gradient
		shown := strings.Fields(formula[strings.LastIndex(formula, "=")+1:])
		if len(shown) == 0 {
			t.Errorf("%s %s: no number in %q", dir, label, formula)
			continue
		}
		wantShown(t, dir+" "+label, shown[0], want)
	}
}

// checkExplorerUpdate compares the update table and the losses with eval's.
func checkExplorerUpdate(t *testing.T, body string, inputs, values, grads map[string]float64) {
	t.Helper()
	rows := updateRe.FindAllStringSubmatch(body, -1)
	if len(rows) != 4 {
		t.Fatalf("the update table has %d rows, want 4 parameters", len(rows))
	}
	lr := app.DefaultLearningRate // the page opens with it
	updated := map[string]float64{}
	for k, v := range inputs {
		updated[k] = v
	}
	for _, r := range rows {
		label := html.UnescapeString(r[1])
		name := ""
		for n, l := range lessonDisplay {
			if l == label {
				name = n
			}
		}
		wantShown(t, label+" now", r[2], inputs[name])
		wantShown(t, "∂L/∂"+label, r[3], grads[name])
		updated[name] = inputs[name] - lr*grads[name]
		wantShown(t, label+" after one update", r[4], updated[name])
	}
	after, _ := evalCLI(t, app.LessonGraph, updated)
	losses := lossRe.FindAllStringSubmatch(body, -1)
	if len(losses) != 2 {
		t.Fatalf("the page shows %d losses, want the loss now and after the update", len(losses))
	}
	wantShown(t, "loss now", losses[0][2], values["L"])
	wantShown(t, "loss after the update", losses[1][2], after["L"])
}

// wantShown checks that a number the page shows is want, to the digits it shows.
func wantShown(t *testing.T, what, shown string, want float64) {
	t.Helper()
	text := strings.TrimSpace(strings.ReplaceAll(html.UnescapeString(shown), "−", "-"))
	got, err := strconv.ParseFloat(text, 64)
	if err != nil {
		t.Errorf("%s: the page shows %q, not a number", what, shown)
		return
	}
	digits := 0
	if i := strings.IndexByte(text, '.'); i >= 0 {
		digits = len(text) - i - 1
	}
	if math.Abs(got-want) > 0.5*math.Pow(10, -float64(digits))*(1+1e-9) {
		t.Errorf("%s: the page shows %s, gradjudge eval gives %v", what, text, want)
	}
}
