package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// The direct build path runs the compiler and the linker of the toolchain itself, as `go build
// -trimpath` would for the job, but without the go command: no package loading, no staleness
// checks of the standard library, one process fewer. It needs the export files of every standard
// package a job can reach, which Warm finds in the build cache once (see learnDirect).
const (
	// maxCompileConcurrency caps the compiler's -c flag, as the go command does.
	maxCompileConcurrency = 4
	// directDir is the job subdirectory holding the importcfg files and the compiled packages.
	directDir = "obj"
	// importFailure is how the compiler says that an import is missing from the importcfg. The
	// direct path then steps aside for `go build`, whose message is the one students know.
	importFailure = "could not import"
)

// goCommandOnly lists what, in a source file, only the go command handles: build constraints
// (which can exclude the file) and cgo. The compiler ignores them, so a file that mentions any
// of them, even in a comment, is built with `go build`. Vet rejects all of them anyway.
var goCommandOnly = [][]byte{[]byte("go:build"), []byte("+build"), []byte(`"C"`)}

// directEligible reports whether the direct path builds src exactly as `go build` would: no
// go-command-only syntax, and package solution (`go build` refuses to import a package main).
func directEligible(src []byte) bool {
	for _, s := range goCommandOnly {
		if bytes.Contains(src, s) {
			return false
		}
	}
	f, err := parser.ParseFile(token.NewFileSet(), SourceFileName, src, parser.PackageClauseOnly)
	return err == nil && f.Name.Name == solutionDir
}

// directConfig is what the direct path needs: the toolchain's tool directory and the importcfg
// lines ("packagefile PATH=FILE") of every standard package a job may reach, runtime included.
type directConfig struct {
	toolDir   string
	importcfg string
}

// learnDirect lists, in dir (a job that Warm has just built), the export files of every package
// the warm job reaches plus the runtime's, all of them in the build cache, and the tool directory.
func (b *Builder) learnDirect(ctx context.Context, dir string) (*directConfig, error) {
	toolDir, err := b.goOutput(ctx, dir, "env", "GOTOOLDIR")
	if err != nil {
		return nil, err
	}
	args := []string{"list", "-export", "-deps", "-f",
		"{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}", ".", "runtime"}
	args = append(args, allowedImports[:]...)
	list, err := b.goOutput(ctx, dir, args...)
	if err != nil {
		return nil, err
	}
	var cfg strings.Builder
	for line := range strings.SplitSeq(list, "\n") {
		if line == "" || strings.HasPrefix(line, "packagefile "+jobModule) {
			continue // the job's own packages are rebuilt by every build
		}
		cfg.WriteString(line + "\n")
	}
	if !strings.Contains(cfg.String(), "packagefile runtime=") {
		return nil, fmt.Errorf("sandbox: go list -export: no runtime in %q", list)
	}
	return &directConfig{toolDir: strings.TrimSpace(toolDir), importcfg: cfg.String()}, nil
}

