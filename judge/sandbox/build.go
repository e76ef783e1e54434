package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// Layout of a job directory. The module is private to one build and has no requirements, so
// the go command never needs the network or a module cache.
const (
	jobModule    = "sandboxjob"
	jobGoVersion = "1.26"
	jobGoMod     = "module " + jobModule + "\n\ngo " + jobGoVersion + "\n"
	solutionDir  = "solution"
	wasmName     = "out.wasm"
)

// BuilderConfig configures a Builder. The zero value builds with the go command found in PATH,
// a build cache in os.UserCacheDir()/gradjudge/gocache, job directories in os.TempDir() and the
// default limits.
type BuilderConfig struct {
	GoCommand string // path of the go command
	CacheDir  string // GOCACHE shared by every build of this Builder; created if missing
	TempDir   string // parent of the per-build job directories; must exist
	Limits    Limits // only SourceBytes, BuildTime, CompileOutputBytes, CompileMemoryBytes and WasmBytes apply
}

// Builder compiles submissions into wasip1 WebAssembly modules. It is safe for concurrent use:
// every build has its own job directory, removed when it ends, and builds share only the build
// cache, which the go command locks itself. Make one with NewBuilder.
type Builder struct {
	goCmd    string
	cacheDir string
	tempDir  string
	limits   Limits
	direct   atomic.Pointer[directConfig] // set by Warm; nil: every build runs `go build`
	swept    int                          // stale job directories removed at start
}

// BuildResult is the outcome of one build. A failed build is data, not an error: Output then
// says why, in the compiler's words, with paths reading solution.go:LINE:COL.
type BuildResult struct {
	Wasm     []byte        // the module; nil if the build failed
	Output   string        // compiler messages, capped at Limits.CompileOutputBytes
	TimedOut bool          // the build was stopped at Limits.BuildTime
	Duration time.Duration // wall time of the build
}

// OK reports whether the build produced a module.
func (r BuildResult) OK() bool { return r.Wasm != nil }

// NewBuilder resolves the go command, creates the cache directory and removes the stale job
// directories of killed builds from TempDir (SweepStaleJobs).
func NewBuilder(cfg BuilderConfig) (*Builder, error) {
	b := &Builder{goCmd: cfg.GoCommand, cacheDir: cfg.CacheDir, tempDir: cfg.TempDir,
		limits: cfg.Limits.withDefaults()}
	if b.goCmd == "" {
		b.goCmd = "go"
	}
	path, err := exec.LookPath(b.goCmd)
	if err != nil {
		return nil, fmt.Errorf("sandbox: find go command: %w", err)
	}
	if b.goCmd, err = filepath.Abs(path); err != nil {
		return nil, fmt.Errorf("sandbox: find go command: %w", err)
	}
	if b.cacheDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("sandbox: default build cache: %w", err)
		}
		b.cacheDir = filepath.Join(dir, "gradjudge", "gocache")
	}
	if err := os.MkdirAll(b.cacheDir, 0o700); err != nil {
		return nil, fmt.Errorf("sandbox: create build cache: %w", err)
	}
	if b.tempDir == "" {
		b.tempDir = os.TempDir()
	}
	if b.swept, err = SweepStaleJobs(b.tempDir, time.Now()); err != nil {
		return nil, err
	}
	return b, nil
}

// SweptJobs returns how many stale job directories NewBuilder removed from TempDir: folders of
// builds whose process was killed.
func (b *Builder) SweptJobs() int { return b.swept }

// CacheDir returns the GOCACHE directory the Builder owns.
func (b *Builder) CacheDir() string { return b.cacheDir }

// Build compiles src as package solution, next to harness as package main of module
// "sandboxjob" (so the harness imports "sandboxjob/solution"). Callers Vet src first: Build
// checks only its size. The error is non-nil only when the toolchain or the disk failed, or ctx
// ended; a compile error, an oversized module or the build time limit is a BuildResult.
//
// After Warm, Build runs the compiler and the linker directly (see directBuild), with the same
// environment, time limit and output handling as `go build`, and runs `go build` when that path
// cannot decide: before Warm, or for an import the warm cache does not hold.
func (b *Builder) Build(ctx context.Context, src []byte, harness string) (BuildResult, error) {
	return b.build(ctx, src, harness, b.limits.BuildTime, false)
}

