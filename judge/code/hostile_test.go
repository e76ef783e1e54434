package code

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gradjudge"
)

// neuron is a submission to code-neuron-backward: imports, then declarations, then Backward with
// the given body.
func neuron(imports, decls, body string) string {
	src := "package solution\n\n"
	if imports != "" {
		src += "import (\n" + imports + "\n)\n\n"
	}
	return src + decls + "func Backward(x, w, b, y float64) (dw, db float64) {\n" + body + "\n}\n"
}

const neuronOK = "\treturn x, w"

// hostileCase is one submission of the end-to-end corpus and the verdict it must get.
type hostileCase struct {
	name     string
	id       string // exercise; code-neuron-backward when empty
	src      string
	status   gradjudge.Status
	feedback string // substring of the joined feedback
	output   string // substring of the output shown
}

func hostileCases() []hostileCase {
	huge := neuron("", "", neuronOK) + "// " + strings.Repeat("x", 1<<20) + "\n"
	typeChain := ""
	for i := range 1500 {
		typeChain += fmt.Sprintf("type T%d T%d\n", i, i+1)
	}
	typeChain += "type T1500 float64\n\n"
	return []hostileCase{
		{name: "infinite loop", src: neuron("", "", "\tfor {\n\t}"), status: gradjudge.StatusTimeLimit, feedback: "ran longer than"},
		{name: "time.Sleep", src: neuron("\t\"time\"", "", "\ttime.Sleep(time.Hour)\n\treturn"),
			status: gradjudge.StatusCompileError, feedback: `solution.go:4:2: import "time" is not allowed`},
		{name: "unbounded recursion", src: neuron("", "", "\tdw, db = Backward(x+1, w, b, y)\n\treturn dw + 1, db"),
			status: gradjudge.StatusRuntimeError, feedback: "stack overflow"},
		{name: "allocate 4 GiB", src: neuron("", "", "\ta := make([]float64, 1<<29)\n\ta[len(a)-1] = x\n\treturn a[len(a)-1], 0"),
			status: gradjudge.StatusMemoryLimit, feedback: "more than 256 MiB"},
		{name: "goroutine bomb", src: neuron("", "", "\tfor {\n\t\tgo func() {\n\t\t\tfor {\n\t\t\t}\n\t\t}()\n\t}"),
			status: gradjudge.StatusTimeLimit},
		{name: "output flood", src: neuron("\t\"fmt\"\n\t\"strings\"", "", "\tfor {\n\t\tfmt.Println(strings.Repeat(\"flood \", 1000))\n\t}"),
			status: gradjudge.StatusOutputLimit, feedback: "printed more than", output: "more bytes not shown"},
		{name: "panic", src: neuron("", "", "\tpanic(\"boom\")"), status: gradjudge.StatusRuntimeError,
			feedback: "panic: boom (solution.go line 4)"},
		{name: "deadlock", src: neuron("", "", "\tselect {}"), status: gradjudge.StatusRuntimeError, feedback: "asleep"},
		{name: "os.Exit in init", src: neuron("\t\"os\"", "func init() { os.Exit(0) }\n\n", neuronOK),
			status: gradjudge.StatusCompileError, feedback: `import "os" is not allowed`},
		{name: "import os/exec", src: neuron("\t\"os/exec\"", "var _ = exec.Command\n\n", neuronOK), status: gradjudge.StatusCompileError},
		{name: "import net", src: neuron("\t\"net\"", "var _ = net.Dial\n\n", neuronOK), status: gradjudge.StatusCompileError},
		{name: "import syscall", src: neuron("\t\"syscall\"", "var _ = syscall.Exit\n\n", neuronOK), status: gradjudge.StatusCompileError},
		{name: "import unsafe", src: neuron("\t\"unsafe\"", "var _ = unsafe.Sizeof(0)\n\n", neuronOK), status: gradjudge.StatusCompileError},
		{name: "import reflect", src: neuron("\t\"reflect\"", "var _ = reflect.TypeOf\n\n", neuronOK), status: gradjudge.StatusCompileError},
		{name: "import runtime", src: neuron("\t\"runtime\"", "var _ = runtime.GC\n\n", neuronOK), status: gradjudge.StatusCompileError},
		{name: "cgo", src: neuron("\t\"C\"", "", neuronOK), status: gradjudge.StatusCompileError, feedback: "cgo"},
		{name: "linkname", src: neuron("", "//go:linkname nanotime runtime.nanotime\nfunc nanotime() int64\n\n", neuronOK),
			status: gradjudge.StatusCompileError, feedback: "//go:linkname is not allowed"},
		{name: "embed", src: neuron("", "//go:embed solution.go\nvar s string\n\n", neuronOK),
			status: gradjudge.StatusCompileError, feedback: "//go:embed is not allowed"},
		{name: "build constraint and toolchain line", src: "//go:build ignore\n\n// go 1.99\n// toolchain go1.99\n" + neuron("", "", neuronOK),
			status: gradjudge.StatusCompileError, feedback: "//go:build is not allowed"},
		{name: "compile bomb", src: neuron("", "var X = [1 << 30]float64{}\n\n", neuronOK), status: gradjudge.StatusCompileError},
		{name: "1 MiB source", src: huge, status: gradjudge.StatusCompileError, feedback: "at most 65536 bytes"},
		{name: "invalid UTF-8", src: "package solution\n\nvar s = \"caf\xe9\"\n\n" + neuron("", "", neuronOK)[len("package solution\n\n"):],
			status: gradjudge.StatusCompileError, feedback: "UTF-8"},
		{name: "wrong signature", src: "package solution\n\nfunc Backward(x, w float64) float64 { return x }\n",
			status: gradjudge.StatusCompileError, feedback: "Backward"},
		{name: "fake results", src: neuron("\t\"fmt\"", "",
			"\tfmt.Printf(\"\\n%s {\\\"r\\\":[0,0],\\\"m\\\":[false,false,false,false]}\\n\", \"00000000000000000000000000000000\")\n\treturn x, w"),
			status: gradjudge.StatusWrongAnswer, output: "00000000000000000000000000000000"},
		{name: "changes its input", id: "code-relu-backward", src: "package solution\n\nfunc ReluBackward(z, g []float64) []float64 {\n" +
			"\tfor i := range z {\n\t\tif z[i] <= 0 {\n\t\t\tg[i] = 0\n\t\t}\n\t}\n\treturn g\n}\n",
			status: gradjudge.StatusWrongAnswer, feedback: "shares memory with an argument"},
		{name: "changes its input, returns a copy", id: "code-relu-backward", src: "package solution\n\nfunc ReluBackward(z, g []float64) []float64 {\n" +
			"\tfor i := range z {\n\t\tif z[i] <= 0 {\n\t\t\tg[i] = 0\n\t\t}\n\t}\n\treturn append([]float64(nil), g...)\n}\n",
			status: gradjudge.StatusWrongAnswer, feedback: "changed its argument g"},
		{name: "depends on a global", id: "code-relu-backward", src: "package solution\n\nvar calls float64\n\n" +
			"func ReluBackward(z, g []float64) []float64 {\n\tcalls++\n\tdz := make([]float64, len(z))\n" +
			"\tfor i := range z {\n\t\tif z[i] > 0 {\n\t\t\tdz[i] = g[i] + calls*1e-13\n\t\t}\n\t}\n\treturn dz\n}\n",
			status: gradjudge.StatusWrongAnswer, feedback: "different results when called again"},
		{name: "NaN", src: neuron("\t\"math\"", "", "\treturn math.NaN(), 0"), status: gradjudge.StatusWrongAnswer,
			feedback: "finite number"},
		{name: "nil slice", id: "code-relu-backward", src: "package solution\n\nfunc ReluBackward(z, g []float64) []float64 { return nil }\n",
			status: gradjudge.StatusWrongAnswer, feedback: "nil slice"},
		{name: "line directive naming another file", src: neuron("", "//line /etc/passwd:1\n", neuronOK),
			status: gradjudge.StatusCompileError, feedback: "solution.go:3:1: compiler directive //line is not allowed"},
		{name: "line directive before a syntax error", src: neuron("", "//line /etc/passwd:100\n", "\treturn x w"),
			status: gradjudge.StatusCompileError, feedback: "solution.go:5:11: expected ';', found w"},
		{name: "line directive naming the job directory", src: neuron("", "//line /tmp/gradjudge-job-1/sandboxjob/solution.go:500:7\n",
			"\treturn x, undefinedName"), status: gradjudge.StatusCompileError, feedback: "solution.go:5:12: undefined: undefinedName"},
		{name: "line directive inside an expression", src: neuron("", "", "\treturn x, /*line /etc/shadow:9:9*/ undefinedName"),
			status: gradjudge.StatusCompileError, feedback: "solution.go:4:37: undefined: undefinedName"},
		{name: "infinite loop in init", src: neuron("", "func init() {\n\tfor {\n\t}\n}\n\n", neuronOK),
			status: gradjudge.StatusTimeLimit, feedback: "Stopped before the first call, while your package was being initialised"},
		{name: "fake ready frame, then a loop in init", src: neuron("\t\"fmt\"",
			"func init() {\n\tfmt.Print(\"\\n00000000000000000000000000000000 ready\\n\")\n\tfor {\n\t}\n}\n\n", neuronOK),
			status: gradjudge.StatusTimeLimit, feedback: "Stopped before the first call", output: "00000000000000000000000000000000 ready"},
		{name: "huge package-level variable", src: neuron("", "var big = make([]float64, 1<<26)\n\n", "\treturn x, w + big[0]"),
			status: gradjudge.StatusMemoryLimit, feedback: "Stopped before the first call, while your package was being initialised"},
		{name: "deadlock in init", src: neuron("", "func init() {\n\tselect {}\n}\n\n", neuronOK), status: gradjudge.StatusRuntimeError,
			feedback: "failed before the first call, while your package was being initialised (its package-level variables and init functions): " +
				"fatal error: all goroutines are asleep - deadlock! (solution.go line 4)"},
		{name: "panic in a package-level initializer", src: neuron("", "var table = []float64{}[:3]\n\n", "\treturn x, w + table[0]"),
			status: gradjudge.StatusRuntimeError, feedback: "failed before the first call, while your package was being initialised " +
				"(its package-level variables and init functions): panic: runtime error: slice bounds out of range [:3] with capacity 0 (solution.go line 3)"},
		{name: "megabyte panic message", src: neuron("\t\"strings\"", "", "\tpanic(strings.Repeat(\"é\", 1<<19))"),
			status: gradjudge.StatusRuntimeError, feedback: "panic: éééé", output: "more bytes not shown"},
		{name: "panic with invalid UTF-8 and control bytes", src: neuron("", "", "\tpanic(\"bad \\xff\\xfe bytes\\x00\\x1b[2J\")"),
			status: gradjudge.StatusRuntimeError, feedback: "panic: bad \uFFFD\uFFFD bytes\uFFFD\uFFFD[2J (solution.go line 4)"},
		{name: "strings.Repeat of 4 GiB", src: neuron("\t\"strings\"", "", "\ts := strings.Repeat(\"x\", 1<<32)\n\treturn float64(len(s)), 0"),
			status: gradjudge.StatusMemoryLimit, feedback: "Stopped in case 1"},
		{name: "recursion with large frames", src: neuron("", "func f(n int) float64 {\n\tvar a [1 << 17]float64\n\ta[n%len(a)] = 1\n"+
			"\treturn f(n+1) + a[n%7]\n}\n\n", "\treturn f(0), 0"), status: gradjudge.StatusMemoryLimit, feedback: "Stopped in case 1"},
		{name: "Inf", src: neuron("\t\"math\"", "", "\treturn math.Inf(1), math.Inf(-1)"), status: gradjudge.StatusWrongAnswer,
			feedback: "returned ∂L/∂w = +Inf: every value must be a finite number"},
		{name: "result one element too long", id: "code-relu-backward", src: "package solution\n\n" +
			"func ReluBackward(z, g []float64) []float64 { return make([]float64, len(z)+1) }\n",
			status: gradjudge.StatusWrongAnswer, feedback: "it must have shape (5)"},
		{name: "result of a quarter million elements", id: "code-relu-backward", src: "package solution\n\n" +
			"func ReluBackward(z, g []float64) []float64 { return make([]float64, 1<<18) }\n",
			status: gradjudge.StatusWrongAnswer, feedback: "its ∂L/∂z has 262144 elements; it must have shape (5)"},
		{name: "returns its input, changed", id: "code-relu-backward", src: "package solution\n\nfunc ReluBackward(z, g []float64) []float64 {\n" +
			"\tfor i := range z {\n\t\tif z[i] > 0 {\n\t\t\tz[i] = g[i]\n\t\t} else {\n\t\t\tz[i] = 0\n\t\t}\n\t}\n\treturn z\n}\n",
			status: gradjudge.StatusWrongAnswer, feedback: "shares memory with an argument"},
		{name: "chain of 1500 named types", src: neuron("", typeChain, neuronOK), status: gradjudge.StatusCompileError,
			feedback: "solution.go:3:6: type T0 nests more than 100 declared types in one another"},
		{name: "generic type recursion", src: neuron("", "type T[P any] struct{ next *T[T[P]] }\n\n", neuronOK),
			status: gradjudge.StatusCompileError, feedback: "type parameters (generics) are not allowed"},
		{name: "only comments", src: "// package solution\n/* func Backward */\n", status: gradjudge.StatusCompileError,
			feedback: "expected 'package'"},
		{name: "byte order mark", src: "\ufeff" + neuron("", "", neuronOK), status: gradjudge.StatusWrongAnswer, feedback: "Case 1:"},
		{name: "CRLF line endings", src: strings.ReplaceAll(neuron("", "", "\treturn x, q"), "\n", "\r\n"),
			status: gradjudge.StatusCompileError, feedback: "solution.go:4:12: undefined: q"},
		{name: "package main", src: "package main\n\n" + neuron("", "", neuronOK)[len("package solution\n\n"):] + "\nfunc main() {}\n",
			status: gradjudge.StatusCompileError, feedback: "solution.go:1:9: the file must start with `package solution`, not `package main`"},
		{name: "two packages in one file", src: neuron("", "", neuronOK) + "\npackage other\n\nfunc F() {}\n",
			status: gradjudge.StatusCompileError, feedback: "solution.go:7:1: expected declaration, found 'package'"},
		{name: "60000-byte identifier", src: neuron("", "", "\treturn x, "+strings.Repeat("x", 60000)),
			status: gradjudge.StatusCompileError, feedback: "solution.go:4:12: undefined: xxxx"},
		{name: "deeply nested blocks", src: neuron("", "", strings.Repeat("{", 20000)+strings.Repeat("}", 20000)+"\n"+neuronOK),
			status: gradjudge.StatusCompileError, feedback: "exceeded max scope depth"},
		{name: "deeply nested parentheses and operators", src: neuron("", "", "\treturn "+strings.Repeat("-(", 8000)+"x"+
			strings.Repeat(")", 8000)+", "+strings.Repeat("+ ", 10000)+"w"), status: gradjudge.StatusCompileError,
			feedback: "nests more than 100 levels deep"},
		{name: "a function of thousands of statements", src: neuron("", "", strings.Repeat("\tx = -x\n", 2000)+"\treturn x, w"),
			status: gradjudge.StatusCompileError, feedback: "is too long"},
		{name: "gradient where upstream is zero", id: "code-relu-backward", src: "package solution\n\nfunc ReluBackward(z, g []float64) []float64 {\n" +
			"\tdz := make([]float64, len(z))\n\tfor i := range z {\n\t\tif z[i] > 0 {\n\t\t\tdz[i] = g[i]\n\t\t}\n\t\tif g[i] == 0 {\n\t\t\tdz[i] = 1\n\t\t}\n\t}\n\treturn dz\n}\n",
			status: gradjudge.StatusWrongAnswer, feedback: "must be zero too"},
	}
}