// goOutput runs the go command in dir with the job environment and returns its stdout.
func (b *Builder) goOutput(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, b.goCmd, args...)
	cmd.Dir = dir
	cmd.Env = b.env(dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	killGroupOnCancel(cmd)
	cmd.WaitDelay = ProcessWaitDelay
	out, err := cmd.Output()
	if ctx.Err() != nil {
		awaitGroupExit(cmd, ProcessWaitDelay)
	}
	if err != nil {
		return "", fmt.Errorf("sandbox: go %s: %w: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// directBuild builds the job in dir with the compiler and linker alone, under bctx (the build's
// time limit; ctx is the caller's). ok is false when the direct path cannot say: an import it
// does not know, a harness that does not compile, a failing linker or tool. The caller then
// runs `go build`, which gives the usual result and message.
func (b *Builder) directBuild(ctx, bctx context.Context, dc *directConfig, dir string, limit time.Duration) (res BuildResult, ok bool, err error) {
	obj := filepath.Join(dir, directDir)
	if err := os.Mkdir(obj, 0o700); err != nil {
		return BuildResult{}, false, fmt.Errorf("sandbox: write job: %w", err)
	}
	solutionA := filepath.Join(obj, "solution.a")
	mainA := filepath.Join(obj, "main.a")
	cfgSolution := filepath.Join(obj, "importcfg")
	cfgMain := filepath.Join(obj, "importcfg.main")
	mainCfg := dc.importcfg + "packagefile " + jobModule + "/" + solutionDir + "=" + solutionA + "\n"
	for name, data := range map[string]string{cfgSolution: dc.importcfg, cfgMain: mainCfg} {
		if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
			return BuildResult{}, false, fmt.Errorf("sandbox: write job: %w", err)
		}
	}
	compile := func(out, pkg, trim, cfg, src string) []string {
		return []string{"-o", out, "-trimpath", trim, "-p", pkg, "-lang=go" + jobGoVersion, "-complete",
			"-dwarf=false", "-c=" + strconv.Itoa(min(runtime.GOMAXPROCS(0), maxCompileConcurrency)),
			"-nolocalimports", "-importcfg", cfg, "-pack", src}
	}
	steps := []struct {
		tool string
		args []string
	}{
		{"compile", compile(solutionA, jobModule+"/"+solutionDir,
			filepath.Join(dir, solutionDir)+"=>"+jobModule+"/"+solutionDir, cfgSolution,
			"./"+solutionDir+"/"+SourceFileName)},
		{"compile", compile(mainA, "main", dir+"=>"+jobModule, cfgMain, "./main.go")},
		{"link", []string{"-o", filepath.Join(dir, wasmName), "-importcfg", cfgMain, "-buildmode=exe", mainA}},
	}
	for i, step := range steps {
		out := &capWriter{limit: b.limits.CompileOutputBytes}
		runErr := b.runTool(bctx, dir, out, filepath.Join(dc.toolDir, step.tool), step.args)
		var exit *exec.ExitError
		switch {
		case ctx.Err() != nil:
			return BuildResult{}, false, fmt.Errorf("sandbox: build: %w", ctx.Err())
		case bctx.Err() != nil:
			return timedOut(limit), true, nil
		case runErr == nil:
			continue
		case errors.As(runErr, &exit) && ranOutOfMemory(out):
			return overMemory(b.limits.CompileMemoryBytes), true, nil
		case i == 0 && errors.As(runErr, &exit):
			raw, _ := out.bytes()
			if bytes.Contains(raw, []byte(importFailure)) {
				return BuildResult{}, false, nil
			}
			return BuildResult{Output: cleanBuildOutput(out, dir)}, true, nil
		default:
			return BuildResult{}, false, nil
		}
	}
	if res, err = b.readWasm(dir, ""); err != nil {
		return BuildResult{}, false, nil // let `go build` try, and say what is wrong
	}
	return res, true, nil
}

// runTool runs one toolchain binary in dir with the job environment and the address-space limit
// under ctx, its whole process group killed when ctx ends, and its output into out. A tool that
// cannot be started is an error, never an *exec.ExitError that would read as the student's build.
func (b *Builder) runTool(ctx context.Context, dir string, out *capWriter, tool string, args []string) error {
	name, argv, wrapped := withAddressSpaceLimit(tool, args, b.limits.CompileMemoryBytes)
	cmd := exec.CommandContext(ctx, name, argv...)
	cmd.Dir = dir
	cmd.Env = b.env(dir)
	cmd.Stdout, cmd.Stderr = out, out
	killGroupOnCancel(cmd)
	cmd.WaitDelay = ProcessWaitDelay
	err := cmd.Run()
	if ctx.Err() != nil {
		awaitGroupExit(cmd, ProcessWaitDelay)
	}
	var exit *exec.ExitError
	if wrapped && errors.As(err, &exit) && wrapperFailed(exit.ExitCode()) {
		raw, _ := out.bytes()
		return fmt.Errorf("sandbox: run %s under a memory limit (exit status %d): %s",
			filepath.Base(tool), exit.ExitCode(), bytes.TrimSpace(raw))
	}
	return err
}
