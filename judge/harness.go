package judge

import (
	"fmt"
	"strings"

	"gradjudge/exercises"
	"gradjudge/judge/sandbox"
)

// The harness protocol. After the nonce line, stdin holds one JSON array of calls, each
// {"f": function index, "a": [arguments as numbers or nested lists]}. For every call, in order,
// the harness decodes fresh arguments, keeps a copy, calls the student's function and writes one
// frame {"r": [results], "m": [argument changed?]}. Results are JSON numbers, with NaN and ±Inf
// written as the strings "NaN", "+Inf" and "-Inf" and a nil slice as null. A panic in the
// student's code ends the run: the frames before it say which call it was.

// harnessHead is the fixed part of every harness: package, imports, main and helpers.
const harnessHead = `package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"

	"sandboxjob/solution"
)

type call struct {
	F int               ` + "`json:\"f\"`" + `
	A []json.RawMessage ` + "`json:\"a\"`" + `
}

func main() {
	in := bufio.NewReader(os.Stdin)
	nonce := readNonce(in)
	var calls []call
	if err := json.NewDecoder(in).Decode(&calls); err != nil {
		fmt.Fprintln(os.Stderr, "harness: bad calls:", err)
		os.Exit(3)
	}
	for _, c := range calls {
		writeFrame(nonce, dispatch(c))
	}
}

func decode(raw json.RawMessage, v any) {
	if err := json.Unmarshal(raw, v); err != nil {
		fmt.Fprintln(os.Stderr, "harness: bad argument:", err)
		os.Exit(3)
	}
}

func arg0(raw json.RawMessage) (v float64)     { decode(raw, &v); return }
func arg1(raw json.RawMessage) (v []float64)   { decode(raw, &v); return }
func arg2(raw json.RawMessage) (v [][]float64) { decode(raw, &v); return }

func clone0(v float64) float64 { return v }

func clone1(v []float64) []float64 { return append([]float64(nil), v...) }

func clone2(v [][]float64) [][]float64 {
	out := make([][]float64, len(v))
	for i, row := range v {
		out[i] = clone1(row)
	}
	return out
}

func same0(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

func same1(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !same0(a[i], b[i]) {
			return false
		}
	}
	return true
}

func same2(a, b [][]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !same1(a[i], b[i]) {
			return false
		}
	}
	return true
}

func enc0(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.Quote(s)
	}
	return s
}

func enc1(v []float64) string {
	if v == nil {
		return "null"
	}
	b := []byte{'['}
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, enc0(x)...)
	}
	return string(append(b, ']'))
}

func enc2(v [][]float64) string {
	if v == nil {
		return "null"
	}
	b := []byte{'['}
	for i, row := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, enc1(row)...)
	}
	return string(append(b, ']'))
}

func result(r []string, changed ...bool) []byte {
	b := []byte(` + "`" + `{"r":[` + "`" + `)
	for i, s := range r {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, s...)
	}
	b = append(b, ` + "`" + `],"m":[` + "`" + `...)
	for i, c := range changed {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendBool(b, c)
	}
	return append(b, ']', '}')
}
`

// harnessSource returns the harness for a code exercise: the fixed part, a dispatch function
// with one case per function the student writes, and the sandbox's framing helpers.
func harnessSource(c *exercises.Code) string {
	var b strings.Builder
	b.WriteString(harnessHead)
	b.WriteString("\nfunc dispatch(c call) []byte {\n\tswitch c.F {\n")
	for i, fn := range c.Funcs {
		fmt.Fprintf(&b, "\tcase %d:\n", i)
		writeCall(&b, fn)
	}
	b.WriteString("\t}\n\tpanic(\"harness: unknown function\")\n}\n")
	b.WriteString(sandbox.HarnessFrameSource)
	return b.String()
}

// writeCall writes the body of one dispatch case: decode, copy, call, encode.
func writeCall(b *strings.Builder, fn exercises.CodeFunc) {
	var args, changed, results, encoded []string
	for i, r := range fn.ParamRanks {
		fmt.Fprintf(b, "\t\ta%d := arg%d(c.A[%d])\n\t\tk%d := clone%d(a%d)\n", i, r, i, i, r, i)
		args = append(args, fmt.Sprintf("a%d", i))
		changed = append(changed, fmt.Sprintf("!same%d(a%d, k%d)", r, i, i))
	}
	for i, r := range fn.ResultRanks {
		results = append(results, fmt.Sprintf("r%d", i))
		encoded = append(encoded, fmt.Sprintf("enc%d(r%d)", r, i))
	}
	fmt.Fprintf(b, "\t\t%s := solution.%s(%s)\n", strings.Join(results, ", "), fn.Name, strings.Join(args, ", "))
	fmt.Fprintf(b, "\t\treturn result([]string{%s}, %s)\n", strings.Join(encoded, ", "), strings.Join(changed, ", "))
}
