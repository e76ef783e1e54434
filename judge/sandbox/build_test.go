package sandbox

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestBuildCompileError(t *testing.T) {
	needSandbox(t)
	src := grad("", "\treturn undefinedName, 0")
	res, err := env.builder.Build(context.Background(), []byte(src), testHarness)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if want := "solution.go:4:9: undefined: undefinedName"; res.OK() || !strings.HasPrefix(res.Output, want) {
		t.Errorf("Build: got ok=%v output %q, want a failure starting %q", res.OK(), res.Output, want)
	}
	checkBuildOutput(t, res.Output)
}

func TestBuildTimeLimit(t *testing.T) {
	needSandbox(t)
	b, err := NewBuilder(BuilderConfig{CacheDir: env.builder.CacheDir(), TempDir: env.jobs,
		Limits: Limits{BuildTime: 1}})
	if err != nil {
		t.Fatalf("NewBuilder: %v", err)
	}
	res, err := b.Build(context.Background(), []byte(goodSolution), testHarness)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if res.OK() || !res.TimedOut || !strings.Contains(res.Output, "the build took longer than 1ns") {
		t.Errorf("Build: got ok=%v timedOut=%v output %q, want a timed-out failure", res.OK(), res.TimedOut, res.Output)
	}
}

// TestBuildMemoryLimit: a compiler that needs more than its address-space limit is stopped, and
// the student reads why. (Vet rejects this source; Build alone does not look.)
func TestBuildMemoryLimit(t *testing.T) {
	needSandbox(t)
	if !addressSpaceLimited(1 << 30) {
		t.Skip("builds run without a memory limit here (not Linux, no /bin/sh, or a lower limit already)")
	}
	for _, direct := range []bool{false, true} {
		b, err := NewBuilder(BuilderConfig{CacheDir: env.builder.CacheDir(), TempDir: env.jobs,
			Limits: Limits{CompileMemoryBytes: 1 << 30}})
		if err != nil {
			t.Fatalf("NewBuilder: %v", err)
		}
		if direct { // what Warm would have learned
			b.direct.Store(env.builder.direct.Load())
		}
		src := goodSolution + "\nvar bomb = [1 << 26]int64{1, 2, 3, 1<<26 - 1: 1}\n"
		res, err := b.Build(context.Background(), []byte(src), testHarness)
		if err != nil {
			t.Fatalf("direct=%v: Build: %v", direct, err)
		}
		if res.OK() || !strings.HasPrefix(res.Output, "the compiler needed more than 1024 MiB of memory") {
			t.Errorf("direct=%v: Build: got ok=%v output %q, want a failure for memory", direct, res.OK(), res.Output)
		}
		if res, err := b.Build(context.Background(), []byte(goodSolution), testHarness); err != nil || !res.OK() {
			t.Errorf("direct=%v: Build of a good solution under the same limit: got ok=%v %q, %v", direct, res.OK(), res.Output, err)
		}
	}
}

func TestBuildCancelled(t *testing.T) {
	needSandbox(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := env.builder.Build(ctx, []byte(goodSolution), testHarness); err == nil {
		t.Errorf("Build with a cancelled context: got no error, want one")
	}
}

// TestBuildEnv checks that the go command inherits nothing and keeps its files in the job.
func TestBuildEnv(t *testing.T) {
	needSandbox(t)
	dir := filepath.Join(env.jobs, "gradjudge-job-example")
	allowed := map[string]bool{"PATH": true, "HOME": true, "TMPDIR": true, "GOPATH": true, "GOCACHE": true,
		"GOOS": true, "GOARCH": true, "CGO_ENABLED": true, "GO111MODULE": true, "GOTOOLCHAIN": true,
		"GOPROXY": true, "GOSUMDB": true, "GOWORK": true, "GOENV": true, "GOFLAGS": true}
	got := map[string]string{}
	for _, kv := range env.builder.env(dir) {
		k, v, _ := strings.Cut(kv, "=")
		if !allowed[k] {
			t.Errorf("env: got %s, want only %v", kv, allowed)
		}
		got[k] = v
	}
	for _, k := range []string{"HOME", "TMPDIR", "GOPATH"} {
		if !strings.HasPrefix(got[k], dir+string(filepath.Separator)) {
			t.Errorf("env %s: got %q, want a directory inside the job %s", k, got[k], dir)
		}
	}
	want := map[string]string{"GOOS": "wasip1", "GOARCH": "wasm", "CGO_ENABLED": "0", "GOTOOLCHAIN": "local",
		"GOPROXY": "off", "GOWORK": "off", "GOCACHE": env.builder.CacheDir()}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("env %s: got %q, want %q", k, got[k], v)
		}
	}
}

// TestBuildIsDeterministic checks that identical sources give identical modules, which the
// Runner's cache (keyed by content) relies on, and that the second run skips compilation.
func TestBuildIsDeterministic(t *testing.T) {
	needSandbox(t)
	ctx := context.Background()
	a := mustBuild(t, goodSolution)
	b := mustBuild(t, goodSolution)
	if !bytes.Equal(a, b) {
		t.Fatalf("two builds of one source: got different modules (%d and %d bytes)", len(a), len(b))
	}
	r, err := NewRunner(ctx, RunnerConfig{})
	if err != nil {
		t.Fatalf("NewRunner: %v", err)
	}
	defer r.Close(ctx)
	first, _ := r.Run(ctx, a, FrameStdin(NewNonce(), []byte(testCases)))
	second, _ := r.Run(ctx, b, FrameStdin(NewNonce(), []byte(testCases)))
	if first.CompileDuration == 0 || second.CompileDuration != 0 {
		t.Errorf("CompileDuration: got %v then %v, want a compilation then a cache hit",
			first.CompileDuration, second.CompileDuration)
	}
}

