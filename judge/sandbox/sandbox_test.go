package sandbox

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// testHarness is the tests' stand-in for a harness the judge generates: it reads the nonce and
// a JSON list of [x, w, b, y] cases, calls solution.Grad on each and frames [dw, db].
const testHarness = `package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"sandboxjob/solution"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	nonce := readNonce(in)
	var cases [][4]float64
	if err := json.NewDecoder(in).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, "harness: bad cases:", err)
		os.Exit(3)
	}
	for _, c := range cases {
		dw, db := solution.Grad(c[0], c[1], c[2], c[3])
		out, _ := json.Marshal([2]float64{dw, db})
		writeFrame(nonce, out)
	}
}
` + HarnessFrameSource

// testCases are the harness input; goodSolution answers them with testResults.
const testCases = `[[1, 2, 3, 20], [2, -1, 0.5, 1], [-1, 1, 0, 2]]`

var testResults = []string{"[-30,-30]", "[0,0]", "[0,0]"}

// hostile is one submission of the corpus and everything it must lead to.
type hostile struct {
	name  string
	src   string
	vet   string // substring of the first Vet diagnostic; "" if Vet accepts the file
	force bool   // build even though Vet rejects: tests the toolchain's own line of defence
	build string // substring of the build output when the build must fail
	kinds []Kind // acceptable run outcomes
	msg   string // substring of Outcome.Message
	line  int    // Outcome.Line, when not 0
	input string // harness input instead of testCases
	check func(t *testing.T, o Outcome, nonce string)
}

func grad(imports, body string) string {
	return solution(imports, "func Grad(x, w, b, y float64) (dw, db float64) {\n"+body+"\n}\n")
}

