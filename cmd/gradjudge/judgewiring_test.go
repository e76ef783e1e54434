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
	// Were the limit accepted, serve would run until this context ends, then exit 0.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errs bytes.Buffer
	code := dispatch(ctx, stdio{strings.NewReader(""), &out, &errs},
		[]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--code-run-time", "-1s"})
	if code == 0 || !strings.Contains(errs.String(), "--code-run-time must not be negative") {
		t.Errorf("serve --code-run-time -1s: exit %d, %q", code, errs.String())
	}
}
