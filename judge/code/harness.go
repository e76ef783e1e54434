package code

import (
	"fmt"
	"strings"

	"gradjudge/exercises"
)

// The harness protocol. After the nonce line, stdin holds numbers separated by spaces: the number
// of calls, then for each call the index of the function, its arguments in parameter order (a
// float64 as one number, a []float64 as its length and elements, a [][]float64 as its rows,
// columns and elements row by row), and for each result that is a slice the number of elements
// of the reference's result. Once the student's package is initialised (its package-level
// variables and init functions), the harness writes one frame, harnessReady: a run that ends
// without it failed there, before the first call. For every call, in order, the harness reads
// fresh arguments, keeps a copy, calls the student's function and writes one frame {"r":
// [results], "m": [argument changed?], "s": [result shares memory with an argument?]}. Results are JSON numbers, with NaN and ±Inf written as the
// strings "NaN", "+Inf" and "-Inf" and a nil slice as null; a slice with more rows or elements
// than the reference's result is written as {"rows": n} or {"elements": n} alone, so that the
// frames never need more output than the reference's results would (plan.resultBytes). A panic
// in the student's code ends the run: the frames before it say which call it was.
//
// The harness imports only bufio, math, os and strconv: encoding/json and fmt would pull in
// reflect and grow the module, and the interpreter's time to compile a module grows with its
// size. So it frames its results itself, exactly as sandbox.HarnessFrameSource does (whose
// readNonce needs fmt): every accepted solution in TestCodeSolutions shows that sandbox.ParseFrames
// reads its frames.

// harnessReady is the payload of the harness's first frame (see the protocol above).
const harnessReady = "ready"

// harnessHead is the fixed part of every harness: package, imports, main and helpers.
const harnessHead = `package main

import (
	"bufio"
	"math"
	"os"
	"strconv"

	"sandboxjob/solution"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	line, err := in.ReadString('\n')
	if err != nil {
		fail("harness: no nonce on stdin")
	}
	nonce := line[:len(line)-1]
	os.Stdout.Write([]byte("\n" + nonce + " ` + harnessReady + `\n"))
	r := reader{bufio.NewScanner(in)}
	r.s.Split(bufio.ScanWords)
	for n := r.count(); n > 0; n-- {
		out := dispatch(r.count(), r)
		os.Stdout.Write([]byte("\n" + nonce + " " + string(out) + "\n"))
	}
}

func fail(msg string) {
	os.Stderr.WriteString(msg + "\n")
	os.Exit(3)
}

type reader struct{ s *bufio.Scanner }

func (r reader) arg0() float64 {
	if !r.s.Scan() {
		fail("harness: the input ended early")
	}
	v, err := strconv.ParseFloat(r.s.Text(), 64)
	if err != nil {
		fail("harness: bad number " + r.s.Text())
	}
	return v
}

func (r reader) count() int { return int(r.arg0()) }

func (r reader) arg1() []float64 {
	v := make([]float64, r.count())
	for i := range v {
		v[i] = r.arg0()
	}
	return v
}

func (r reader) arg2() [][]float64 {
	v := make([][]float64, r.count())
	cols := r.count()
	for i := range v {
		v[i] = make([]float64, cols)
		for j := range v[i] {
			v[i][j] = r.arg0()
		}
	}
	return v
}

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

// enc1 encodes v, or only its length if it has more than limit elements.
func enc1(v []float64, limit int) string {
	if v == nil {
		return "null"
	}
	if len(v) > limit {
		return ` + "`" + `{"elements":` + "`" + ` + strconv.Itoa(len(v)) + "}"
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

// enc2 encodes v, or only its number of rows or elements if it has more than limit of them.
func enc2(v [][]float64, limit int) string {
	if v == nil {
		return "null"
	}
	elements := 0
	for _, row := range v {
		elements += len(row)
	}
	switch {
	case len(v) > limit:
		return ` + "`" + `{"rows":` + "`" + ` + strconv.Itoa(len(v)) + "}"
	case elements > limit:
		return ` + "`" + `{"elements":` + "`" + ` + strconv.Itoa(elements) + "}"
	}
	b := []byte{'['}
	for i, row := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, enc1(row, limit)...)
	}
	return string(append(b, ']'))
}

func result(r []string, shares []bool, changed ...bool) []byte {
	b := []byte(` + "`" + `{"r":[` + "`" + `)
	for i, s := range r {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, s...)
	}
	b = append(b, ` + "`" + `],"m":[` + "`" + `...)
	b = appendBools(b, changed)
	b = append(b, ` + "`" + `],"s":[` + "`" + `...)
	b = appendBools(b, shares)
	return append(b, ']', '}')
}

func appendBools(b []byte, v []bool) []byte {
	for i, c := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendBool(b, c)
	}
	return b
}

func rows0(float64) [][]float64 { return nil }

func rows1(v []float64) [][]float64 { return [][]float64{v} }

func rows2(v [][]float64) [][]float64 { return v }

// mark is a NaN whose bits no arithmetic produces: written into a result element, it shows up in
// an argument only if the two share memory.
const mark = 0x7ff4_dead_beef_cafe

// shares reports whether a row of a result shares memory with a row of an argument: writing mark
// into each element of the result (and putting it back) changes an element of the argument. A
// row longer than every argument's capacity cannot lie inside one, so it is not scanned: a huge
// result is then a wrong shape in linear time, not a time limit.
func shares(res [][]float64, args ...[][]float64) bool {
	widest := 0
	for _, a := range args {
		for _, row := range a {
			widest = max(widest, cap(row))
		}
	}
	for _, row := range res {
		if len(row) > widest {
			continue
		}
		for i := range row {
			old := row[i]
			row[i] = math.Float64frombits(mark)
			hit := marked(args)
			row[i] = old
			if hit {
				return true
			}
		}
	}
	return false
}

func marked(args [][][]float64) bool {
	for _, a := range args {
		for _, row := range a {
			for _, v := range row {
				if math.Float64bits(v) == mark {
					return true
				}
			}
		}
	}
	return false
}
`