func hostileCorpus() []hostile {
	huge := grad("", "\treturn x, w") + "// " + strings.Repeat("x", 1<<20) + "\n"
	return []hostile{
		{name: "correct", src: goodSolution, kinds: []Kind{OK}, check: wantResults(testResults, "")},
		{name: "infinite loop", src: grad("", "\tfor {\n\t}"), kinds: []Kind{TimeLimit}, msg: "ran longer than 2s"},
		{name: "time.Sleep", src: grad("\t\"time\"", "\ttime.Sleep(time.Hour)\n\treturn"), vet: `import "time" is not allowed`},
		{name: "busy wait", src: grad("\t\"math\"", "\tfor i := 0; i < 1<<62; i++ {\n\t\tdw += math.Sqrt(float64(i))\n\t}\n\treturn"),
			kinds: []Kind{TimeLimit}},
		{name: "unbounded recursion", src: grad("", "\tdw, db = Grad(x+1, w, b, y)\n\treturn dw + 1, db"),
			kinds: []Kind{RuntimeError}, msg: "stack overflow in Grad"},
		{name: "allocate 4 GiB", src: grad("", "\ta := make([]float64, 1<<29)\n\ta[len(a)-1] = x\n\treturn a[len(a)-1], 0"),
			kinds: []Kind{MemoryLimit}, msg: "more than 256 MiB"},
		{name: "allocate gradually", src: solution("", "var keep [][]float64\n\n") + "func Grad(x, w, b, y float64) (dw, db float64) {\n\tfor {\n\t\tkeep = append(keep, make([]float64, 1<<20))\n\t}\n}\n",
			kinds: []Kind{MemoryLimit}},
		{name: "goroutine bomb", src: grad("", "\tfor {\n\t\tgo func() {\n\t\t\tfor {\n\t\t\t}\n\t\t}()\n\t}"),
			kinds: []Kind{TimeLimit, MemoryLimit}},
		{name: "blocked goroutine bomb", src: grad("", "\tfor {\n\t\tgo func() { select {} }()\n\t}"),
			kinds: []Kind{TimeLimit, MemoryLimit}},
		{name: "deadlock", src: grad("", "\tselect {}"), kinds: []Kind{RuntimeError}, msg: "all goroutines are asleep"},
		{name: "output flood", src: grad("\t\"fmt\"\n\t\"strings\"", "\tfor {\n\t\tfmt.Println(strings.Repeat(\"flood \", 1000))\n\t}"),
			kinds: []Kind{OutputLimit}, check: wantStdoutCapped},
		{name: "stderr flood", src: grad("", "\tfor i := 0; i < 2000; i++ {\n\t\tprintln(\"noise\", i)\n\t}\n\treturn x, w"),
			kinds: []Kind{OK}, check: wantStderrCapped},
		{name: "panic", src: grad("", "\tpanic(\"boom\")"), kinds: []Kind{RuntimeError}, msg: "panic: boom", line: 4},
		{name: "panic with invalid UTF-8 and control bytes", src: grad("", "\tpanic(\"bad \\xff bytes\\x00\\r\")"),
			kinds: []Kind{RuntimeError}, msg: "panic: bad \uFFFD bytes\uFFFD\uFFFD", line: 4, check: wantPrintableMessage},
		{name: "panic in a package-level initializer", src: solution("", "var table = []float64{}[:3]\n\n"+gradOK),
			kinds: []Kind{RuntimeError}, msg: "panic: runtime error: slice bounds out of range [:3] with capacity 0", line: 3},
		{name: "strings.Repeat of 4 GiB", src: grad("\t\"strings\"", "\ts := strings.Repeat(\"x\", 1<<32)\n\treturn float64(len(s)), 0"),
			kinds: []Kind{MemoryLimit}, msg: "more than 256 MiB"},
		{name: "line directive", src: solution("", "//line /etc/passwd:1\n"+gradOK), vet: "compiler directive //line is not allowed"},
		{name: "index out of range", src: grad("", "\tvar a []float64\n\treturn a[5], 0"),
			kinds: []Kind{RuntimeError}, msg: "panic: runtime error: index out of range [5] with length 0", line: 5},
		{name: "harness exits with status 3", src: goodSolution, input: "not json", kinds: []Kind{RuntimeError},
			msg: "exited with status 3", check: wantExitCode(3)},
		{name: "os.Exit in init", src: solution("\t\"os\"", "func init() { os.Exit(0) }\n\n"+gradOK), vet: `import "os" is not allowed`},
		{name: "import os/exec", src: solution("\t\"os/exec\"", "var _ = exec.Command\n\n"+gradOK), vet: `import "os/exec" is not allowed`},
		{name: "import net", src: solution("\t\"net\"", "var _ = net.Dial\n\n"+gradOK), vet: `import "net" is not allowed`},
		{name: "import syscall", src: solution("\t\"syscall\"", "var _ = syscall.Exit\n\n"+gradOK), vet: `import "syscall" is not allowed`},
		{name: "import unsafe", src: solution("\t\"unsafe\"", "var _ = unsafe.Sizeof(0)\n\n"+gradOK), vet: `import "unsafe" is not allowed`},
		{name: "import reflect", src: solution("\t\"reflect\"", "var _ = reflect.TypeOf\n\n"+gradOK), vet: `import "reflect" is not allowed`},
		{name: "import runtime", src: solution("\t\"runtime\"", "var _ = runtime.GC\n\n"+gradOK), vet: `import "runtime" is not allowed`},
		{name: "cgo", src: solution("\t\"C\"", gradOK), vet: `import "C" (cgo) is not allowed`, force: true,
			build: "the file is excluded from the build"},
		{name: "linkname", src: solution("", "//go:linkname nanotime runtime.nanotime\nfunc nanotime() int64\n\n"+gradOK),
			vet: "//go:linkname is not allowed", force: true, build: `only allowed in Go files that import "unsafe"`},
		{name: "embed", src: solution("", "//go:embed solution.go\nvar s string\n\n"+gradOK),
			vet: "//go:embed is not allowed", force: true, build: `go:embed requires import "embed"`},
		{name: "build constraint excludes the file", src: "//go:build ignore\n\n" + solution("", gradOK),
			vet: "//go:build is not allowed", force: true, build: "the file is excluded from the build"},
		{name: "package main", src: "package main\n\n" + gradOK + "\nfunc main() {}\n", vet: "`package solution`", force: true,
			build: "is a program, not an importable package"},
		{name: "compile bomb", src: solution("", "var X = [1 << 30]float64{}\n\n"+gradOK), vet: "would take more than 16 MiB",
			force: true, build: "symbol too large"},
		{name: "generic instantiation bomb", src: solution("", "func F[T any](x T) int { return 1 }\n\n"+gradOK),
			vet: "type parameters (generics) are not allowed"},
		{name: "1 MiB source", src: huge, vet: "at most 65536 bytes", force: true, build: "at most 65536 bytes"},
		{name: "invalid UTF-8", src: "package solution\n\nvar s = \"caf\xe9\"\n\n" + gradOK, vet: "not valid UTF-8",
			force: true, build: "invalid UTF-8"},
		{name: "fake results", src: grad("\t\"fmt\"", "\tfmt.Printf(\"\\n%s %s\\n\", \"00000000000000000000000000000000\", \"[-30,-30]\")\n"+
			"\tfmt.Print(\"\\nnonce [-30,-30]\\n\")\n\tfmt.Print(\"no newline\")\n\treturn x, w"),
			kinds: []Kind{OK}, check: wantResults([]string{"[1,2]", "[2,-1]", "[-1,1]"}, "[-30,-30]")},
		{name: "read stdin for the nonce", src: solution("\t\"fmt\"", "func init() { var s string; fmt.Scanln(&s) }\n\n"+gradOK),
			vet: "fmt.Scanln reads standard input"},
	}
}

// TestHostileCorpus vets, builds and runs every hostile submission; each ends in bounded time
// with the outcome it must have. TestMain checks that nothing was written outside job dirs.
func TestHostileCorpus(t *testing.T) {
	for _, c := range hostileCorpus() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runHostile(t, c)
		})
	}
}

