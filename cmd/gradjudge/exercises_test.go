package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gradjudge"
	"gradjudge/exercises"
)

func TestExercisesList(t *testing.T) {
	code, out, errs := runCLI(t, "", "exercises", "list")
	if code != 0 || !strings.Contains(out, "single-neuron-relu-backward") {
		t.Fatalf("exit %d, out %q, err %q", code, out, errs)
	}
	code, out, _ = runCLI(t, "", "exercises", "list", "--json")
	var list []gradjudge.Exercise
	if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil || len(list) < 16 {
		t.Fatalf("--json: exit %d, %d exercises, %v", code, len(list), err)
	}
}

func TestExercisesShow(t *testing.T) {
	code, out, _ := runCLI(t, "", "exercises", "show", "two-layer-network", "--seed", "7", "--json")
	var v gradjudge.Variant
	if err := json.Unmarshal([]byte(out), &v); code != 0 || err != nil {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	if v.ID != "two-layer-network" || v.Seed != 7 || len(v.Quantities) == 0 || v.Inputs["w1"] == nil ||
		strings.Contains(v.Statement, "{{") {
		t.Errorf("variant %+v", v)
	}
	code, out, _ = runCLI(t, "", "exercises", "show", "layer-one-gradient", "--seed", "1")
	if code != 0 || !strings.Contains(out, "options:") || !strings.Contains(out, "whole-network") {
		t.Errorf("choice show: exit %d\n%s", code, out)
	}
	if code, _, errs := runCLI(t, "", "exercises", "show", "no-such-exercise"); code != 1 || !strings.Contains(errs, "no exercise") {
		t.Errorf("unknown id: exit %d, %q", code, errs)
	}
	if code, _, _ := runCLI(t, "", "exercises", "show"); code != 2 {
		t.Errorf("no id: exit %d, want 2", code)
	}
}

// TestExercisesValidate runs the CLI without building code: judge's TestCodeSolutions builds the
// solutions through the same Validate.
func TestExercisesValidate(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	codeExercises := 0
	for _, e := range cat.All() {
		if e.Code != nil {
			codeExercises++
		}
	}
	code, out, errs := runCLI(t, "", "exercises", "validate", "--seeds", "3", "--no-code")
	if code != 0 || !strings.Contains(out, "× 3 seeds") || !strings.Contains(out, ": ok") ||
		!strings.Contains(out, fmt.Sprintf("shipped solutions of the %d code exercises were not built", codeExercises)) ||
		!strings.Contains(out, "two beliefs at once") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
}

func referenceJSON(t *testing.T, id string, seed uint64) string {
	t.Helper()
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	in, err := cat.Instance(id, seed)
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]any{}
	for i, q := range in.Exercise.Quantities {
		fields[q.ID] = in.Answers[i].Nested()
	}
	b, _ := json.Marshal(fields)
	return string(b)
}

func TestGrade(t *testing.T) {
	for _, tc := range []struct {
		name, id, stdin string
		code            int
		status          gradjudge.Status
	}{
		{"reference", "vector-linear-layer", referenceJSON(t, "vector-linear-layer", 5), 0, gradjudge.StatusAccepted},
		{"unreadable field", "single-neuron-forward", `{"z": "1,5", "a": 1, "L": 2}`, 0, gradjudge.StatusInvalid},
		{"choice right", "layer-one-gradient", `{"choice": "local-and-upstream"}`, 0, gradjudge.StatusAccepted},
		{"choice wrong", "layer-one-gradient", `{"choice": "whole-network"}`, 0, gradjudge.StatusWrongAnswer},
		{"not JSON", "single-neuron-forward", `z = 1`, 2, ""},
		{"unknown exercise", "nope", `{}`, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCLI(t, tc.stdin, "grade", tc.id, "--seed", "5", "--json")
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, errs)
			}
			if tc.status == "" {
				return
			}
			var v struct {
				Status         gradjudge.Status `json:"status"`
				Misconceptions []string         `json:"misconceptions"`
			}
			if err := json.Unmarshal([]byte(out), &v); err != nil || v.Status != tc.status {
				t.Errorf("status %q (%v), want %q: %s", v.Status, err, tc.status, out)
			}
		})
	}
}

func TestGradeText(t *testing.T) {
	code, out, _ := runCLI(t, `{"choice": "own-forward-pass"}`, "grade", "layer-one-gradient")
	if code != 0 || !strings.Contains(out, "status: wrong_answer") || !strings.Contains(out, "naive-one-pass-per-parameter") {
		t.Errorf("exit %d\n%s", code, out)
	}
}
