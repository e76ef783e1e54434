package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// firstLoadBudgetBytes is what the first visit of an exercise page may transfer, compressed,
// fonts included (issue 9).
const firstLoadBudgetBytes = 400 << 10

// axePath is axe-core, injected into the pages to check them.
const axePath = "../../web/testdata/axe.min.js"

// firstLoad opens the code and the numeric exercise in a tab with the browser cache off, as a
// first visit, waits for the math to be typeset with its fonts and the editor to be up, and holds
// what each transferred to the budget.
func (s *student) firstLoad() {
	for _, id := range []string{codeExercise, numericExercise} {
		ctx, cancel := chromedp.NewContext(s.ctx)
		if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
			s.t.Fatalf("turn the cache off: %v", err)
		}
		url := fmt.Sprintf("%s/courses/%d/exercises/%s", s.base, s.course, id)
		ready := `document.fonts.status === "loaded" && document.querySelectorAll(".statement [data-typeset]").length > 0` +
			` && (!document.querySelector("textarea[data-editor]") || document.querySelector(".code-editor") !== null)`
		if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
			s.t.Fatalf("first load of %s: %v", id, err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](ready)); err != nil {
			s.t.Fatalf("first load of %s: not typeset: %v", id, err)
		}
		total, lines := transferred(s.t, ctx)
		s.t.Logf("first load of %s: %d bytes (%.1f KiB) in %d requests\n%s", id, total, float64(total)/1024, len(lines), strings.Join(lines, "\n"))
		if total > firstLoadBudgetBytes {
			s.t.Errorf("the first load of %s transfers %d bytes, over the budget of %d", id, total, firstLoadBudgetBytes)
		}
		cancel()
	}
}

// transferred adds up what the page's load transferred (the page, its scripts, styles and fonts,
// compressed as sent), as the browser counts it.
func transferred(t *testing.T, ctx context.Context) (int, []string) {
	t.Helper()
	entries := run(t, ctx, chromedp.Evaluate[[]struct {
		Name string  `json:"name"`
		Size float64 `json:"size"`
	}](`performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
		.map((e) => ({name: e.name, size: e.transferSize}))`))
	total := 0
	var lines []string
	for _, e := range entries {
		total += int(e.Size)
		lines = append(lines, fmt.Sprintf("%8.0f B  %s", e.Size, e.Name))
	}
	return total, lines
}

// checkAxe runs axe-core (injected through the debugging protocol, which the page's policy does
// not govern) on the page and fails on serious or critical violations.
func checkAxe(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Evaluate[chromedp.Void](string(axe)))
	found := run(t, ctx, chromedp.Evaluate[[]string](`axe.run(document).then((r) => r.violations
		.filter((v) => v.impact === "serious" || v.impact === "critical")
		.map((v) => v.id + " (" + v.impact + "): " + v.help + ": " + v.nodes.map((n) => n.target.join(" ")).join(", ")))`, chromedp.EvalAwaitPromise))
	for _, v := range found {
		t.Errorf("axe on the %s page: %s", page, v)
	}
}