func runHostile(t *testing.T, c hostile) {
	diags := testVetter(t).Vet([]byte(c.src), gradSignature)
	switch {
	case c.vet == "" && len(diags) > 0:
		t.Fatalf("Vet: got %v, want none", diags)
	case c.vet != "" && (len(diags) == 0 || !strings.Contains(diags[0].Message, c.vet)):
		t.Fatalf("Vet: got %v, want a first message containing %q", diags, c.vet)
	case c.vet != "" && !c.force:
		return
	}
	needSandbox(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := env.builder.Build(ctx, []byte(c.src), testHarness)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	checkBuildOutput(t, res.Output)
	if c.build != "" {
		if res.OK() || !strings.Contains(res.Output, c.build) {
			t.Fatalf("Build: got ok=%v output %q, want a failure containing %q", res.OK(), res.Output, c.build)
		}
		return
	}
	if !res.OK() {
		t.Fatalf("Build: got output %q, want a module", res.Output)
	}
	runBuilt(t, c, res.Wasm)
}

func runBuilt(t *testing.T, c hostile, wasm []byte) {
	nonce, input := NewNonce(), testCases
	if c.input != "" {
		input = c.input
	}
	start := time.Now()
	o, err := env.runner.Run(context.Background(), wasm, FrameStdin(nonce, []byte(input)))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if took := time.Since(start); took > testLimits.RunTime+5*time.Second {
		t.Errorf("Run took %v, want at most the run time limit %v plus compilation", took, testLimits.RunTime)
	}
	if !slices.Contains(c.kinds, o.Kind) {
		t.Fatalf("Run: got %s (%q, stderr %q), want one of %v", o.Kind, o.Message, truncate(o.Stderr, 500), c.kinds)
	}
	if !strings.Contains(o.Message, c.msg) {
		t.Errorf("Run: got message %q, want it to contain %q", o.Message, c.msg)
	}
	if c.line != 0 && o.Line != c.line {
		t.Errorf("Run: got line %d, want %d (stderr %q)", o.Line, c.line, o.Stderr)
	}
	if strings.Contains(o.Stderr, "sandboxjob") || strings.Contains(o.Stderr, env.root) {
		t.Errorf("Run: stderr %q names the job module or directory", o.Stderr)
	}
	if c.check != nil {
		c.check(t, o, nonce)
	}
}

// checkBuildOutput checks that compiler output a student sees names no temporary directory.
func checkBuildOutput(t *testing.T, out string) {
	t.Helper()
	for _, leak := range []string{env.root, env.jobs, "gradjudge-job-", "sandboxjob"} {
		if strings.Contains(out, leak) {
			t.Errorf("Build output %q contains %q", out, leak)
		}
	}
}

func wantResults(want []string, studentContains string) func(*testing.T, Outcome, string) {
	return func(t *testing.T, o Outcome, nonce string) {
		payloads, student := ParseFrames(o.Stdout, nonce)
		var got []string
		for _, p := range payloads {
			got = append(got, string(p))
		}
		if !slices.Equal(got, want) {
			t.Errorf("results: got %q, want %q (stdout %q)", got, want, o.Stdout)
		}
		if studentContains == "" && len(student) > 0 {
			t.Errorf("student output: got %q, want none", student)
		}
		if !bytes.Contains(student, []byte(studentContains)) {
			t.Errorf("student output: got %q, want it to contain %q", student, studentContains)
		}
	}
}

func wantStdoutCapped(t *testing.T, o Outcome, _ string) {
	if got, want := len(o.Stdout), DefaultOutputLimitBytes; got != want {
		t.Errorf("len(Stdout): got %d, want exactly the limit %d", got, want)
	}
}

func wantStderrCapped(t *testing.T, o Outcome, _ string) {
	if len(o.Stderr) > DefaultStderrLimitBytes+100 || !strings.Contains(o.Stderr, "bytes omitted") {
		t.Errorf("Stderr: got %d bytes, want at most %d with a note of what was omitted",
			len(o.Stderr), DefaultStderrLimitBytes)
	}
	if !strings.HasSuffix(o.Stderr, "noise 1999\n") {
		t.Errorf("Stderr: got tail %q, want the last line kept", o.Stderr[max(len(o.Stderr)-40, 0):])
	}
}

// wantPrintableMessage checks that Message is one line of valid UTF-8, whatever bytes the
// program panicked with.
func wantPrintableMessage(t *testing.T, o Outcome, _ string) {
	if !utf8.ValidString(o.Message) || strings.ContainsFunc(o.Message, unicode.IsControl) {
		t.Errorf("Message: got %q, want valid UTF-8 without control characters", o.Message)
	}
}

func wantExitCode(code int) func(*testing.T, Outcome, string) {
	return func(t *testing.T, o Outcome, _ string) {
		if o.ExitCode != code {
			t.Errorf("ExitCode: got %d, want %d", o.ExitCode, code)
		}
	}
}
