package exercises

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

const goodCode = `+++
id = "relu-code"
title = "ReLU backward"
kind = "code"
concepts = ["chain-rule"]
graph = '''
a = relu(z)
L = sum(a * g)
'''
signature = "func ReluBackward(z, g []float64) []float64"
upstream = "g"
cases = 5

[funcs.ReluBackward]
args = ["z", "g"]
results = ["grad(L, z)"]

[params]
z = { min = -2, max = 2, step = 0.5, shape = [3], nonzero = true }
g = { min = -1, max = 1, step = 0.5, shape = [3] }
+++
Write ReluBackward for z = {{z}}.
`

func loadCode(t *testing.T, exercise string, solutions map[string]string) (*Catalog, error) {
	t.Helper()
	fsys := fstest.MapFS{
		"misconceptions.toml":  {Data: []byte(goodMisconceptions)},
		"catalog/relu-code.md": {Data: []byte(exercise)},
	}
	for name, src := range solutions {
		fsys[SolutionDir+"/relu-code/"+name] = &fstest.MapFile{Data: []byte(src)}
	}
	return LoadFS(fsys)
}

func TestLoadCode(t *testing.T) {
	cat, err := loadCode(t, goodCode, map[string]string{
		"wrong.go":     "// want: chain-rule-add\npackage solution\n",
		"reference.go": "// want: accepted\npackage solution\n",
	})
	if err != nil {
		t.Fatalf("a good code exercise: %v", err)
	}
	e, _ := cat.Lookup("relu-code")
	c := e.Code
	if c == nil || len(c.Funcs) != 1 || c.Cases != 5 || c.Upstream != "g" || c.Tolerance.Rel != DefaultCodeRel {
		t.Fatalf("code %+v", c)
	}
	if f := c.Funcs[0]; f.Name != "ReluBackward" || f.Type != "func(z, g []float64) []float64" ||
		!slices.Equal(f.ParamRanks, []int{1, 1}) || !slices.Equal(f.ResultRanks, []int{1}) {
		t.Errorf("func %+v", f)
	}
	if len(c.Solutions) != 2 || c.Solutions[0].Name != "reference" || c.Solutions[1].Tag != "chain-rule-add" {
		t.Errorf("solutions %+v", c.Solutions)
	}
	cases, err := e.CodeCases(3)
	again, _ := e.CodeCases(3)
	if err != nil || len(cases) != 5 || cases[0].Inputs["z"].Data[0] != again[0].Inputs["z"].Data[0] ||
		!slices.Equal(cases[4].Inputs["g"].Data, again[4].Inputs["g"].Data) {
		t.Errorf("cases: %v, %d", err, len(cases))
	}
	v, _ := cat.Variant("relu-code", 3)
	if !slices.Equal(v.Inputs["z"].([]float64), cases[0].Inputs["z"].Data) {
		t.Errorf("case 1 is not the variant: %v vs %v", v.Inputs["z"], cases[0].Inputs["z"].Data)
	}
}

func TestLoadCodeErrors(t *testing.T) {
	for _, tc := range []struct{ name, old, new, want string }{
		{"no funcs table", "[funcs.ReluBackward]", "[funcs.Other]", "has no [funcs.ReluBackward] table"},
		{"arg not an input", `args = ["z", "g"]`, `args = ["z", "a"]`, `"a" is not an input`},
		{"arity", `args = ["z", "g"]`, `args = ["z"]`, "2 parameters and 1 results"},
		{"unsupported type", "(z, g []float64) []float64", "(z, g []int) []float64", "only float64"},
		{"rank", "(z, g []float64) []float64", "(z, g []float64) float64", "its Go type has rank 0"},
		{"unexported", "func ReluBackward", "func reluBackward", "exported name"},
		{"bad result", `results = ["grad(L, z)"]`, `results = ["grad(L, q)"]`, "results"},
		{"upstream", `upstream = "g"`, `upstream = "a"`, "upstream"},
		{"cases", "cases = 5", "cases = 1000", "cases = 1000"},
		{"gradcheck", `results = ["grad(L, z)"]`, "results = [\"grad(L, z)\"]\ngradcheck = \"ReluBackward\"", "gradcheck"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadCode(t, strings.Replace(goodCode, tc.old, tc.new, 1), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
	_, err := loadCode(t, goodCode, map[string]string{"x.go": "package solution\n"})
	if err == nil || !strings.Contains(err.Error(), "want:") {
		t.Errorf("a solution without a want line: got %v", err)
	}
	_, err = loadCode(t, goodCode, map[string]string{"x.go": "// want: no-such-tag\npackage solution\n"})
	if err == nil || !strings.Contains(err.Error(), "no-such-tag") {
		t.Errorf("a solution with an unknown tag: got %v", err)
	}
}

// TestCatalogCodeExercises checks that the embedded catalog has at least nine code exercises,
// each with a reference solution and known-wrong ones.
func TestCatalogCodeExercises(t *testing.T) {
	cat, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range cat.All() {
		if e.Code == nil {
			continue
		}
		n++
		if len(e.Code.Solutions) < 2 || e.Code.Solutions[0].Tag != "" || e.Code.Solutions[1].Tag == "" {
			t.Errorf("%s: want a reference and known-wrong solutions, got %d", e.ID, len(e.Code.Solutions))
		}
		if v, _ := cat.Variant(e.ID, 1); v.Signature == "" || !strings.Contains(v.Starter, "package solution") {
			t.Errorf("%s: the variant has no signature or starter", e.ID)
		}
	}
	if n < 9 {
		t.Errorf("got %d code exercises, want at least 9", n)
	}
}
