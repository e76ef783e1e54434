package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

// Mode selects how a Runner executes WebAssembly. The zero value is Interpreter.
type Mode int

const (
	// Interpreter starts fastest: a Go module of about 3 MiB compiles in ~0.13 s and a small
	// exercise runs in ~15 ms, against ~0.9 s and ~7 ms with Compiler. It is the default.
	Interpreter Mode = iota
	// Compiler compiles to machine code: worth it only when many runs share one module or a
	// run computes for long.
	Compiler
)

// String returns "interpreter" or "compiler".
func (m Mode) String() string {
	if m == Compiler {
		return "compiler"
	}
	return "interpreter"
}

// Kind is how a run ended. The values other than OK are spelled like the matching
// gradjudge.Status values.
type Kind string

// The ways a run can end.
const (
	OK           Kind = "ok"            // exit status 0; the judge reads the results
	RuntimeError Kind = "runtime_error" // non-zero exit status, panic, trap or stack overflow
	TimeLimit    Kind = "time_limit"    // still running at Limits.RunTime
	MemoryLimit  Kind = "memory_limit"  // needed more than Limits.MemoryBytes
	OutputLimit  Kind = "output_limit"  // wrote more than Limits.OutputBytes to stdout
)

// Outcome is what one run did. Everything in it may be shown to the student who wrote the
// code: paths are stripped and output is capped.
type Outcome struct {
	Kind            Kind
	Message         string        // one line saying why a run failed ("panic: ..."); empty if OK
	Line            int           // line in solution.go of the innermost frame of a panic; 0 if unknown
	Stdout          []byte        // at most Limits.OutputBytes: result frames and the student's prints
	Stderr          string        // head and tail, at most Limits.StderrBytes, paths stripped
	ExitCode        int           // the module's exit status; -1 if it was stopped or trapped
	Duration        time.Duration // wall time from instantiation to the end of the run
	CompileDuration time.Duration // time spent compiling the module; zero on a cache hit
}

// RunnerConfig configures a Runner. The zero value is the interpreter, the default limits and
// DefaultModuleCacheEntries.
type RunnerConfig struct {
	Mode         Mode
	Limits       Limits // only RunTime, MemoryBytes, OutputBytes and StderrBytes apply
	CacheEntries int    // compiled modules kept; default DefaultModuleCacheEntries
}

// Runner runs wasip1 modules in one shared wazero runtime. A module sees only stdin, stdout,
// stderr and its program name: no files, no environment, no sockets, a clock that does not
// tell real time and a fixed random source (wazero's defaults, which keep runs deterministic).
// It is safe for concurrent use. Make one with NewRunner and Close it when done.
type Runner struct {
	rt     wazero.Runtime
	mode   Mode
	limits Limits
	cache  *moduleCache
}

// NewRunner creates the runtime with the memory limit and instantiates WASI in it.
func NewRunner(ctx context.Context, cfg RunnerConfig) (*Runner, error) {
	limits := cfg.Limits.withDefaults()
	rc := wazero.NewRuntimeConfigInterpreter()
	if cfg.Mode == Compiler {
		rc = wazero.NewRuntimeConfigCompiler()
	}
	rc = rc.WithMemoryLimitPages(limits.memoryPages()).
		WithMemoryCapacityFromMax(true).
		WithCloseOnContextDone(true)
	rt := wazero.NewRuntimeWithConfig(ctx, rc)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		_ = rt.Close(ctx)
		return nil, fmt.Errorf("sandbox: instantiate WASI: %w", err)
	}
	entries := cfg.CacheEntries
	if entries <= 0 {
		entries = DefaultModuleCacheEntries
	}
	return &Runner{rt: rt, mode: cfg.Mode, limits: limits, cache: newModuleCache(rt, entries)}, nil
}

// Mode returns the execution mode the Runner was made with.
func (r *Runner) Mode() Mode { return r.mode }

