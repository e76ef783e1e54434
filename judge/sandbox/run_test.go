package sandbox

import (
	"context"
	"slices"
	"sync"
	"testing"
)

func TestRunnerModes(t *testing.T) {
	needSandbox(t)
	wasm := mustBuild(t, goodSolution)
	for _, mode := range []Mode{Interpreter, Compiler} {
		t.Run(mode.String(), func(t *testing.T) {
			ctx := context.Background()
			r, err := NewRunner(ctx, RunnerConfig{Mode: mode})
			if err != nil {
				t.Fatalf("NewRunner: %v", err)
			}
			defer r.Close(ctx)
			nonce := NewNonce()
			o, err := r.Run(ctx, wasm, FrameStdin(nonce, []byte(testCases)))
			if err != nil || o.Kind != OK {
				t.Fatalf("Run: got %v, %+v; want OK", err, o)
			}
			wantResults(testResults, "")(t, o, nonce)
		})
	}
}

func TestRunConcurrently(t *testing.T) {
	needSandbox(t)
	wasm := mustBuild(t, goodSolution)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			nonce := NewNonce()
			o, err := env.runner.Run(context.Background(), wasm, FrameStdin(nonce, []byte(testCases)))
			if err != nil || o.Kind != OK {
				t.Errorf("Run: got %v, %s %q; want OK", err, o.Kind, o.Message)
				return
			}
			wantResults(testResults, "")(t, o, nonce)
		})
	}
	wg.Wait()
}

func TestModuleCacheEvicts(t *testing.T) {
	needSandbox(t)
	ctx := context.Background()
	r, err := NewRunner(ctx, RunnerConfig{CacheEntries: 1})
	if err != nil {
		t.Fatalf("NewRunner: %v", err)
	}
	defer r.Close(ctx)
	a := mustBuild(t, goodSolution)
	b := mustBuild(t, grad("", "\treturn x, w"))
	var compiled []bool
	for _, wasm := range [][]byte{a, a, b, a} {
		o, err := r.Run(ctx, wasm, FrameStdin(NewNonce(), []byte(testCases)))
		if err != nil || o.Kind != OK {
			t.Fatalf("Run: got %v, %s; want OK", err, o.Kind)
		}
		compiled = append(compiled, o.CompileDuration > 0)
	}
	if want := []bool{true, false, true, true}; !slices.Equal(compiled, want) {
		t.Errorf("compiled per run: got %v, want %v", compiled, want)
	}
	if got := r.cache.len(); got != 1 {
		t.Errorf("cache entries: got %d, want 1", got)
	}
}

func TestRunCancelled(t *testing.T) {
	needSandbox(t)
	wasm := mustBuild(t, goodSolution)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := env.runner.Run(ctx, wasm, nil); err == nil {
		t.Errorf("Run with a cancelled context: got no error, want one")
	}
}

func TestRunInvalidModule(t *testing.T) {
	needSandbox(t)
	if _, err := env.runner.Run(context.Background(), []byte("not wasm"), nil); err == nil {
		t.Errorf("Run of garbage: got no error, want one (the judge built it)")
	}
}

// isolationHarness reports what a module can see of the machine: the judge's own harness is
// trusted, so this shows the limits of the runtime rather than of Vet.
const isolationHarness = `package main

import (
	"fmt"
	"os"

	_ "sandboxjob/solution"
)

func main() {
	_, readErr := os.ReadFile("/etc/passwd")
	_, dirErr := os.ReadDir("/")
	createErr := os.WriteFile("/tmp/sandbox-escape", []byte("x"), 0o600)
	fmt.Println(readErr != nil, dirErr != nil, createErr != nil, len(os.Environ()), os.Args)
}
`

func TestRunIsolation(t *testing.T) {
	needSandbox(t)
	res, err := env.builder.Build(context.Background(), []byte(goodSolution), isolationHarness)
	if err != nil || !res.OK() {
		t.Fatalf("Build: got %v, output %q; want a module", err, res.Output)
	}
	o, err := env.runner.Run(context.Background(), res.Wasm, nil)
	if err != nil || o.Kind != OK {
		t.Fatalf("Run: got %v, %s %q; want OK", err, o.Kind, o.Stderr)
	}
	if got, want := string(o.Stdout), "true true true 0 [solution]\n"; got != want {
		t.Errorf("read, list, create fail; env size; args: got %q, want %q", got, want)
	}
}
