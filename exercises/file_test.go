package exercises

import (
	"strings"
	"testing"
	"testing/fstest"
)

const goodExercise = `+++
id = "tiny"
title = "Tiny"
kind = "numeric"
concepts = ["chain-rule"]
graph = '''
y = k * x
'''

[params]
k = { min = 2, max = 5, step = 1 }
x = { values = [1, 2] }

[[ask]]
id = "dy_dx"
label = "∂y/∂x"
expr = "grad(y, x)"
+++
y = {{k}}·x at x = {{x}}.
`

const goodMisconceptions = `
[[concept]]
id = "chain-rule"
title = "The chain rule"

[[misconception]]
tag = "chain-rule-add"
title = "Added"
concept = "chain-rule"
explanation = "One sentence. Two sentences."
`

func loadOne(t *testing.T, name, exercise string) error {
	t.Helper()
	_, err := LoadFS(fstest.MapFS{
		"misconceptions.toml": {Data: []byte(goodMisconceptions)},
		"catalog/" + name:     {Data: []byte(exercise)},
	})
	return err
}

func TestLoadFS(t *testing.T) {
	if err := loadOne(t, "tiny.md", goodExercise); err != nil {
		t.Fatalf("a good exercise: %v", err)
	}
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"no front matter", "+++\nid", "id", "must start with a line +++"},
		{"unknown key", `kind = "numeric"`, "kind = \"numeric\"\ncolour = 1", "colour"},
		{"id differs from file", `id = "tiny"`, `id = "other"`, "differs from the file name"},
		{"unknown kind", `kind = "numeric"`, `kind = "essay"`, `kind "essay"`},
		{"unknown concept", `["chain-rule"]`, `["magic"]`, `concept "magic"`},
		{"graph error", "y = k * x", "y = k * * x", "graph:"},
		{"input without params", "x = { values = [1, 2] }", "", "the graph input x has no distribution"},
		{"bad quantity", `expr = "grad(y, x)"`, `expr = "grad(y, q)"`, `expr "grad(y, q)"`},
		{"placeholder not a param", "at x = {{x}}", "at x = {{z}}", "{{z}} is not a parameter"},
		{"bad step", "step = 1 }", "step = 0 }", "param k"},
		{"bad tolerance", `expr = "grad(y, x)"`, "expr = \"grad(y, x)\"\ntolerance = { rel = -1, abs = 0 }", "tolerance"},
		{"unknown rule", `kind = "numeric"`, "kind = \"numeric\"\nrules = [\"magic\"]", `"magic" is not a built-in bug rule`},
		{"unknown tag", "+++\ny =", "[[bug]]\nask = \"dy_dx\"\nexpr = \"k\"\ntag = \"magic\"\n+++\ny =", `tag "magic"`},
		{"never discriminating", "+++\ny =", "[[bug]]\nask = \"dy_dx\"\nexpr = \"k\"\ntag = \"chain-rule-add\"\n+++\ny =", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(goodExercise, tc.old, tc.new, 1)
			err := loadOne(t, "tiny.md", src)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("loads with an error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestBadlyAuthored(t *testing.T) {
	// The author rule predicts exactly the right answer: no variant can tell it apart.
	src := strings.Replace(goodExercise, "+++\ny =", "[[bug]]\nask = \"dy_dx\"\nexpr = \"k\"\ntag = \"chain-rule-add\"\n+++\ny =", 1)
	c, err := LoadFS(fstest.MapFS{
		"misconceptions.toml": {Data: []byte(goodMisconceptions)},
		"catalog/tiny.md":     {Data: []byte(src)},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Variant("tiny", 1)
	if err == nil || !strings.Contains(err.Error(), "badly authored") || !strings.Contains(err.Error(), "chain-rule-add") {
		t.Errorf("error %v, want a badly authored exercise naming the rule", err)
	}
}

func TestMisconceptionFile(t *testing.T) {
	for _, tc := range []struct{ name, old, new string }{
		{"one sentence", "One sentence. Two sentences.", "Only one."},
		{"unknown concept", `concept = "chain-rule"`, `concept = "magic"`},
		{"bad tag", `tag = "chain-rule-add"`, `tag = "Chain Rule"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parseMisconceptions([]byte(strings.Replace(goodMisconceptions, tc.old, tc.new, 1))); err == nil {
				t.Error("no error")
			}
		})
	}
}
