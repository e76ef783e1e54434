package sandbox

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// gradSignature is the signature of the test exercise: the gradients of the single-neuron loss
// L = (y - relu(w*x + b))² with respect to w and b.
var gradSignature = MustParseSignature("Grad", "func(x, w, b, y float64) (dw, db float64)")

// goodSolution is a correct answer to the test exercise.
const goodSolution = `package solution

import "math"

// Grad returns dL/dw and dL/db.
func Grad(x, w, b, y float64) (dw, db float64) {
	z := w*x + b
	a := math.Max(z, 0)
	if z <= 0 {
		return 0, 0
	}
	dL := -2 * (y - a)
	return dL * x, dL
}
`

var (
	vetterOnce sync.Once
	vetter     *Vetter
	vetterErr  error
)

// testVetter returns a Vetter shared by the tests of this package: making one takes ~0.5 s.
func testVetter(tb testing.TB) *Vetter {
	vetterOnce.Do(func() { vetter, vetterErr = NewVetter(Limits{}) })
	if vetterErr != nil {
		tb.Fatalf("NewVetter: %v", vetterErr)
	}
	return vetter
}

// solution returns a source file of package solution with the given imports and body.
func solution(imports, body string) string {
	src := "package solution\n\n"
	if imports != "" {
		src += "import (\n" + imports + "\n)\n\n"
	}
	return src + body
}

const gradOK = "func Grad(x, w, b, y float64) (dw, db float64) { return x, w }\n"

// vetCase is a file and what Vet should say first about it.
type vetCase struct {
	name     string
	src      string
	wantMsg  string // substring of the first diagnostic; "" means no diagnostics
	wantLine int
}