// build builds one job under limit. warm forces `go build` and then learns, from the job it
// built, what the direct path needs.
func (b *Builder) build(ctx context.Context, src []byte, harness string, limit time.Duration, warm bool) (res BuildResult, err error) {
	start := time.Now()
	if len(src) > b.limits.SourceBytes {
		return BuildResult{Output: checkBytes(src, b.limits.SourceBytes)[0].String()}, nil
	}
	j, err := newJob(b.tempDir)
	if err != nil {
		return BuildResult{}, err
	}
	if err = writeJob(j.dir, src, harness); err == nil {
		res, err = b.buildJob(ctx, j.dir, limit, warm, warm || !directEligible(src))
	}
	res.Duration = time.Since(start)
	return res, errors.Join(err, j.remove())
}

// removeJob removes a job directory, retrying briefly: a killed compiler may still be
// finishing a write when the go command has already exited.
func removeJob(dir string) error {
	var err error
	for attempt := range 5 {
		if err = os.RemoveAll(dir); err == nil {
			return nil
		}
		time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond)
	}
	return fmt.Errorf("sandbox: remove job directory: %w", err)
}

// writeJob lays out the module and the private HOME, TMPDIR and GOPATH of the go command.
// HOME holds a telemetry mode file saying "off": the go command ignores GOTELEMETRY in the
// environment and would otherwise keep counters there.
func writeJob(dir string, src []byte, harness string) error {
	telemetry := filepath.Join("home", ".config", "go", "telemetry")
	for _, d := range []string{solutionDir, telemetry, "tmp", "gopath"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return fmt.Errorf("sandbox: write job: %w", err)
		}
	}
	files := []struct {
		name string
		data []byte
	}{
		{"go.mod", []byte(jobGoMod)},
		{"main.go", []byte(harness)},
		{filepath.Join(solutionDir, SourceFileName), src},
		{filepath.Join(telemetry, "mode"), []byte("off\n")},
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, 0o600); err != nil {
			return fmt.Errorf("sandbox: write job: %w", err)
		}
	}
	return nil
}

// buildJob builds the job in dir, directly if Warm has run and the direct path can, with
// `go build` otherwise (always if goOnly), all under one time limit.
func (b *Builder) buildJob(ctx context.Context, dir string, limit time.Duration, warm, goOnly bool) (BuildResult, error) {
	bctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	if dc := b.direct.Load(); dc != nil && !goOnly {
		if res, ok, err := b.directBuild(ctx, bctx, dc, dir, limit); ok || err != nil {
			return res, err
		}
	}
	res, err := b.goBuild(ctx, bctx, dir, limit)
	if err != nil || !warm || !res.OK() {
		return res, err
	}
	dc, err := b.learnDirect(bctx, dir)
	if err != nil {
		return BuildResult{}, err
	}
	b.direct.Store(dc)
	return res, nil
}

// timedOut is the result of a build stopped at its time limit.
func timedOut(limit time.Duration) BuildResult {
	msg := fmt.Sprintf("the build took longer than %v and was stopped; "+
		"very large constants, arrays or literals, or very long functions or expressions, make the compiler slow", limit)
	return BuildResult{Output: msg, TimedOut: true}
}

// overMemory is the result of a build whose compiler or linker ran out of its memory limit.
func overMemory(limit int64) BuildResult {
	msg := fmt.Sprintf("the compiler needed more than %d MiB of memory and was stopped; "+
		"very large constants, arrays or literals make the compiler use a lot of memory", limit>>20)
	return BuildResult{Output: msg}
}

