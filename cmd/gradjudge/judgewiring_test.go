package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"gradjudge/judge/sandbox"
)

func TestCodeLimits(t *testing.T) {
	got, err := codeLimits{CodeBuildTime: time.Minute, CodeRunTime: 5 * time.Second, CodeMemoryMiB: 512}.sandboxLimits()
	want := sandbox.Limits{BuildTime: time.Minute, RunTime: 5 * time.Second, MemoryBytes: 512 << 20}
	if err != nil || got != want {
		t.Errorf("sandboxLimits: got %+v, %v; want %+v", got, err, want)
	}
	if got, err := (codeLimits{}).sandboxLimits(); err != nil || got != (sandbox.Limits{}) {
		t.Errorf("zero limits: got %+v, %v; want zero (the sandbox's defaults)", got, err)
	}
	for _, bad := range []struct {
		c    codeLimits
		want string
	}{
		{codeLimits{CodeBuildTime: -time.Second}, "--code-build-time must not be negative"},
		{codeLimits{CodeRunTime: -time.Second}, "--code-run-time must not be negative"},
		{codeLimits{CodeMemoryMiB: -1}, "--code-memory-mib must be from 0 to 4096; got -1"},
		{codeLimits{CodeMemoryMiB: 4097}, "--code-memory-mib must be from 0 to 4096; got 4097"},
	} {
		if _, err := bad.c.sandboxLimits(); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%+v: got %v; want an error containing %q", bad.c, err, bad.want)
		}
	}
}

// TestServeRejectsBadCodeLimits: serve stops at start, with the flag's name, on a bad limit.
func TestServeRejectsBadCodeLimits(t *testing.T) {
	serveMustRefuse(t, []string{"--code-run-time", "-1s"}, "--code-run-time must not be negative")
}

// serveMustRefuse runs serve with args on a free port and a fresh data directory, and fails the
// test unless it exits non-zero with every one of wants in its error output. Were the arguments
// accepted, serve would run until a bounded context ends, then exit 0: a failure, not a hang.
func serveMustRefuse(t *testing.T, args []string, wants ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errs bytes.Buffer
	code := dispatch(ctx, stdio{strings.NewReader(""), &out, &errs},
		append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, args...))
	for _, want := range wants {
		if code == 0 || !strings.Contains(errs.String(), want) {
			t.Errorf("serve %q: exit %d, %q; want an error containing %q", args, code, errs.String(), want)
		}
	}
}