// vetCases are ordinary files, mistakes and hostile files (bombs that make the type checker or
// the compiler do exponential or huge work when not stopped first).
func vetCases() []vetCase {
	bomb := "package solution\n\nconst a0 = \"xxxxxxxxxxxxxxxx\"\n"
	for i := 1; i <= 60; i++ {
		bomb += fmt.Sprintf("const a%d = a%d + a%d\n", i, i-1, i-1)
	}
	bomb += "var V = len(a60)\n\n" + gradOK
	shadowBomb := "package solution\n\nconst s = \"xxxxxxxxxxxxxxxx\"\n\nfunc f() int {\n"
	for range 40 {
		shadowBomb += "{ const s = s + s\n"
	}
	shadowBomb += "return len(s)\n" + strings.Repeat("}\n", 40) + "}\n\n" + gradOK
	genericBomb := "package solution\n\nfunc F0[T any](x T) int { return 1 }\n"
	structChain := "package solution\n\ntype T0 struct{ a, b float64 }\n"
	for i := 1; i <= 60; i++ {
		genericBomb += fmt.Sprintf("func F%d[T any](x T) int { return F%d(struct{ x T }{x}) + F%d(struct{ y T }{x}) }\n", i, i-1, i-1)
		structChain += fmt.Sprintf("type T%d struct{ a, b T%d }\n", i, i-1)
	}
	genericBomb += "\nvar N = F60(1.0)\n\n" + gradOK
	// c16 is exactly MaxConstStringBytes long; c15 is half of it. Its lines are 3 to 19.
	chain := "package solution\n\n" + doubling("c", 16) + "\n"
	// The reviewer's file: 120 variables of a 512 KiB constant plus one byte each, 3.5 KB that
	// would write 60 MB into the build cache. The second takes the total past 1 MiB.
	cacheFiller := chain
	for i := range 120 {
		cacheFiller += fmt.Sprintf("var s%d = c15 + \"%d\"\n", i, i)
	}
	cacheFiller += "\n" + gradOK
	structChain += "\nvar X T60\n\n" + gradOK
	// namedChain(n) declares T0 to T(n-1), each the next one, and T(n-1) a float64: T0 nests n
	// declared types. The type checker takes seconds over a chain of a thousand.
	namedChain := func(n int) string {
		src := "package solution\n\n"
		for i := range n - 1 {
			src += fmt.Sprintf("type T%d T%d\n", i, i+1)
		}
		return src + fmt.Sprintf("type T%d float64\n\n", n-1) + gradOK
	}
	interfaceChain := "package solution\n\n"
	for i := range 1000 {
		interfaceChain += fmt.Sprintf("type I%d interface{ I%d; M%d() }\n", i, i+1, i)
	}
	interfaceChain += "type I1000 interface{}\n\n" + gradOK
	return []vetCase{
		{"correct", goodSolution, "", 0},
		{"other parameter names", solution("", "func Grad(a, b, c, d float64) (float64, float64) { return a, b }\n"), "", 0},
		{"goroutines and channels are fine", solution("", gradOK+"func g() { c := make(chan int); go func() { c <- 1 }(); <-c }\n"), "", 0},
		{"numeric constant chain", solution("", "const (\n\tKB = 1 << 10\n\tMB = KB * KB\n\tGB = MB * KB\n)\n\n"+gradOK), "", 0},
		{"long but bounded constant", solution("", "const s = \""+strings.Repeat("x", 1000)+"\"\nconst t = s + s + s\n\n"+gradOK), "", 0},
		{"all allowed imports", solution("\t\"errors\"\n\t\"fmt\"\n\t\"math\"\n\t\"slices\"\n\t\"sort\"\n\t\"strconv\"\n\t\"strings\"",
			"var _ = errors.New\nvar _ = fmt.Sprint\nvar _ = math.Pi\nvar _ = slices.Sort[[]int]\nvar _ = sort.Ints\nvar _ = strconv.Itoa\nvar _ = strings.Cut\n\n"+gradOK), "", 0},
		{"wrong result count", solution("", "func Grad(x, w, b, y float64) float64 { return x }\n"), "Grad has type func(x float64, w float64, b float64, y float64) float64; the exercise asks for func Grad(", 3},
		{"wrong parameter type", solution("", "func Grad(x, w, b float64, y []float64) (dw, db float64) { return }\n"), "Grad has type", 3},
		{"generic function", solution("", "func Grad[T float64](x, w, b, y T) (dw, db T) { return }\n"), "type parameters (generics) are not allowed", 3},
		{"generic type", solution("", "type Pair[T any] struct{ a, b T }\n\n"+gradOK), "type parameters (generics) are not allowed", 3},
		{"generic instantiation bomb", genericBomb, "type parameters (generics) are not allowed", 3},
		{"doubling struct chain", structChain, "type T13 is too large when written out", 16},
		{"chain of the most named types", namedChain(MaxNamedTypeDepth), "", 0},
		{"chain of too many named types", namedChain(MaxNamedTypeDepth + 1), "type T0 nests more than 100 declared types in one another", 3},
		{"chain of a thousand named types", namedChain(1000), "type T0 nests more than 100 declared types in one another", 3},
		{"chain of embedded interfaces", interfaceChain, "type I0 nests more than 100 declared types in one another", 3},
		{"recursive struct", solution("", "type T struct{ a, b T }\n\n"+gradOK), "invalid recursive type", 3},
		{"deep parentheses", solution("", "var X = "+strings.Repeat("(", 20000)+"1"+strings.Repeat(")", 20000)+"\n\n"+gradOK), "", 0},
		{"long function", solution("", "func f(a []int, x int) int {\n"+strings.Repeat("\tx = a[x]\n", 1100)+"\treturn x\n}\n\n"+gradOK),
			"function f is too long: more than 5000 names, numbers, operators and statements", 3},
		{"long but allowed function", solution("", "func f(a []int, x int) int {\n"+strings.Repeat("\tx = a[x]\n", 900)+"\treturn x\n}\n\n"+gradOK), "", 0},
		{"many package-level variables", solution("", "var a = []int{1}\n"+strings.Repeat("var _ = a[0]\n", 1000)+"\n"+gradOK),
			"the package-level variables are too large together", 0},
		{"deeply nested type", solution("", "var X "+strings.Repeat("*", 150)+"float64\n\n"+gradOK), "nests more than 100 levels deep", 3},
		{"deeply nested expression", solution("", "var X = "+strings.Repeat("^", 150)+"1\n\n"+gradOK), "nests more than 100 levels deep", 3},
		{"a long sum is not deep", solution("", "var X = "+strings.Repeat("1 + ", 1000)+"1\n\n"+gradOK), "", 0},
		{"a long nested sum is not deep", solution("", "var X = "+strings.Repeat("1 + (", 1000)+"1"+strings.Repeat(")", 1000)+"\n\n"+gradOK), "", 0},
		{"deeply nested blocks", solution("", "func f() {\n"+strings.Repeat("{", 120)+strings.Repeat("}", 120)+"\n}\n\n"+gradOK), "nests more than 100 levels deep", 3},
		{"variadic", solution("", "func Grad(x ...float64) (dw, db float64) { return }\n"), "Grad has type", 3},
		{"missing", solution("", "func grad(x, w, b, y float64) (dw, db float64) { return }\n"), "missing function Grad", 1},
		{"variable not function", solution("", "var Grad = func(x, w, b, y float64) (dw, db float64) { return }\n"), "Grad must be declared as a function", 3},
		{"method not function", solution("", "type T struct{}\n\nfunc (T) Grad(x, w, b, y float64) (dw, db float64) { return }\n"), "missing function Grad", 1},
		{"package main", "package main\n\n" + gradOK, "`package solution`, not `package main`", 1},
		{"syntax error", solution("", "func Grad(x, w, b, y float64) (dw, db float64) {\n\treturn x w\n}\n"), "expected", 4},
		{"type error", solution("", "func Grad(x, w, b, y float64) (dw, db float64) {\n\treturn undefinedName, 0\n}\n"), "undefined: undefinedName", 4},
		{"unused import", solution("\t\"math\"", gradOK), "\"math\" imported and not used", 4},
		{"time.Sleep", solution("\t\"time\"", "func Grad(x, w, b, y float64) (dw, db float64) {\n\ttime.Sleep(time.Hour)\n\treturn\n}\n"), `import "time" is not allowed`, 4},
		{"os.Exit in init", solution("\t\"os\"", "func init() { os.Exit(0) }\n\n"+gradOK), `import "os" is not allowed`, 4},
		{"import os/exec", solution("\t\"os/exec\"", "var _ = exec.Command\n\n"+gradOK), `import "os/exec" is not allowed`, 4},
		{"import net", solution("\t\"net\"", "var _ = net.Dial\n\n"+gradOK), `import "net" is not allowed`, 4},
		{"import syscall", solution("\t\"syscall\"", "var _ = syscall.Exit\n\n"+gradOK), `import "syscall" is not allowed`, 4},
		{"import unsafe", solution("\t\"unsafe\"", "var _ = unsafe.Sizeof(0)\n\n"+gradOK), `import "unsafe" is not allowed`, 4},
		{"import reflect", solution("\t\"reflect\"", "var _ = reflect.TypeOf\n\n"+gradOK), `import "reflect" is not allowed`, 4},
		{"import runtime", solution("\t\"runtime\"", "var _ = runtime.GC\n\n"+gradOK), `import "runtime" is not allowed`, 4},
		{"import module", solution("\t\"github.com/evil/pkg\"", gradOK), `import "github.com/evil/pkg" is not allowed`, 4},
		{"cgo", solution("\t\"C\"", gradOK), `import "C" (cgo) is not allowed`, 4},
		{"linkname", solution("", "//go:linkname nanotime runtime.nanotime\nfunc nanotime() int64\n\n"+gradOK), "directive //go:linkname is not allowed", 3},
		{"embed", solution("\t_ \"embed\"", "//go:embed /etc/passwd\nvar s string\n\n"+gradOK), `import "embed" is not allowed`, 4},
		{"embed directive", solution("", "//go:embed solution.go\nvar s string\n\n"+gradOK), "directive //go:embed is not allowed", 3},
		{"build constraint", "//go:build ignore\n\n" + solution("", gradOK), "directive //go:build is not allowed", 1},
		{"old build constraint", "// +build ignore\n\n" + solution("", gradOK), "directive // +build is not allowed", 1},
		{"noinline", solution("", "//go:noinline\n"+gradOK), "directive //go:noinline is not allowed", 3},
		{"wasmimport", solution("", "//go:wasmimport env evil\nfunc evil()\n\n"+gradOK), "directive //go:wasmimport is not allowed", 3},
		{"line directive", solution("", "//line other.go:100\n"+gradOK), "directive //line is not allowed", 3},
		{"line directive before a syntax error", solution("", "//line /etc/passwd:100\nfunc Grad(x, w, b, y float64) (dw, db float64) {\n\treturn x w\n}\n"),
			"expected ';', found w", 5},
		{"fmt.Scan steals stdin", solution("\t\"fmt\"", "func init() { var s string; fmt.Scanln(&s) }\n\n"+gradOK), "fmt.Scanln reads standard input", 7},
		{"fmt.Scan as a value", solution("\t\"fmt\"", "var scan = fmt.Scan\n\n"+gradOK), "fmt.Scan reads standard input", 7},
		{"huge array", solution("", "var X [1 << 30]float64\n\n"+gradOK), "would take more than 16 MiB", 3},
		{"huge array literal", solution("", "var X = [1 << 30]float64{}\n\n"+gradOK), "would take more than 16 MiB", 3},
		{"nested arrays", solution("", "var X [1 << 12][1 << 12][1 << 12]float64\n\n"+gradOK), "would take more than 16 MiB", 3},
		{"struct of arrays", solution("", "type T struct{ a, b, c [1 << 21]float64 }\n\nvar X T\n\n"+gradOK), "would take more than 16 MiB", 3},
		{"sparse slice literal", solution("", "var X = []float64{1 << 28: 1}\n\n"+gradOK), "a literal of type []float64 would take more than 16 MiB", 3},
		{"string constant bomb", bomb, "is too large: a constant string may be at most", 20},
		{"constant of exactly the largest length", chain + "var V = len(c16)\n\n" + gradOK, "", 0},
		{"constant one byte too long", chain + "const d = c16 + \"x\"\n\n" + gradOK,
			"constant d is too large: a constant string may be at most 1048576 bytes", 21},
		{"constant strings filling the build cache", cacheFiller, "too much data: here the constant strings and literals of the file add up to more than 1048576 bytes", 22},
		{"a long string built in code", chain + "var n = len(" + strings.Repeat("c15 + ", 2000) + "c15)\n\n" + gradOK,
			"too much data", 21},
		{"constant strings in a function", chain + "func f() []string {\n\treturn []string{c15 + \"a\",\n\t\tc15 + \"b\"}\n}\n\n" + gradOK,
			"too much data", 23},
		{"exported constants filling the build cache", chain + "const D0 = c15 + \"0\"\nconst D1 = c15 + \"1\"\n\n" + gradOK,
			"too much data", 22},
		{"constant without a value", solution("", "const (a)\n\n"+gradOK), "missing init expr for a", 3},
		{"unexported constants unused", chain + "const d0, d1 = c15 + \"0\", c15 + \"1\"\nconst d2 = c15 + \"2\"\n\n" + gradOK, "", 0},
		{"constants the type checker builds", chain + "const n0 = len(c15 + \"0\")\nconst n1 = len(c15 + \"1\")\n\n" + gradOK,
			"too much data", 22},
		{"one literal of the largest total", solution("", "var X = []float64{1<<17 - 1: 1}\n\n"+gradOK), "", 0},
		{"literals filling the build cache", solution("", "var X = []float64{1<<17 - 1: 1}\nvar Y = [4]float64{1}\n\n"+gradOK),
			"too much data", 4},
		{"literals in a function", solution("", "func f() float64 {\n\tx := [1 << 16]float64{1<<16 - 1: 1}\n\ty := map[int][1 << 16]float64{1: x}\n\treturn y[1][0]\n}\n\n"+gradOK),
			"too much data", 5},
		{"shadowed string constant bomb", shadowBomb, "is too large: a constant string may be at most", 0},
		{"invalid UTF-8", "package solution\n\n// caf\xe9\n" + gradOK, "not valid UTF-8", 3},
		{"too large", solution("", gradOK+"// "+strings.Repeat("x", 1<<20)+"\n"), "at most 65536 bytes", 0},
		{"empty", "", "expected 'package'", 1},
		{"NUL byte", "package solution\x00\n", "NUL", 1},
	}
}