// ranOutOfMemory reports whether a tool's output says that the Go runtime could not allocate. Only
// whole lines count: a compiler message starts with a file position, so a student's constant
// quoted in it cannot pass for the runtime's own words.
func ranOutOfMemory(out *capWriter) bool {
	raw, _ := out.bytes()
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "fatal error: out of memory") || strings.HasPrefix(line, "runtime: out of memory") {
			return true
		}
	}
	return false
}

// goBuild runs `go build` in dir under bctx, the build's time limit, and reads the module it
// wrote.
func (b *Builder) goBuild(ctx, bctx context.Context, dir string, limit time.Duration) (BuildResult, error) {
	out := &capWriter{limit: b.limits.CompileOutputBytes}
	runErr := b.runTool(bctx, dir, out, b.goCmd, []string{"build", "-trimpath", "-buildvcs=false", "-o", wasmName, "."})
	text := cleanBuildOutput(out, dir)
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return BuildResult{}, fmt.Errorf("sandbox: build: %w", ctx.Err())
	case bctx.Err() != nil:
		return timedOut(limit), nil
	case errors.As(runErr, &exit) && ranOutOfMemory(out):
		return overMemory(b.limits.CompileMemoryBytes), nil
	case errors.As(runErr, &exit) && strings.HasPrefix(text, "go: "):
		return BuildResult{}, fmt.Errorf("sandbox: go build: %s", text)
	case errors.As(runErr, &exit):
		return BuildResult{Output: text}, nil
	case runErr != nil:
		return BuildResult{}, fmt.Errorf("sandbox: go build: %w", runErr)
	}
	return b.readWasm(dir, text)
}

// env is the whole environment of the go command: nothing is inherited from the judge.
func (b *Builder) env(dir string) []string {
	return []string{
		"PATH=" + filepath.Dir(b.goCmd),
		"HOME=" + filepath.Join(dir, "home"),
		"TMPDIR=" + filepath.Join(dir, "tmp"),
		"GOPATH=" + filepath.Join(dir, "gopath"),
		"GOCACHE=" + b.cacheDir,
		"GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0",
		"GO111MODULE=on", "GOTOOLCHAIN=local", "GOPROXY=off", "GOSUMDB=off", "GOWORK=off",
		"GOENV=off", "GOFLAGS=",
	}
}

func (b *Builder) readWasm(dir, output string) (BuildResult, error) {
	path := filepath.Join(dir, wasmName)
	info, err := os.Stat(path)
	if err != nil {
		return BuildResult{}, fmt.Errorf("sandbox: read module: %w", err)
	}
	if info.Size() > b.limits.WasmBytes {
		msg := fmt.Sprintf("the built program is %d bytes; at most %d bytes are allowed",
			info.Size(), b.limits.WasmBytes)
		return BuildResult{Output: msg}, nil
	}
	wasm, err := os.ReadFile(path)
	if err != nil {
		return BuildResult{}, fmt.Errorf("sandbox: read module: %w", err)
	}
	return BuildResult{Wasm: wasm, Output: output}, nil
}

// cleanBuildOutput makes compiler messages read as if the student's file were alone: no job
// directory, no package header lines, solution.go instead of solution/solution.go.
func cleanBuildOutput(out *capWriter, dir string) string {
	raw, truncated := out.bytes()
	text := strings.ReplaceAll(string(raw), dir+string(filepath.Separator), "")
	text = strings.ReplaceAll(text, dir, ".")
	text = strings.ReplaceAll(text, solutionDir+"/"+SourceFileName, SourceFileName)
	text = strings.ReplaceAll(text, jobModule+"/", "")
	var lines []string
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "# ") || line == "" {
			continue
		}
		lines = append(lines, strings.TrimPrefix(line, "./"))
	}
	if truncated {
		lines = append(lines, "... (compiler output truncated)")
	}
	text = strings.Join(lines, "\n")
	if strings.Contains(text, "build constraints exclude all Go files in "+solutionDir) {
		return SourceFileName + ": the file is excluded from the build " +
			"(by a //go:build line, or by import \"C\" since cgo is off)"
	}
	return text
}
