package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// oapiCodegen is the client generator, a tool dependency of the module (go.mod's tool line).
const oapiCodegen = "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"

// clientRuntime is the module a generated client imports to encode parameters, at the version
// the generated client is built with.
const clientRuntime = "github.com/oapi-codegen/runtime v1.9.0"

// clientReport is what testdata/clientcheck prints.
type clientReport struct {
	TokenType       string `json:"token_type"`
	NumericStatus   string `json:"numeric_status"`
	NumericVerdict  string `json:"numeric_verdict"`
	AcceptedID      int64  `json:"accepted_id"`
	AcceptedStatus  string `json:"accepted_status"`
	Location        string `json:"location"`
	PolledID        int64  `json:"polled_id"`
	PolledStatus    string `json:"polled_status"`
	RateLimitedCode string `json:"rate_limited_code"`
	RetryAfter      int    `json:"retry_after"`
}

// TestGeneratedClient generates Go code from the served document with oapi-codegen as a new user
// would: first at its default settings (types, client, server, embedded document), which must
// succeed, then the types and client alone, which it compiles in a module of their own with
// testdata/clientcheck and runs against a real server: sign in, submit a numeric answer, submit a
// code answer without waiting, poll it by its Location, and read a 429's Retry-After. It skips
// only when the generator cannot be built here.
func TestGeneratedClient(t *testing.T) {
	dir := t.TempDir()
	tool := buildTool(t)
	f := newContractFixture(t, 3)
	spec := filepath.Join(dir, "openapi.json")
	if err := os.WriteFile(spec, servedDocument(t, f.http.URL), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, tool, "-package", "gradjudge", "-o", filepath.Join(dir, "default.gen.go"), spec)

	mod := filepath.Join(dir, "clientcheck")
	if err := os.MkdirAll(filepath.Join(mod, "client"), 0o755); err != nil {
		t.Fatal(err)
	}
	run(t, dir, tool, "-generate", "types,client", "-package", "client", "-o", filepath.Join(mod, "client", "client.gen.go"), spec)
	copyFile(t, filepath.Join("testdata", "clientcheck", "main.go"), filepath.Join(mod, "main.go"))
	goMod := "module clientcheck\n\ngo 1.26\n\nrequire " + clientRuntime + "\n"
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(goMod), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, mod, "go", "mod", "tidy")
	bin := filepath.Join(dir, "clientcheck.bin")
	run(t, mod, "go", "build", "-o", bin, ".")

	out := run(t, dir, bin, f.http.URL, "alice@example.edu", contractPassword("alice"),
		strconv.FormatInt(f.course, 10), numericExercise, codeExercise)
	var got clientReport
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("clientcheck printed %s: %v", out, err)
	}
	checkClientReport(t, got)
}

func checkClientReport(t *testing.T, got clientReport) {
	t.Helper()
	want := clientReport{TokenType: "Bearer", NumericStatus: "done", NumericVerdict: got.NumericVerdict,
		AcceptedID: got.AcceptedID, AcceptedStatus: "queued", Location: fmt.Sprintf("/api/v1/submissions/%d", got.AcceptedID),
		PolledID: got.AcceptedID, PolledStatus: "queued", RateLimitedCode: "rate_limited", RetryAfter: got.RetryAfter}
	if got != want {
		t.Errorf("the generated client saw\n%+v\nwant\n%+v", got, want)
	}
	if got.NumericVerdict == "" || got.AcceptedID <= 0 || got.RetryAfter < 1 {
		t.Errorf("verdict %q, accepted id %d, Retry-After %d: want a verdict, an id and at least 1 s", got.NumericVerdict, got.AcceptedID, got.RetryAfter)
	}
}

// buildTool returns the path of the module's oapi-codegen as `go tool` builds it (and caches
// it), or skips the test when it cannot be built (no module proxy and no copy of its modules, for
// one).
func buildTool(t *testing.T) string {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command("go", "tool", "-n", "oapi-codegen")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("SKIP: the client generator %s (a tool of go.mod) cannot be built here, so no client is generated: %v\n%s", oapiCodegen, err, stderr.Bytes())
	}
	return strings.TrimSpace(string(out))
}

// run runs name with args in dir and returns its standard output; it fails the test, with the
// standard error, when the command fails. go commands may add to the module they run in
// (GOFLAGS=-mod=mod), which is the generated client's own.
func run(t *testing.T, dir, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=mod"), "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s%s", filepath.Base(name), args, err, out, stderr.Bytes())
	}
	return out
}

// servedDocument is the OpenAPI document the server at base serves.
func servedDocument(t *testing.T, base string) []byte {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET openapi.json: %d %v", resp.StatusCode, err)
	}
	return b
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