// TestVet checks what Vet says about each case, and that it stays within vetAllocLimit: the
// bombs would make it allocate hundreds of megabytes if a check let them through.
func TestVet(t *testing.T) {
	v := testVetter(t)
	for _, tt := range vetCases() {
		t.Run(tt.name, func(t *testing.T) {
			var diags []Diagnostic
			if n := bytesAllocated(func() { diags = v.Vet([]byte(tt.src), gradSignature) }); n > vetAllocLimit(len(tt.src)) {
				t.Errorf("Vet of %d bytes allocated %d bytes, more than %d", len(tt.src), n, vetAllocLimit(len(tt.src)))
			}
			if tt.wantMsg == "" {
				if len(diags) > 0 {
					t.Fatalf("Vet: got %v, want no diagnostics", diags)
				}
				return
			}
			if len(diags) == 0 {
				t.Fatalf("Vet: got no diagnostics, want %q", tt.wantMsg)
			}
			if got := diags[0].Message; !strings.Contains(got, tt.wantMsg) {
				t.Errorf("Vet: got %v, want first message containing %q", diags, tt.wantMsg)
			}
			if tt.wantLine != 0 && diags[0].Line != tt.wantLine {
				t.Errorf("Vet: got first diagnostic %v, want line %d", diags[0], tt.wantLine)
			}
		})
	}
}

