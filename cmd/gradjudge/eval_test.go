package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEvalTable(t *testing.T) {
	prog := writeFile(t, "neuron.g", "z = w*x + b\na = relu(z)\nL = (y - a)^2\n")
	code, out, errOut := runCLI(t, "", "eval", prog, "--inputs", `{"w": 0.5, "x": 2, "b": 0.1, "y": 1}`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"node  kind    shape   value  dL/d node",
		"w     input   scalar  0.5    0.4",
		"z     node    scalar  1.1    0.2",
		"L     output  scalar  0.01   1",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestEvalInputsFile(t *testing.T) {
	prog := writeFile(t, "p.g", "L = sum(W @ x)")
	inputs := writeFile(t, "in.json", `{"W": [[1, 2], [3, 4]], "x": [1, 1]}`)
	code, out, errOut := runCLI(t, "", "eval", prog, "--inputs-file", inputs)
	if code != 0 || !strings.Contains(out, "x     input   (2)     [1, 1]            [4, 6]") {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", code, out, errOut)
	}
}

func TestEvalErrorShowsLineAndCaret(t *testing.T) {
	prog := writeFile(t, "bad.g", "z = w*x\nL = 2 * reLU(z)\n")
	code, _, errOut := runCLI(t, "", "eval", prog, "--inputs", `{"w": 1, "x": 1}`)
	want := "bad.g:2:9: unknown_function error: `reLU` is not a function; did you mean `relu`?\n" +
		"    L = 2 * reLU(z)\n" +
		"            ^\n"
	if code != 1 || !strings.HasSuffix(errOut, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant suffix:\n%s", code, errOut, want)
	}
}

func TestEvalJSONLKeepsGoingAfterBadLines(t *testing.T) {
	stdin := strings.Join([]string{
		`{"program": "z = w*x\nL = sum(z)", "inputs": {"w": 2, "x": [1, 2]}}`,
		`this is not json`,
		`{"program": "L = relu(w, w)", "inputs": {"w": 1}}`,
		`{"program": "L = w*x", "inputs": {"w": 1, "x": [[1, 2], [3]]}}`,
		``,
		`{"program": "L = a*b", "inputs": {"a": 3, "b": 4}, "output": "L"}`,
	}, "\n")
	code, out, errOut := runCLI(t, stdin, "eval", "--jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{
		`{"values":{"L":6,"z":[2,4]},"grads":{"L":1,"w":3,"x":[2,2],"z":[1,1]}}`,
		`bad_input`,
		`{"error":{"kind":"arity","message":"` + "`relu`" + ` takes 1 argument as in relu(x); got 2","line":1,"col":5}}`,
		`bad_input`,
		`{"values":{"L":12},"grads":{"L":1,"a":4,"b":3}}`,
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d = %s, want it to contain %s", i+1, lines[i], w)
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &v); err != nil {
			t.Errorf("line %d is not JSON: %v", i+1, err)
		}
	}
}

func TestHelpAndUnknownCommand(t *testing.T) {
	if code, out, _ := runCLI(t, "", "help"); code != 0 || !strings.Contains(out, "eval") {
		t.Errorf("help: exit %d, %s", code, out)
	}
	if code, _, errOut := runCLI(t, "", "eval", "--help"); code != 0 || !strings.Contains(errOut, "--jsonl") && !strings.Contains(errOut, "-jsonl") {
		t.Errorf("eval --help: exit %d, %s", code, errOut)
	}
	if code, _, _ := runCLI(t, "", "nonsense"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
}

// TestEveryCommandHasHelp: every subcommand, and every command of a group, answers --help with
// its usage and exit code 0.
func TestEveryCommandHasHelp(t *testing.T) {
	var lines []string
	for name := range commands() {
		lines = append(lines, name)
	}
	lines = append(lines, "exercises list", "exercises show", "exercises validate", "users add", "users list")
	for _, line := range lines {
		args := append(strings.Fields(line), "--help")
		code, out, errOut := runCLI(t, "", args...)
		if code != 0 || !strings.Contains(out+errOut, "usage: gradjudge "+strings.Fields(line)[0]) {
			t.Errorf("%s --help: exit %d, output %q", line, code, out+errOut)
		}
	}
}
