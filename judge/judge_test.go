package judge

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"testing/fstest"

	"gradjudge"
	"gradjudge/exercises"
)

const codeExercise = `+++
id = "code-neuron"
title = "Write the backward pass"
kind = "code"
concepts = ["backward-pass"]
signature = "func Backward(w, x float64) float64"
graph = '''
L = w*x
'''

[params]
w = { values = [1, 2] }
x = { values = [3] }

[funcs.Backward]
args = ["w", "x"]
results = ["grad(L, w)"]
+++
Write the backward pass of L = w·x.
`

// fakeCode is a hand-written CodeGrader that records what it was given.
type fakeCode struct {
	id, code string
}

func (f *fakeCode) GradeCode(_ context.Context, in *exercises.Instance, code string) (gradjudge.Verdict, error) {
	f.id, f.code = in.Exercise.ID, code
	return gradjudge.Verdict{Status: gradjudge.StatusAccepted, Score: 1}, nil
}

func codeCatalog(t *testing.T) *exercises.Catalog {
	t.Helper()
	miscs, err := os.ReadFile("../exercises/misconceptions.toml")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := exercises.LoadFS(fstest.MapFS{
		"misconceptions.toml":    {Data: miscs},
		"catalog/code-neuron.md": {Data: []byte(codeExercise)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestCodeExercises(t *testing.T) {
	cat := codeCatalog(t)
	j, _ := New(cat, nil)
	v, err := j.Grade(context.Background(), "code-neuron", 1, gradjudge.Answer{Code: "package main"})
	if gradjudge.ErrorCode(err) != gradjudge.EINTERNAL || v.Status != gradjudge.StatusInternalError {
		t.Errorf("without a code grader: %v, %v; want an internal error", v.Status, err)
	}
	var e *gradjudge.Error
	if !errors.As(err, &e) || e.Message != "code exercises are not available" {
		t.Errorf("error %v", err)
	}
	fake := &fakeCode{}
	j, _ = New(cat, fake)
	v, err = j.Grade(context.Background(), "code-neuron", 1, gradjudge.Answer{Code: "package main"})
	if err != nil || v.Status != gradjudge.StatusAccepted || fake.id != "code-neuron" || fake.code != "package main" {
		t.Errorf("with a code grader: %v, %v, %+v", v.Status, err, fake)
	}
	variant, _ := cat.Variant("code-neuron", 1)
	if variant.Signature != "func Backward(w, x float64) float64" || variant.Graph == "" {
		t.Errorf("code variant %+v", variant)
	}
}

func TestGradeErrors(t *testing.T) {
	if _, err := New(nil, nil); err == nil {
		t.Error("New without a catalog: no error")
	}
	j := newJudge(t)
	if _, err := j.Grade(context.Background(), "nope", 1, gradjudge.Answer{}); gradjudge.ErrorCode(err) != gradjudge.ENOTFOUND {
		t.Errorf("unknown exercise: %v, want ENOTFOUND", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := j.Grade(ctx, "single-neuron-forward", 1, gradjudge.Answer{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestGradeNumeric(t *testing.T) {
	j := newJudge(t)
	// single-neuron-forward, seed 3: w = -1, x = -2, b = 0.5, y = 0, so z = 2.5, a = 2.5, L = 6.25.
	for _, tc := range []struct {
		name   string
		fields string
		status gradjudge.Status
		score  float64
	}{
		{"right", `{"z": "5/2", "a": 2.5, "L": "6.25"}`, gradjudge.StatusAccepted, 1},
		{"one wrong", `{"z": 2.5, "a": 2.5, "L": 6}`, gradjudge.StatusPartial, 2.0 / 3},
		{"all wrong", `{"z": 1, "a": 2, "L": 3}`, gradjudge.StatusWrongAnswer, 0},
		{"missing", `{"z": 2.5, "a": 2.5}`, gradjudge.StatusInvalid, 0},
		{"not asked", `{"z": 2.5, "a": 2.5, "L": 6.25, "w": 1}`, gradjudge.StatusInvalid, 0},
		{"vector for a number", `{"z": [2.5, 1], "a": 2.5, "L": 6.25}`, gradjudge.StatusPartial, 2.0 / 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fields map[string]json.RawMessage
			if err := json.Unmarshal([]byte(tc.fields), &fields); err != nil {
				t.Fatal(err)
			}
			v, err := j.Grade(context.Background(), "single-neuron-forward", 3, gradjudge.Answer{Fields: fields})
			if err != nil {
				t.Fatal(err)
			}
			if v.Status != tc.status || v.Score != tc.score {
				t.Errorf("got %s %.3f, want %s %.3f: %+v", v.Status, v.Score, tc.status, tc.score, v)
			}
			if !tc.status.CountsAsAttempt() && len(v.Results) == 0 {
				t.Error("an invalid verdict without a message per field")
			}
		})
	}
}

func TestChoice(t *testing.T) {
	j := newJudge(t)
	for _, tc := range []struct {
		choice string
		status gradjudge.Status
		tag    string
	}{
		{"computes-then-uses", gradjudge.StatusAccepted, ""},
		{"alternative", gradjudge.StatusWrongAnswer, "update-instead-of-gradient"},
		{"", gradjudge.StatusInvalid, ""},
		{"z", gradjudge.StatusInvalid, ""},
	} {
		v, err := j.Grade(context.Background(), "backprop-vs-gradient-descent", 9, gradjudge.Answer{Choice: tc.choice})
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != tc.status || (tc.tag != "" && (len(v.Misconceptions) != 1 || v.Misconceptions[0] != tc.tag)) {
			t.Errorf("%q: %s %v, want %s %s", tc.choice, v.Status, v.Misconceptions, tc.status, tc.tag)
		}
	}
}
