package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// saltCounter makes every benchmark source new, so that each build compiles the solution
// package as a new student's submission would, with only the standard library cached.
// The salt is used by an init function, so that it reaches the built module: a module that
// differed from the last one only by its build ID would hit the Runner's module cache.
var saltCounter atomic.Int64

func saltedSolution() string {
	salt := fmt.Sprintf("%d%d", time.Now().UnixNano(), saltCounter.Add(1))
	return goodSolution + "\nvar salt float64 = " + salt + "\n\nvar salted float64\n\n" +
		"func init() { salted = Salted(1) }\n\nfunc Salted(x float64) float64 { return x + salt }\n"
}

// benchRun measures a cold run: a new Runner compiles the module, then runs three cases.
func benchRun(b *testing.B, mode Mode) {
	needSandbox(b)
	wasm := mustBuild(b, goodSolution)
	ctx := context.Background()
	var compile, run time.Duration
	for b.Loop() {
		r, err := NewRunner(ctx, RunnerConfig{Mode: mode})
		if err != nil {
			b.Fatalf("NewRunner: %v", err)
		}
		o, err := r.Run(ctx, wasm, FrameStdin(NewNonce(), []byte(testCases)))
		if err != nil || o.Kind != OK {
			b.Fatalf("Run: got %v, %s %q; want OK", err, o.Kind, o.Message)
		}
		compile, run = compile+o.CompileDuration, run+o.Duration
		r.Close(ctx)
	}
	b.ReportMetric(float64(compile.Milliseconds())/float64(b.N), "compile-ms/op")
	b.ReportMetric(float64(run.Milliseconds())/float64(b.N), "run-ms/op")
}

func BenchmarkRunInterpreter(b *testing.B) { benchRun(b, Interpreter) }

func BenchmarkRunCompiler(b *testing.B) { benchRun(b, Compiler) }

// BenchmarkBuildAndRun measures what a new submission costs after Vet: a Build with a warm
// standard library and a Run that compiles the new module.
func BenchmarkBuildAndRun(b *testing.B) {
	needSandbox(b)
	ctx := context.Background()
	for b.Loop() {
		res, err := env.builder.Build(ctx, []byte(saltedSolution()), testHarness)
		if err != nil || !res.OK() {
			b.Fatalf("Build: got %v, output %q; want a module", err, res.Output)
		}
		o, err := env.runner.Run(ctx, res.Wasm, FrameStdin(NewNonce(), []byte(testCases)))
		if err != nil || o.Kind != OK {
			b.Fatalf("Run: got %v, %s %q; want OK", err, o.Kind, o.Message)
		}
	}
}

// BenchmarkBareGoBuild is the floor for BenchmarkBuildAndRun: a plain `go build -trimpath` for
// wasip1 of the same new source in a prepared module, with the same warm cache and nothing else
// (no job directory, no clean environment, no run).
func BenchmarkBareGoBuild(b *testing.B) {
	needSandbox(b)
	dir, err := os.MkdirTemp(env.root, "bare-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := writeJob(dir, []byte(goodSolution), testHarness); err != nil {
		b.Fatal(err)
	}
	bareBuild(b, dir) // once untimed, like the Builder's Warm
	for b.Loop() {
		bareBuild(b, dir)
	}
}

func bareBuild(b *testing.B, dir string) {
	src := filepath.Join(dir, solutionDir, SourceFileName)
	if err := os.WriteFile(src, []byte(saltedSolution()), 0o600); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(env.builder.goCmd, "build", "-trimpath", "-o", wasmName, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0", "HOME="+filepath.Join(dir, "home"),
		"GOCACHE="+env.builder.CacheDir(), "GOFLAGS=-buildvcs=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
}

// BenchmarkVet measures Vet of a small correct file. Target: well under 50 ms/op, so that vet
// adds nothing noticeable to a submission.
func BenchmarkVet(b *testing.B) {
	v := testVetter(b)
	for b.Loop() {
		if diags := v.Vet([]byte(goodSolution), gradSignature); len(diags) > 0 {
			b.Fatalf("Vet: got %v", diags)
		}
	}
}

// BenchmarkVetCases measures Vet of each of TestVet's files, hostile ones included. Target: every
// one well under a second; a bomb that gets through a check shows here as seconds.
func BenchmarkVetCases(b *testing.B) {
	v := testVetter(b)
	for _, tc := range vetCases() {
		b.Run(tc.name, func(b *testing.B) {
			src := []byte(tc.src)
			for b.Loop() {
				v.Vet(src, gradSignature)
			}
		})
	}
}
