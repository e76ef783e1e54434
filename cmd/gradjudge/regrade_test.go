package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gradjudge/exercises"
)

// TestRegradeCommand: answers judged against one version of an author's exercise are regraded
// after the file changes; a second run finds nothing to do. The edit leaves the grading as it
// was, so no verdict changes (store's TestRegrade covers verdicts that do).
func TestRegradeCommand(t *testing.T) {
	const ex = "chain-rule-multiply"
	dir := authorCatalog(t, ex)
	dataDir := t.TempDir()
	m := startMainWith(t, dataDir, func(m *Main) { m.Config.Catalog = dir })
	_, alice, cp, _ := courseWithAlice(t, m, "Regrade", ex)
	var v variantDTO
	alice.must(200, "GET", cp+"/exercises/"+ex, nil, &v)
	cat, err := exercises.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	right, wrong, _ := answers(t, cat, ex, v.Seed)
	for _, a := range []map[string]any{wrong, right, wrong} {
		alice.must(200, "POST", cp+"/exercises/"+ex+"/submissions?wait=true", map[string]any{"fields": a}, nil)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	args := []string{"regrade", "--exercise", ex, "--data-dir", dataDir, "--catalog", dir, "--code=false"}
	if code, out, errs := runCLI(t, "", args...); code != 0 || !strings.Contains(out, "0 of 0 submissions") {
		t.Fatalf("nothing changed yet: exit %d\n%s\n%s", code, out, errs)
	}
	file := filepath.Join(dir, "catalog", ex+".md")
	editFile(t, file, `title = "Effects multiply: the chain rule"`, `title = "Effects multiply"`)
	code, out, errs := runCLI(t, "", append(args, "--dry-run")...)
	if code != 0 || !strings.Contains(out, "3 of 3 submissions judged; dry run: would change 0 verdicts") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", args...)
	if code != 0 || !strings.Contains(out, "3 of 3 submissions judged; regraded 0 verdicts") || !strings.Contains(errs, "3/3 100%") {
		t.Fatalf("regrade: exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, _ := runCLI(t, "", args...); code != 0 || !strings.Contains(out, "0 of 0 submissions") {
		t.Errorf("a second regrade: exit %d\n%s", code, out)
	}
	if code, _, errs := runCLI(t, "", "regrade", "--exercise", "no-such", "--data-dir", dataDir, "--code=false"); code != 1 || !strings.Contains(errs, "no exercise") {
		t.Errorf("an unknown exercise: exit %d, %q", code, errs)
	}
}

// TestRegradeOverTheAPI: an author's edit reaches the server (--watch), an instructor regrades
// the course's answers through the API, and the server's own workers judge them.
func TestRegradeOverTheAPI(t *testing.T) {
	const ex = "chain-rule-multiply"
	dir := authorCatalog(t, ex)
	ticks := make(chan time.Time)
	m := startMainWith(t, t.TempDir(), func(m *Main) { m.Config.Catalog, m.Config.Watch, m.WatchTicks = dir, true, ticks })
	inst, alice, cp, _ := courseWithAlice(t, m, "Regrade", ex)
	var v variantDTO
	alice.must(200, "GET", cp+"/exercises/"+ex, nil, &v)
	cat, err := exercises.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	right, wrong, _ := answers(t, cat, ex, v.Seed)
	for _, a := range []map[string]any{wrong, right} {
		alice.must(200, "POST", cp+"/exercises/"+ex+"/submissions?wait=true", map[string]any{"fields": a}, nil)
	}
	type regrade struct {
		ID, Total, Done, Changed int
		FinishedAt               *time.Time `json:"finished_at"`
	}
	var r regrade
	inst.must(202, "POST", cp+"/exercises/"+ex+"/regrade", map[string]any{}, &r)
	if r.Total != 0 {
		t.Errorf("before any edit: %+v, want nothing to regrade", r)
	}
	alice.must(403, "POST", cp+"/exercises/"+ex+"/regrade", map[string]any{}, nil)

	editFile(t, filepath.Join(dir, "catalog", ex+".md"), `title = "Effects multiply: the chain rule"`, `title = "Effects multiply"`)
	ticks <- time.Time{}
	ticks <- time.Time{} // the reload is done
	r = regrade{}
	inst.must(202, "POST", cp+"/exercises/"+ex+"/regrade", map[string]any{}, &r)
	if r.Total != 2 {
		t.Fatalf("after the edit: %+v, want both answers", r)
	}
	// The server's workers judge in the background: ask until done, bounded (nothing to wake on
	// from outside the process).
	deadline := time.Now().Add(30 * time.Second)
	for r.FinishedAt == nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		id := r.ID
		r = regrade{}
		inst.must(200, "GET", fmt.Sprintf("%s/regrades/%d", cp, id), nil, &r)
	}
	if r.Done != 2 || r.Changed != 0 || r.FinishedAt == nil {
		t.Errorf("regrade %+v: want both judged, none changed, finished", r)
	}
	inst.must(404, "GET", fmt.Sprintf("%s/regrades/%d", cp, r.ID+100), nil, nil)
}
