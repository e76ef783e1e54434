package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runCLI runs the binary's dispatch in-process with stdin and returns exit code, stdout, stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := dispatch(context.Background(), stdio{strings.NewReader(stdin), &out, &errb}, args)
	return code, out.String(), errb.String()
}