// doubling returns const declarations name0 to nameN, name0 16 bytes long and each the previous
// one twice: nameN is 2^(N+4) bytes long.
func doubling(name string, n int) string {
	src := fmt.Sprintf("const %s0 = \"0123456789abcdef\"\n", name)
	for i := 1; i <= n; i++ {
		src += fmt.Sprintf("const %s%d = %s%d + %s%d\n", name, i, name, i-1, name, i-1)
	}
	return src
}

// TestVetIgnoresLineDirectives: every diagnostic points at the line and column of solution.go
// itself, whatever file, line and column a //line directive (rejected too) claims.
func TestVetIgnoresLineDirectives(t *testing.T) {
	body := "func Grad(x, w, b, y float64) (dw, db float64) {\n\treturn x, undefinedName\n}\n"
	tests := []struct {
		name, src string
		want      []string
	}{
		{"file and line", solution("", "//line /etc/passwd:100\n"+body), []string{
			"solution.go:3:1: compiler directive //line is not allowed",
			"solution.go:5:12: undefined: undefinedName",
		}},
		{"job directory, line and column", solution("", "//line /tmp/gradjudge-job-1/sandboxjob/solution/solution.go:500:7\n"+body), []string{
			"solution.go:3:1: compiler directive //line is not allowed",
			"solution.go:5:12: undefined: undefinedName",
		}},
		{"inside an expression", solution("", strings.Replace(body, "return x, ", "return x, /*line /etc/shadow:9:9*/ ", 1)), []string{
			"solution.go:4:12: compiler directive //line is not allowed",
			"solution.go:4:37: undefined: undefinedName",
		}},
		{"syntax error", solution("", "//line :7\n"+strings.Replace(body, "return x, ", "return x ", 1)), []string{
			"solution.go:5:11: expected ';', found undefinedName",
			"solution.go:6:3: expected '}', found 'EOF'",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, d := range testVetter(t).Vet([]byte(tt.src), gradSignature) {
				got = append(got, d.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Vet:\ngot  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestVetReportsEveryDisallowedImport(t *testing.T) {
	src := solution("\t\"os\"\n\t\"net\"\n\t\"math\"", "var _ = os.Exit\nvar _ = net.Dial\nvar _ = math.Pi\n\n"+gradOK)
	diags := testVetter(t).Vet([]byte(src), gradSignature)
	var got []string
	for _, d := range diags {
		got = append(got, d.String())
	}
	want := []string{
		`solution.go:4:2: import "os" is not allowed; a solution may import only math, fmt, sort, errors, strings, strconv, slices`,
		`solution.go:5:2: import "net" is not allowed; a solution may import only math, fmt, sort, errors, strings, strconv, slices`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Vet:\ngot  %q\nwant %q", got, want)
	}
}

func TestVetCapsDiagnostics(t *testing.T) {
	body := ""
	for i := range 30 {
		body += fmt.Sprintf("var v%d int = \"not an int\"\n", i)
	}
	diags := testVetter(t).Vet([]byte(solution("", body+gradOK)), gradSignature)
	if got, want := len(diags), MaxDiagnostics; got != want {
		t.Errorf("len(Vet(...)): got %d, want %d", got, want)
	}
}

func TestVetIsConcurrencySafe(t *testing.T) {
	v := testVetter(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if diags := v.Vet([]byte(goodSolution+"var _ = []float64{1, 2}\n"), gradSignature); len(diags) > 0 {
				t.Errorf("Vet: got %v, want none", diags)
			}
		})
	}
	wg.Wait()
}

func TestParseSignature(t *testing.T) {
	tests := []struct {
		name, fn, typ string
		wantErr       bool
		wantString    string
	}{
		{"scalars", "Grad", "func(x, w, b, y float64) (dw, db float64)", false,
			"func Grad(x, w, b, y float64) (dw, db float64)"},
		{"slices", "Backward", "func(x []float64, w [][]float64) []float64", false,
			"func Backward(x []float64, w [][]float64) []float64"},
		{"unexported", "grad", "func(x float64) float64", true, ""},
		{"not an identifier", "Grad x", "func(x float64) float64", true, ""},
		{"not a func type", "Grad", "float64", true, ""},
		{"a func literal", "Grad", "func(x float64) float64 { return x }", true, ""},
		{"unknown type", "Grad", "func(x Tensor) float64", true, ""},
		{"syntax", "Grad", "func(x float64", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig, err := ParseSignature(tt.fn, tt.typ)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("ParseSignature(%q, %q): got error %v, want error %v", tt.fn, tt.typ, err, tt.wantErr)
			}
			if err == nil && sig.String() != tt.wantString {
				t.Errorf("String(): got %q, want %q", sig.String(), tt.wantString)
			}
		})
	}
}

// vetAllocLimit bounds the bytes one Vet of a file of n bytes may allocate, a count of its work
// that does not depend on how busy the machine is: a fixed allowance for the largest constant
// strings Vet lets through, and 1 KiB per source byte (ordinary files take 100 to 250). Exponential
// work allocates as it goes: the 24-type struct chain, unchecked, allocates 300 MB from 777 bytes.
func vetAllocLimit(n int) uint64 { return 64<<20 + 1<<10*uint64(n) }

// bytesAllocated returns the bytes allocated while f runs, by every goroutine of the process.
func bytesAllocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func FuzzVet(f *testing.F) {
	for _, s := range []string{
		goodSolution,
		solution("\t\"os\"", "func init() { os.Exit(0) }\n"),
		"//go:build ignore\n\npackage solution\n",
		"package solution\n\nconst a = \"x\"\nconst b = a + a\nvar _ = len(b)\n",
		"package solution\n\nvar X = []float64{1 << 28: 1}\n",
		"package solution\n\nfunc Grad[T any](x T) T { return x }\n",
		"package solution\n\ntype T [1 << 40]T\n",
		"package solution\n\ntype A struct{ a, b B }\ntype B struct{ a, b, c A }\n",
		"package solution\n\ntype T1 struct{ a, b T0 }\ntype T0 struct{ x [4]T1 }\n",
		"package solution\n\nconst (\n\ta = iota\n\tb\n)\n",
		"package p\n\nimport \"C\"\n",
		"\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	v := testVetter(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		var diags []Diagnostic
		if n := bytesAllocated(func() { diags = v.vet(src, []Signature{gradSignature}) }); n > vetAllocLimit(len(src)) {
			t.Errorf("vet of %d bytes allocated %d bytes, more than %d", len(src), n, vetAllocLimit(len(src)))
		}
		for _, d := range diags {
			if d.Message == "" || d.Line < 0 || d.Col < 0 {
				t.Errorf("vet: got malformed diagnostic %+v", d)
			}
		}
	})
}
