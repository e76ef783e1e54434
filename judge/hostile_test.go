package judge

import (
	"strings"
	"testing"
	"time"

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
			status: gradjudge.StatusWrongAnswer, feedback: "changed its argument g"},
		{name: "depends on a global", id: "code-relu-backward", src: "package solution\n\nvar calls float64\n\n" +
			"func ReluBackward(z, g []float64) []float64 {\n\tcalls++\n\tdz := make([]float64, len(z))\n" +
			"\tfor i := range z {\n\t\tif z[i] > 0 {\n\t\t\tdz[i] = g[i] + calls*1e-13\n\t\t}\n\t}\n\treturn dz\n}\n",
			status: gradjudge.StatusWrongAnswer, feedback: "different results when called again"},
		{name: "NaN", src: neuron("\t\"math\"", "", "\treturn math.NaN(), 0"), status: gradjudge.StatusWrongAnswer,
			feedback: "finite number"},
		{name: "nil slice", id: "code-relu-backward", src: "package solution\n\nfunc ReluBackward(z, g []float64) []float64 { return nil }\n",
			status: gradjudge.StatusWrongAnswer, feedback: "nil slice"},
		{name: "gradient where upstream is zero", id: "code-relu-backward", src: "package solution\n\nfunc ReluBackward(z, g []float64) []float64 {\n" +
			"\tdz := make([]float64, len(z))\n\tfor i := range z {\n\t\tif z[i] > 0 {\n\t\t\tdz[i] = g[i]\n\t\t}\n\t\tif g[i] == 0 {\n\t\t\tdz[i] = 1\n\t\t}\n\t}\n\treturn dz\n}\n",
			status: gradjudge.StatusWrongAnswer, feedback: "must be zero too"},
	}
}

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