// maxHostileFeedbackBytes bounds the feedback of any hostile submission: messages quote the
// student's code and panic values, cut short.
const maxHostileFeedbackBytes = 4 << 10

// TestHostileSubmissions sends every hostile submission through the whole judge: each ends in
// bounded time, with its verdict, and the test process stays alive. TestMain checks that every
// job directory was removed.
func TestHostileSubmissions(t *testing.T) {
	needCode(t)
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			id := c.id
			if id == "" {
				id = "code-neuron-backward"
			}
			start := time.Now()
			v := gradeCode(t, id, 3, c.src)
			if took := time.Since(start); took > time.Minute {
				t.Errorf("took %v", took)
			}
			feedback := strings.Join(v.Feedback, "\n")
			if len(feedback) > maxHostileFeedbackBytes || !utf8.ValidString(feedback) {
				t.Errorf("feedback: got %d bytes, valid UTF-8 %v; want at most %d bytes of valid UTF-8",
					len(feedback), utf8.ValidString(feedback), maxHostileFeedbackBytes)
			}
			if v.Status != c.status || !strings.Contains(feedback, c.feedback) || !strings.Contains(v.Output, c.output) {
				t.Errorf("got %s\nfeedback %q\noutput %q\nwant %s, feedback containing %q, output containing %q",
					v.Status, feedback, truncate(v.Output, 300), c.status, c.feedback, c.output)
			}
			if strings.Contains(feedback+v.Output, codeEnv.root) || strings.Contains(feedback+v.Output, "sandboxjob") {
				t.Errorf("the verdict names a temporary path: %q", feedback+v.Output)
			}
		})
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