// harnessSource returns the harness for a code exercise: the fixed part and a dispatch function
// with one case per function the student writes.
func harnessSource(c *exercises.Code) string {
	var b strings.Builder
	b.WriteString(harnessHead)
	b.WriteString("\nfunc dispatch(f int, r reader) []byte {\n\tswitch f {\n")
	for i, fn := range c.Funcs {
		fmt.Fprintf(&b, "\tcase %d:\n", i)
		writeCall(&b, fn)
	}
	b.WriteString("\t}\n\tfail(\"harness: unknown function\")\n\treturn nil\n}\n")
	return b.String()
}

// writeCall writes the body of one dispatch case: decode, copy, call, check for shared memory,
// encode.
func writeCall(b *strings.Builder, fn exercises.CodeFunc) {
	var args, argRows, changed, results, shared, encoded []string
	for i, r := range fn.ParamRanks {
		fmt.Fprintf(b, "\t\ta%d := r.arg%d()\n\t\tk%d := clone%d(a%d)\n", i, r, i, r, i)
		args = append(args, fmt.Sprintf("a%d", i))
		argRows = append(argRows, fmt.Sprintf("rows%d(a%d)", r, i))
		changed = append(changed, fmt.Sprintf("!same%d(a%d, k%d)", r, i, i))
	}
	for i, r := range fn.ResultRanks {
		results = append(results, fmt.Sprintf("r%d", i))
		shared = append(shared, fmt.Sprintf("shares(rows%d(r%d), %s)", r, i, strings.Join(argRows, ", ")))
		if r == 0 {
			encoded = append(encoded, fmt.Sprintf("enc0(r%d)", i))
			continue
		}
		fmt.Fprintf(b, "\t\tn%d := r.count()\n", i)
		encoded = append(encoded, fmt.Sprintf("enc%d(r%d, n%d)", r, i, i))
	}
	fmt.Fprintf(b, "\t\t%s := solution.%s(%s)\n", strings.Join(results, ", "), fn.Name, strings.Join(args, ", "))
	fmt.Fprintf(b, "\t\ts := []bool{%s}\n", strings.Join(shared, ", "))
	fmt.Fprintf(b, "\t\treturn result([]string{%s}, s, %s)\n", strings.Join(encoded, ", "), strings.Join(changed, ", "))
}
