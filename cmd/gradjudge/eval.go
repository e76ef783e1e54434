package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"gradjudge/autograd"
)

// maxEvalLineBytes bounds one line of `eval --jsonl` input.
const maxEvalLineBytes = 4 << 20

func runEval(ctx context.Context, s stdio, args []string) int {
	fs := newFlagSet(s, "eval", "FILE --inputs JSON | --jsonl", `
Evaluates a program of the graph language and prints every node's value and the gradient of the
output with respect to every input and assigned name.

With --jsonl it reads JSON lines {"program": ..., "inputs": {...}, "output": optional} from
standard input and writes one JSON line per input line, in order: {"values": ..., "grads": ...}
or {"error": {"kind", "message", "line", "col"}}. A bad line never stops the stream.`)
	inputs := fs.String("inputs", "", `input values as a JSON object, e.g. '{"w": 0.5, "x": [1, 2]}'`)
	inputsFile := fs.String("inputs-file", "", "read the input values from this JSON file")
	output := fs.String("output", "", "the node to differentiate (default: the last assigned name)")
	jsonl := fs.Bool("jsonl", false, "read JSON lines on stdin, write JSON lines on stdout")
	pos, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if *jsonl {
		return evalJSONL(ctx, s)
	}
	if len(pos) != 1 {
		fs.Usage()
		return 2
	}
	return evalFile(s, pos[0], *inputs, *inputsFile, *output)
}

func evalFile(s stdio, path, inputsJSON, inputsFile, output string) int {
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge eval: %v\n", err)
		return 1
	}
	if inputsFile != "" {
		b, err := os.ReadFile(inputsFile)
		if err != nil {
			fmt.Fprintf(s.err, "gradjudge eval: %v\n", err)
			return 1
		}
		inputsJSON = string(b)
	}
	inputs := map[string]autograd.Tensor{}
	if strings.TrimSpace(inputsJSON) != "" {
		if inputs, err = autograd.DecodeInputs([]byte(inputsJSON)); err != nil {
			printProgramError(s.err, path, string(src), err)
			return 1
		}
	}
	res, err := autograd.Eval(string(src), inputs, output)
	if err != nil {
		printProgramError(s.err, path, string(src), err)
		return 1
	}
	printTable(s.out, res)
	return 0
}

// printProgramError prints an error with the offending line and a caret under its column.
func printProgramError(w io.Writer, path, src string, err error) {
	var e *autograd.Error
	if !errors.As(err, &e) || e.Pos.Line == 0 {
		fmt.Fprintf(w, "%s: %v\n", path, err)
		return
	}
	fmt.Fprintf(w, "%s:%d:%d: %s error: %s\n", path, e.Pos.Line, e.Pos.Col, e.Kind, e.Msg)
	lines := strings.Split(src, "\n")
	if e.Pos.Line <= len(lines) {
		line := strings.ReplaceAll(lines[e.Pos.Line-1], "\t", " ")
		fmt.Fprintf(w, "    %s\n    %s^\n", line, strings.Repeat(" ", max(e.Pos.Col-1, 0)))
	}
}

func printTable(w io.Writer, res *autograd.Result) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "node\tkind\tshape\tvalue\td%s/d node\n", res.Output)
	row := func(name, kind string, v autograd.Tensor) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", name, kind, autograd.ShapeString(v.Shape), formatTensor(v), formatTensor(res.Grads[name]))
	}
	for _, name := range res.Graph.Inputs() {
		row(name, "input", res.Inputs[name])
	}
	for _, name := range res.Graph.Names() {
		kind := "node"
		if name == res.Output {
			kind = "output"
		}
		row(name, kind, res.Values[name])
	}
	tw.Flush()
}

// formatTensor renders a tensor compactly with 6 significant digits.
func formatTensor(t autograd.Tensor) string {
	num := func(v float64) string { return fmt.Sprintf("%.6g", v) }
	switch t.Rank() {
	case 0:
		return num(t.Item())
	case 1:
		parts := make([]string, len(t.Data))
		for i, v := range t.Data {
			parts[i] = num(v)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	rows := make([]string, t.Shape[0])
	for i := range rows {
		row := autograd.Tensor{Shape: []int{t.Shape[1]}, Data: t.Data[i*t.Shape[1] : (i+1)*t.Shape[1]]}
		rows[i] = formatTensor(row)
	}
	return "[" + strings.Join(rows, ", ") + "]"
}

// evalJSONL answers one JSON line per input line until stdin ends or ctx is cancelled.
func evalJSONL(ctx context.Context, s stdio) int {
	r := bufio.NewReaderSize(s.in, 64<<10)
	w := bufio.NewWriter(s.out)
	defer w.Flush()
	enc := json.NewEncoder(w)
	for ctx.Err() == nil {
		line, err := readLine(r)
		if len(bytes.TrimSpace(line)) > 0 || errors.Is(err, errLineTooLong) {
			enc.Encode(evalLine(line, err))
		}
		if errors.Is(err, io.EOF) {
			return 0
		}
		if err != nil && !errors.Is(err, errLineTooLong) {
			fmt.Fprintf(s.err, "gradjudge eval: reading stdin: %v\n", err)
			return 1
		}
	}
	return 1
}

var errLineTooLong = fmt.Errorf("the line is longer than %d bytes", maxEvalLineBytes)

// readLine returns the next line without its newline. An over-long line is consumed and reported
// as errLineTooLong so that the stream can go on.
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) <= maxEvalLineBytes {
			line = append(line, chunk...)
		} else {
			line = line[:0]
			if err == nil {
				return nil, errLineTooLong
			}
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return bytes.TrimRight(line, "\r\n"), err
		}
	}
}

func evalLine(line []byte, readErr error) autograd.EvalResponse {
	if errors.Is(readErr, errLineTooLong) {
		return autograd.EvalResponse{Error: &autograd.ErrorJSON{Kind: autograd.KindBadInput, Message: readErr.Error()}}
	}
	var req autograd.EvalRequest
	if err := json.Unmarshal(line, &req); err != nil {
		return autograd.EvalResponse{Error: &autograd.ErrorJSON{Kind: autograd.KindBadInput,
			Message: "the line is not a JSON object {\"program\": ..., \"inputs\": {...}}: " + err.Error()}}
	}
	return req.Serve()
}
