package autograd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// Result is a whole evaluation: the value of every assigned name and the gradient of the output
// with respect to every input and assigned name.
type Result struct {
	Output string
	Graph  *Graph
	Inputs map[string]Tensor // every input's value
	Values map[string]Tensor // every assigned name
	Grads  map[string]Tensor // every input and assigned name
}

// Eval parses src, evaluates it on inputs and differentiates output (the last assigned name when
// output is ""). Its error, when not nil, is an *Error.
func Eval(src string, inputs map[string]Tensor, output string) (*Result, error) {
	g, err := Parse(src)
	if err != nil {
		return nil, err
	}
	if output == "" {
		output = g.Output()
	} else if !g.Has(output) {
		return nil, errorf(KindUndefined, Pos{}, "the output `%s` is not a name of the program", output)
	}
	run, err := g.Forward(inputs)
	if err != nil {
		return nil, err
	}
	grads, err := run.Gradients(output, Application{})
	if err != nil {
		return nil, err
	}
	res := &Result{Output: output, Graph: g, Inputs: map[string]Tensor{}, Values: map[string]Tensor{}, Grads: grads}
	for _, name := range g.Inputs() {
		res.Inputs[name], _ = run.Value(name)
	}
	for _, name := range g.Names() {
		res.Values[name], _ = run.Value(name)
	}
	for name, t := range inputs {
		if !g.Has(name) {
			res.Grads[name] = Full(t.Shape, 0) // given but unused: the output does not depend on it
		}
	}
	return res, nil
}

// DecodeInputs decodes a JSON object mapping input names to a number, a list of numbers or a list
// of equal-length lists of numbers. Its error, when not nil, is an *Error of kind bad_input naming
// the offending input.
func DecodeInputs(data []byte) (map[string]Tensor, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, errorf(KindBadInput, Pos{}, "the inputs must be a JSON object such as {\"w\": 0.5, \"x\": [1, 2]}: %v", err)
	}
	out := make(map[string]Tensor, len(raw))
	for name, v := range raw {
		t, err := TensorFromJSON(v)
		if err != nil {
			return nil, errorf(KindBadInput, Pos{}, "input `%s`: %s", name, err.Error())
		}
		out[name] = t
	}
	return out, nil
}

// TensorFromJSON converts a decoded JSON value (a number, a list of numbers or a rectangular list
// of lists; numbers as float64 or json.Number) into a tensor. Its error says what is wrong.
func TensorFromJSON(v any) (Tensor, error) {
	list, isList := v.([]any)
	if !isList {
		x, err := jsonNumber(v)
		return Scalar(x), err
	}
	if len(list) == 0 {
		return Tensor{}, fmt.Errorf("an empty list has no values")
	}
	if _, nested := list[0].([]any); !nested {
		return numberRow(list)
	}
	t := Tensor{Shape: []int{len(list), 0}}
	for i, rowV := range list {
		row, ok := rowV.([]any)
		if !ok {
			return Tensor{}, fmt.Errorf("row %d is not a list: a matrix is a list of equal-length lists", i+1)
		}
		r, err := numberRow(row)
		if err != nil {
			return Tensor{}, fmt.Errorf("row %d: %w", i+1, err)
		}
		if i > 0 && len(r.Data) != t.Shape[1] {
			return Tensor{}, fmt.Errorf("row %d has %d numbers but row 1 has %d: a matrix needs equal-length rows", i+1, len(r.Data), t.Shape[1])
		}
		t.Shape[1] = len(r.Data)
		t.Data = append(t.Data, r.Data...)
	}
	return t, nil
}

func numberRow(list []any) (Tensor, error) {
	if len(list) == 0 {
		return Tensor{}, fmt.Errorf("an empty list has no values")
	}
	t := Tensor{Shape: []int{len(list)}, Data: make([]float64, len(list))}
	for i, e := range list {
		x, err := jsonNumber(e)
		if err != nil {
			return Tensor{}, fmt.Errorf("element %d: %w", i+1, err)
		}
		t.Data[i] = x
	}
	return t, nil
}

func jsonNumber(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return 0, fmt.Errorf("%s is too large for float64", x)
		}
		return f, nil
	case []any:
		return 0, fmt.Errorf("lists nest at most two deep (a matrix)")
	}
	return 0, fmt.Errorf("%s is not a number", describeJSON(v))
}

func describeJSON(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 40 {
		b = append(b[:40], "..."...)
	}
	return string(b)
}

// EvalRequest is the wire form of one evaluation, as read by `gradjudge eval --jsonl` and the
// graph evaluation endpoint.
type EvalRequest struct {
	Program string          `json:"program"`
	Inputs  json.RawMessage `json:"inputs"`
	Output  string          `json:"output,omitempty"`
}

// EvalResponse is the wire form of an evaluation: values and gradients as numbers or nested
// lists, or an error.
type EvalResponse struct {
	Values map[string]any `json:"values,omitempty"`
	Grads  map[string]any `json:"grads,omitempty"`
	Error  *ErrorJSON     `json:"error,omitempty"`
}

// ErrorJSON is the wire form of an *Error; Line and Col are 0 when the error has no position.
type ErrorJSON struct {
	Kind    Kind   `json:"kind"`
	Message string `json:"message"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
}

// Serve evaluates one request into its wire response; every failure becomes an error object.
func (req EvalRequest) Serve() EvalResponse {
	inputs := map[string]Tensor{}
	var err error
	if len(bytes.TrimSpace(req.Inputs)) > 0 && string(bytes.TrimSpace(req.Inputs)) != "null" {
		inputs, err = DecodeInputs(req.Inputs)
	}
	var res *Result
	if err == nil {
		res, err = Eval(req.Program, inputs, req.Output)
	}
	if err != nil {
		return EvalResponse{Error: ToErrorJSON(err)}
	}
	resp := EvalResponse{Values: map[string]any{}, Grads: map[string]any{}}
	for name, t := range res.Values {
		resp.Values[name] = t.Nested()
	}
	for name, t := range res.Grads {
		resp.Grads[name] = t.Nested()
	}
	return resp
}

// ToErrorJSON converts an error from this package to its wire form; any other error becomes kind
// bad_input with its message.
func ToErrorJSON(err error) *ErrorJSON {
	var e *Error
	if errors.As(err, &e) {
		return &ErrorJSON{Kind: e.Kind, Message: e.Msg, Line: e.Pos.Line, Col: e.Pos.Col}
	}
	return &ErrorJSON{Kind: KindBadInput, Message: err.Error()}
}
