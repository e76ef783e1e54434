package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sourceCatalog is the embedded catalog's source directory: a catalog directory too.
const sourceCatalog = "../../exercises"

// authorCatalog copies misconceptions.toml and the named exercises of the source catalog into a
// fresh directory, as an author starting a catalog of their own would.
func authorCatalog(t *testing.T, ids ...string) string {
	t.Helper()
	dir := t.TempDir()
	copyFile(t, filepath.Join(sourceCatalog, "misconceptions.toml"), filepath.Join(dir, "misconceptions.toml"))
	for _, id := range ids {
		copyFile(t, filepath.Join(sourceCatalog, "catalog", id+".md"), filepath.Join(dir, "catalog", id+".md"))
	}
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, to, string(data))
}

func writeTestFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// editFile replaces old by new in file name.
func editFile(t *testing.T, name, old, new string) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q", name, old)
	}
	writeTestFile(t, name, strings.Replace(string(data), old, new, 1))
}

func TestExercisesValidateDir(t *testing.T) {
	if code, out, errs := runCLI(t, "", "exercises", "validate", sourceCatalog, "--seeds", "2", "--no-code"); code != 0 || !strings.Contains(out, ": ok") {
		t.Fatalf("the source catalog: exit %d\n%s\n%s", code, out, errs)
	}
	// The whole source catalog serves from its directory, code exercises too.
	if code, out, errs := runCLI(t, "", "exercises", "list", "--catalog", sourceCatalog); code != 0 || !strings.Contains(out, "code-relu-backward") {
		t.Fatalf("list --catalog of the source catalog: exit %d\n%s\n%s", code, out, errs)
	}
	dir := authorCatalog(t, "chain-rule-multiply")
	file := filepath.Join(dir, "catalog", "chain-rule-multiply.md")
	if code, out, errs := runCLI(t, "", "exercises", "validate", dir, "--seeds", "2", "--no-code"); code != 0 || !strings.Contains(out, "1 exercises × 2 seeds") {
		t.Fatalf("an author's catalog: exit %d\n%s\n%s", code, out, errs)
	}
	editFile(t, file, `kind = "numeric"`, `kind = "essay"`)
	code, _, errs := runCLI(t, "", "exercises", "validate", dir, "--no-code")
	if want := file + ":4: kind \"essay\""; code != 1 || !strings.Contains(errs, want) {
		t.Errorf("a bad file: exit %d, stderr %q; want 1 and %q", code, errs, want)
	}
	t.Setenv("GRADJUDGE_CATALOG", dir)
	if code, _, errs := runCLI(t, "", "exercises", "list"); code != 1 || !strings.Contains(errs, file+":4:") {
		t.Errorf("list with $GRADJUDGE_CATALOG naming a bad catalog: exit %d, %q", code, errs)
	}
}

func TestServeCatalogFlags(t *testing.T) {
	m := newMainWithEnv(map[string]string{"GRADJUDGE_CATALOG": "/srv/exercises", "GRADJUDGE_WATCH": "true"})
	if err := m.ParseFlags(nil); err != nil || m.Config.Catalog != "/srv/exercises" || !m.Config.Watch {
		t.Errorf("from the environment: %v, catalog %q, watch %v", err, m.Config.Catalog, m.Config.Watch)
	}
	m = NewMain(stdio{err: &syncBuffer{}})
	m.LookupEnv = func(string) (string, bool) { return "", false }
	if err := m.ParseFlags([]string{"--watch", "--data-dir", t.TempDir(), "--addr", ":0"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "--watch needs --catalog") {
		t.Errorf("--watch alone: %v", err)
	}
	m.Close()
}

// TestServeRefusesBadCatalog: a bad file stops the server at start with the file, line and reason.
func TestServeRefusesBadCatalog(t *testing.T) {
	dir := authorCatalog(t, "chain-rule-multiply")
	file := filepath.Join(dir, "catalog", "chain-rule-multiply.md")
	editFile(t, file, `kind = "numeric"`, "kind = \"numeric\"\ncolour = \"blue\"")
	code, _, errs := runCLI(t, "", "serve", "--addr", ":0", "--data-dir", t.TempDir(), "--catalog", dir)
	if want := file + ":5: "; code != 1 || !strings.Contains(errs, want) || !strings.Contains(errs, "colour") {
		t.Errorf("exit %d, stderr %q; want 1 and %q…colour", code, errs, want)
	}
}

// TestServeWatchReloads: with --watch an author's edit serves after the next look at the files;
// a broken edit is refused, logged with file:line, and the previous version keeps serving. The
// test paces the looks with its own ticks.
func TestServeWatchReloads(t *testing.T) {
	dir := authorCatalog(t, "chain-rule-multiply", "fan-out")
	file := filepath.Join(dir, "catalog", "chain-rule-multiply.md")
	ticks := make(chan time.Time)
	m := startMainWith(t, t.TempDir(), func(m *Main) {
		m.Config.Catalog, m.Config.Watch, m.WatchTicks = dir, true, ticks
	})
	// Two ticks: Run takes the second only once the look the first started is over.
	look := func() { ticks <- time.Time{}; ticks <- time.Time{} }
	admin := login(t, m.URL(), "admin@example.edu", testAdminPassword)
	var course idDTO
	admin.must(201, "POST", "/api/v1/courses", map[string]any{"title": "Authoring"}, &course)
	path := fmt.Sprintf("/api/v1/courses/%d/exercises/chain-rule-multiply", course.ID)
	title := func() string {
		var v struct{ Title string }
		admin.must(200, "GET", path, nil, &v)
		return v.Title
	}
	old := title()

	editFile(t, file, "title = \""+old+"\"", `title = "Effects multiply, edited"`)
	look()
	if got := title(); got != "Effects multiply, edited" {
		t.Errorf("title %q after an edit, want the edited one", got)
	}

	editFile(t, file, `kind = "numeric"`, `kind = "essay"`)
	look()
	if got := title(); got != "Effects multiply, edited" {
		t.Errorf("title %q after a refused edit, want the previous version", got)
	}
	logs := m.Stderr.(*syncBuffer).String()
	if !strings.Contains(logs, "catalog change refused") || !strings.Contains(logs, "chain-rule-multiply.md:4: kind") {
		t.Errorf("the refusal is not logged with file:line:\n%s", logs)
	}
}

// TestExercisesShowAnswers: an author sees a variant with its answers and the predicted wrong ones.
func TestExercisesShowAnswers(t *testing.T) {
	code, out, errs := runCLI(t, "", "exercises", "show", "fan-out", "--seed", "3", "--answers")
	if code != 0 || !strings.Contains(out, "answers:") || !strings.Contains(out, "fanout-not-summed") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, _ := runCLI(t, "", "exercises", "show", "fan-out", "--seed", "3"); code != 0 || strings.Contains(out, "answers:") {
		t.Errorf("without --answers the answers show: exit %d\n%s", code, out)
	}
}
