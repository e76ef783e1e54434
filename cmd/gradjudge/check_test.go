package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gradjudge"
)

// TestCheck grades the reference and a known-wrong solution of a code exercise through the CLI,
// with a build cache of its own (the first build warms it: tens of seconds).
func TestCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go to WebAssembly")
	}
	dir := t.TempDir()
	cache := filepath.Join(dir, "gocache")
	sol := filepath.Join("..", "..", "exercises", "testdata", "solutions", "code-relu-backward")
	code, out, errs := runCLI(t, "", "check", filepath.Join(sol, "reference.go"), "--exercise", "code-relu-backward",
		"--seed", "4", "--gocache", cache)
	if code != 0 || !strings.Contains(out, "status: accepted") || !strings.Contains(out, "timings:") {
		t.Fatalf("reference: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "check", filepath.Join(sol, "relu-gate-ignored.go"), "--exercise", "code-relu-backward",
		"--seed", "4", "--gocache", cache, "--json")
	var v gradjudge.Verdict
	if err := json.Unmarshal([]byte(out), &v); code != 1 || err != nil || v.Status != gradjudge.StatusWrongAnswer ||
		len(v.Misconceptions) != 1 || v.Misconceptions[0] != "relu-gate-ignored" {
		t.Errorf("known-wrong: exit %d, %v, %+v\n%s", code, err, v, errs)
	}
	// The sandbox limits are flags, as on the server: a run may not take a nanosecond.
	code, out, errs = runCLI(t, "", "check", filepath.Join(sol, "reference.go"), "--exercise", "code-relu-backward",
		"--seed", "4", "--gocache", cache, "--code-run-time", "1ns")
	if code != 1 || !strings.Contains(out, "status: time_limit") {
		t.Errorf("--code-run-time 1ns: exit %d\n%s\n%s", code, out, errs)
	}
	code, _, errs = runCLI(t, "", "check", filepath.Join(sol, "reference.go"), "--exercise", "code-relu-backward",
		"--gocache", cache, "--code-memory-mib", "5000")
	if code != 2 || !strings.Contains(errs, "--code-memory-mib must be from 0 to 4096; got 5000") {
		t.Errorf("--code-memory-mib 5000: exit %d, %q", code, errs)
	}
	bad := filepath.Join(dir, "bad.go")
	os.WriteFile(bad, []byte("package solution\n\nimport \"os\"\n\nvar _ = os.Exit\n"), 0o600)
	code, out, _ = runCLI(t, "", "check", bad, "--exercise", "code-relu-backward", "--gocache", cache)
	if code != 1 || !strings.Contains(out, "compile_error") || !strings.Contains(out, "solution.go:3:8") {
		t.Errorf("import os: exit %d\n%s", code, out)
	}
	if code, _, errs := runCLI(t, "", "check", bad, "--exercise", "two-layer-network", "--gocache", cache); code != 1 ||
		!strings.Contains(errs, "gradjudge grade") {
		t.Errorf("numeric exercise: exit %d, %q", code, errs)
	}
}