// mustBuild builds src with the test harness and returns the module.
func mustBuild(tb testing.TB, src string) []byte {
	tb.Helper()
	res, err := env.builder.Build(context.Background(), []byte(src), testHarness)
	if err != nil || !res.OK() {
		tb.Fatalf("Build: got %v, output %q; want a module", err, res.Output)
	}
	return res.Wasm
}

// TestBuildDirectMatchesGoBuild checks that the direct path of a warm Builder says what `go
// build` says (an unwarmed Builder always runs it): the same successes and, word for word, the
// same compiler messages, including for an import the warm cache lacks, where it steps aside.
func TestBuildDirectMatchesGoBuild(t *testing.T) {
	needSandbox(t)
	if env.builder.direct.Load() == nil {
		t.Fatal("Warm: got no direct build configuration")
	}
	cold, err := NewBuilder(BuilderConfig{CacheDir: env.builder.CacheDir(), TempDir: env.jobs, Limits: testLimits})
	if err != nil {
		t.Fatalf("NewBuilder: %v", err)
	}
	ctx := context.Background()
	cases := map[string]string{
		"good":           goodSolution,
		"type error":     grad("", "\treturn undefinedName, 0"),
		"unused import":  grad("\t\"strings\"", "\treturn x, w"),
		"two errors":     grad("", "\tvar s string = 1\n\treturn s, y"),
		"syntax error":   grad("", "\treturn x w"),
		"missing body":   solution("", "func Grad(x, w, b, y float64) (dw, db float64)\n"),
		"unknown import": grad("\t\"crypto/sha256\"", "\t_ = sha256.Size\n\treturn x, w"),
		"unknown unused": grad("\t\"crypto/sha256\"", "\treturn undefinedName, 0"),
		"package main":   "package main\n\nfunc Grad(x, w, b, y float64) (dw, db float64) { return }\n",
		"constraint":     "//go:build ignore\n\n" + goodSolution,
		"cgo":            grad("\t\"C\"", "\treturn x, w"),
		"linkname":       solution("", "//go:linkname nanotime runtime.nanotime\nfunc nanotime() int64\n\n"+gradOK),
		"embed":          solution("", "//go:embed solution.go\nvar s string\n\n"+gradOK),
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			direct, err := env.builder.Build(ctx, []byte(src), testHarness)
			if err != nil {
				t.Fatalf("Build (direct): %v", err)
			}
			slow, err := cold.Build(ctx, []byte(src), testHarness)
			if err != nil {
				t.Fatalf("Build (go build): %v", err)
			}
			if direct.OK() != slow.OK() || direct.Output != slow.Output {
				t.Errorf("direct: ok=%v %q; go build: ok=%v %q", direct.OK(), direct.Output, slow.OK(), slow.Output)
			}
			checkBuildOutput(t, direct.Output)
		})
	}
}

// TestBuildMemoryLimitIsNotFooledByStudentText: a student's constant that quotes the runtime's
// out-of-memory words, shown in a compiler message, is still the compiler message.
func TestBuildMemoryLimitIsNotFooledByStudentText(t *testing.T) {
	needSandbox(t)
	src := goodSolution + "\nvar _ int = \"runtime: out of memory\\nfatal error: out of memory\"\n"
	res, err := env.builder.Build(context.Background(), []byte(src), testHarness)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if res.OK() || strings.Contains(res.Output, "the compiler needed more than") || !strings.Contains(res.Output, "cannot use") {
		t.Errorf("Build: got ok=%v output %q, want the compiler's type error", res.OK(), res.Output)
	}
}

// TestBuildBrokenToolchainIsTheJudgesError: a go command that cannot be started is the judge's
// error, not a compile error shown to the student, with or without the memory-limit wrapper.
func TestBuildBrokenToolchainIsTheJudgesError(t *testing.T) {
	needSandbox(t)
	goCmd := filepath.Join(t.TempDir(), "go")
	if err := os.WriteFile(goCmd, []byte("#!/bin/sh\nexit 0\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	b, err := NewBuilder(BuilderConfig{GoCommand: goCmd, CacheDir: t.TempDir(), TempDir: env.jobs})
	if err != nil {
		t.Fatalf("NewBuilder: %v", err)
	}
	os.Remove(goCmd)
	res, err := b.Build(context.Background(), []byte(goodSolution), testHarness)
	if err == nil {
		t.Errorf("Build with a missing go command: got %+v and no error, want an error", res)
	}
}

// TestAddressSpaceLimitNeverRaised runs this test binary again under a lower soft limit: a limit
// above it leaves the tool unwrapped (never raised), one below it is applied.
func TestAddressSpaceLimitNeverRaised(t *testing.T) {
	const current = 3 << 30
	if os.Getenv("GRADJUDGE_TEST_ASLIMIT_CHILD") == "1" {
		if addressSpaceLimited(current + 1<<30) {
			t.Errorf("a limit above the current %d bytes was applied; want it left alone", current)
		}
		if !addressSpaceLimited(current - 1<<30) {
			t.Errorf("a limit below the current %d bytes was not applied", current)
		}
		return
	}
	if !addressSpaceLimited(DefaultCompileMemoryBytes) {
		t.Skip("builds run without a memory limit here")
	}
	cmd := exec.Command("/bin/sh", "-c", `ulimit -S -v `+strconv.Itoa(current>>10)+` && exec "$0" "$@"`,
		os.Args[0], "-test.run=^TestAddressSpaceLimitNeverRaised$", "-test.v")
	cmd.Env = append(os.Environ(), "GRADJUDGE_TEST_ASLIMIT_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestAddressSpaceLimitNeverRaised") {
		t.Errorf("child under a %d-byte limit: %v\n%s", current, err, out)
	}
}
