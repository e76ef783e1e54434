package autograd

import (
	"bufio"
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"
)

// vector is one line of testdata/gradients.jsonl: values and gradients computed by PyTorch 1.13.
type vector struct {
	Name    string                     `json:"name"`
	Program string                     `json:"program"`
	Output  string                     `json:"output"`
	Inputs  json.RawMessage            `json:"inputs"`
	Values  map[string]json.RawMessage `json:"values"`
	Grads   map[string]json.RawMessage `json:"grads"`
	Error   Kind                       `json:"error"`
}

func readVectors(t testing.TB, path string) []vector {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open vectors: %v", err)
	}
	defer f.Close()
	var out []vector
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var v vector
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("vector line %d: %v", len(out)+1, err)
		}
		out = append(out, v)
	}
	return out
}

func mustTensor(t testing.TB, raw json.RawMessage) Tensor {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	x, err := TensorFromJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// closeEnough is the vectors' agreement rule: relative error 1e-9, absolute 1e-12 near zero.
func closeEnough(got, want float64) bool {
	return math.Abs(got-want) <= 1e-12 || math.Abs(got-want) <= 1e-9*math.Abs(want)
}

func compareTensor(t *testing.T, what string, got, want Tensor) {
	t.Helper()
	if len(got.Data) != len(want.Data) || (!SameShape(got.Shape, want.Shape) && !(got.IsScalar() && want.IsScalar())) {
		t.Errorf("%s: shape %s, want %s", what, ShapeString(got.Shape), ShapeString(want.Shape))
		return
	}
	for k := range want.Data {
		if !closeEnough(got.Data[k], want.Data[k]) {
			t.Errorf("%s[%d] = %.17g, want %.17g", what, k, got.Data[k], want.Data[k])
		}
	}
}

func TestPyTorchVectors(t *testing.T) {
	vectors := readVectors(t, "../testdata/gradients.jsonl")
	if len(vectors) != 400 {
		t.Fatalf("read %d vectors, want 400", len(vectors))
	}
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			inputs, err := DecodeInputs(v.Inputs)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Eval(v.Program, inputs, v.Output)
			if err != nil {
				t.Fatalf("Eval: %v\n%s", err, v.Program)
			}
			for name, raw := range v.Values {
				compareTensor(t, "value "+name, res.Values[name], mustTensor(t, raw))
			}
			for name, raw := range v.Grads {
				compareTensor(t, "grad "+name, res.Grads[name], mustTensor(t, raw))
			}
			if len(res.Grads) != len(v.Grads) || len(res.Values) != len(v.Values) {
				t.Errorf("got %d values and %d grads, want %d and %d", len(res.Values), len(res.Grads), len(v.Values), len(v.Grads))
			}
		})
	}
}

func TestInvalidVectors(t *testing.T) {
	for _, v := range readVectors(t, "../testdata/invalid.jsonl") {
		t.Run(v.Program, func(t *testing.T) {
			inputs, err := DecodeInputs(v.Inputs)
			if err == nil {
				_, err = Eval(v.Program, inputs, "")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an error of kind %s", err, v.Error)
			}
			if e.Kind != v.Error {
				t.Errorf("kind = %s (%v), want %s", e.Kind, err, v.Error)
			}
			if e.Msg == "" {
				t.Errorf("empty message")
			}
		})
	}
}