// Close releases the runtime and every cached module. Runs in progress fail.
func (r *Runner) Close(ctx context.Context) error { return r.rt.Close(ctx) }

// Run runs wasm with stdin as its standard input until it exits or a limit stops it. The
// error is non-nil only when the judge failed (a module it cannot compile) or ctx ended; every
// ending of the student's program is an Outcome.
func (r *Runner) Run(ctx context.Context, wasm, stdin []byte) (Outcome, error) {
	mod, took, release, err := r.cache.get(ctx, wasm)
	if err != nil {
		if strings.Contains(err.Error(), "over limit") { // wazero: "min N pages over limit of M pages"
			msg := fmt.Sprintf("the program's static data alone needs more than %d MiB", r.limits.MemoryBytes>>20)
			return Outcome{Kind: MemoryLimit, Message: msg, ExitCode: -1}, nil
		}
		return Outcome{}, fmt.Errorf("sandbox: compile module: %w", err)
	}
	defer release()
	o, err := r.execute(ctx, mod, stdin)
	o.CompileDuration = took
	return o, err
}

// execute instantiates mod, which runs its _start function, under the run time limit.
func (r *Runner) execute(ctx context.Context, mod wazero.CompiledModule, stdin []byte) (Outcome, error) {
	rctx, cancel := context.WithTimeout(ctx, r.limits.RunTime)
	defer cancel()
	stdout := &capWriter{limit: r.limits.OutputBytes, onExceed: cancel}
	stderr := newHeadTailWriter(r.limits.StderrBytes)
	cfg := wazero.NewModuleConfig().WithName("").WithArgs("solution").
		WithStdin(bytes.NewReader(stdin)).WithStdout(stdout).WithStderr(stderr)
	start := time.Now()
	inst, err := r.rt.InstantiateModule(withMemoryAllocator(rctx), mod, cfg)
	took := time.Since(start)
	if inst != nil {
		_ = inst.Close(context.Background())
	}
	if ctx.Err() != nil {
		return Outcome{}, fmt.Errorf("sandbox: run: %w", ctx.Err())
	}
	out, flooded := stdout.bytes()
	o := r.classify(err, flooded, cleanStderr(stderr.String()))
	o.Stdout, o.Duration = out, took
	return o, nil
}

// classify turns how the module ended into an Outcome.
func (r *Runner) classify(err error, flooded bool, stderr string) Outcome {
	o := Outcome{Stderr: stderr, ExitCode: -1}
	var exit *sys.ExitError
	switch {
	case flooded:
		o.Kind = OutputLimit
		o.Message = fmt.Sprintf("the program wrote more than %d bytes to standard output", r.limits.OutputBytes)
	case err == nil:
		o.Kind, o.ExitCode = OK, 0
	case errors.As(err, &exit) && exit.ExitCode() == sys.ExitCodeDeadlineExceeded:
		o.Kind = TimeLimit
		o.Message = fmt.Sprintf("the program ran longer than %v", r.limits.RunTime)
	case errors.As(err, &exit) && exit.ExitCode() == sys.ExitCodeContextCanceled:
		o.Kind, o.Message = RuntimeError, "the program was stopped"
	case errors.As(err, &exit):
		o = exited(o, int(exit.ExitCode()), r.limits.MemoryBytes)
	default:
		o.Kind, o.Message = RuntimeError, trapMessage(err.Error())
	}
	return o
}

// exited classifies a module that called exit with a status.
func exited(o Outcome, code int, memoryBytes int64) Outcome {
	o.ExitCode = code
	switch {
	case code == 0:
		o.Kind = OK
	case outOfMemory(o.Stderr):
		o.Kind = MemoryLimit
		o.Message = fmt.Sprintf("the program needed more than %d MiB of memory", memoryBytes>>20)
	default:
		o.Kind = RuntimeError
		o.Message, o.Line = panicMessage(o.Stderr)
		if o.Message == "" {
			o.Message = fmt.Sprintf("the program exited with status %d", code)
		}
	}
	return o
}
