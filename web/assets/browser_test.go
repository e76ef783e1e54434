package assets

import (
	"context"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gradjudge/autograd"
	"gradjudge/exercises"
	"gradjudge/internal/testbrowser"
	"gradjudge/web/graphsvg"
	"gradjudge/web/statement"
)

// Budgets the bundle is held to.
const (
	firstLoadBudgetBytes = 400 << 10 // everything a code exercise's first visit transfers, fonts included
	browserTimeout       = 90 * time.Second
)

// pageCSP is the policy the student pages need: web.go's, plus scripts and fonts from our origin.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// cspListener is loaded first in the test page: it records every policy violation for the test.
const cspListener = `window.__csp = []; document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`

// editorRoot finds the editor's shadow root, where CodeMirror lives.
const editorRoot = `document.querySelector(".code-editor").shadowRoot`

// starter is the code the editor starts from; line 3 is where the "compile error" points.
const starter = "package solution\n\nfunc F(x float64) float64 {\n\treturn x\n}\n"

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bundle check</title>
<script src="/csp-listener.js"></script>
<link rel="stylesheet" href="/static/style.css"><link rel="stylesheet" href="/static/graph.css">
<link rel="stylesheet" href="/static/css/math.css"><link rel="stylesheet" href="/static/css/editor.css">
<script src="/static/js/math.js" defer></script><script src="/static/js/editor.js" defer></script>
</head><body><main><h1>The lesson's two-layer network</h1>
<section class="statement">{{.Statement}}</section>
<p>A formula that does not parse keeps its plain reading: <span class="math-inline" id="broken" data-tex="\frac{1}{">1/</span></p>
{{.Graph}}
<form method="post" action="/submit">
<p class="error" id="compile-error">solution.go:3: something is wrong on line 3</p>
<label for="code">Your code</label>
<textarea id="code" name="code" rows="8" cols="60" data-editor="go" data-error-line="3" aria-describedby="compile-error">{{.Starter}}</textarea>
<button type="submit" id="send">Send</button>
</form></main></body></html>`))

// TestBrowserBundle loads a page like a code exercise's under the pages' strict CSP in Chromium:
// the statement's math is typeset by KaTeX with fonts from our origin (a formula that does not
// parse keeps its plain reading), the graph is drawn, the
// code editor replaces its textarea, marks the compile error's line, takes typing and Tab, lets
// the keyboard leave with Escape then Tab, and the form posts what was typed. No policy is
// violated, axe-core finds no serious or critical problem, and the first load fits its budget.
func TestBrowserBundle(t *testing.T) {
	ctx := newBrowser(t)
	srv, posted := bundleServer(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(".code-editor")),
	)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](editorRoot+`.querySelector(".cm-editor") !== null`)); err != nil {
		t.Fatalf("no editor: %v", err)
	}
	formulas := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".statement .math-inline, .statement .math-display").length`))
	ready := `document.querySelectorAll("[data-typeset] .katex").length === ` + itoa(formulas) + ` && document.fonts.status === "loaded"`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](ready)); err != nil || formulas < 5 {
		t.Fatalf("%d formulas, not all typeset with their fonts loaded: %v", formulas, err)
	}
	if got := run(t, ctx, chromedp.Evaluate[string](`(b => b.textContent + "|" + (b.dataset.typeset || ""))(document.getElementById("broken"))`)); got != "1/|" {
		t.Errorf("the broken formula reads %q, want its plain reading 1/ and no typesetting", got)
	}
	if got := run(t, ctx, chromedp.Evaluate[string](editorRoot+`.querySelector(".cm-line.cm-error-line").textContent + "|" + `+
		editorRoot+`.querySelector(".cm-error-gutter").textContent`)); got != "func F(x float64) float64 {|3" {
		t.Errorf("the marked line and gutter read %q, want line 3", got)
	}
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](editorRoot+`.querySelector(".cm-content").focus()`),
		chromedp.KeyEvent("// typed "), chromedp.KeyEvent(kb.Tab),
	)
	if err != nil {
		t.Fatalf("typing: %v", err)
	}
	want := "\t// typed " + starter // Tab indents the line the cursor is on
	if got := run(t, ctx, chromedp.Value(chromedp.ID("code"))); got != want {
		t.Errorf("the textarea holds %q after typing, want %q", got, want)
	}
	err = chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent(kb.Tab))
	if focused := run(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)); err != nil || focused != "send" {
		t.Errorf("Escape then Tab left focus on %q (%v), want the send button", focused, err)
	}
	checkAxe(t, ctx)
	if v := run(t, ctx, chromedp.Evaluate[[]string](`window.__csp`)); len(v) > 0 {
		t.Errorf("policy violations: %q", v)
	}
	checkTransfer(t, ctx)
	screenshots(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("send")), chromedp.WaitVisible(chromedp.ID("posted"))); err != nil {
		t.Fatalf("submit: %v", err)
	}
	if got := posted(); got != strings.ReplaceAll(want, "\n", "\r\n") && got != want {
		t.Errorf("the form posted %q, want %q", got, want)
	}
}

// bundleServer serves the test page, web/static through FileServer, and a form target that
// records the posted code.
func bundleServer(t *testing.T) (*httptest.Server, func() string) {
	t.Helper()
	page := pageData(t)
	var mu sync.Mutex
	var code string
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", FileServer(os.DirFS("../static"))))
	mux.HandleFunc("GET /csp-listener.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write([]byte(cspListener))
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", pageCSP)
		if err := pageTemplate.Execute(w, page); err != nil {
			t.Error(err)
		}
	})
	mux.HandleFunc("POST /submit", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		code = r.FormValue("code")
		mu.Unlock()
		w.Header().Set("Content-Security-Policy", pageCSP)
		w.Write([]byte(`<!doctype html><html lang="en"><title>Posted</title><p id="posted">posted</p></html>`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, func() string { mu.Lock(); defer mu.Unlock(); return code }
}

type pageView struct {
	Statement, Graph template.HTML
	Starter          string
}

func pageData(t *testing.T) pageView {
	t.Helper()
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	in, err := cat.Instance("two-layer-network", 1)
	if err != nil {
		t.Fatal(err)
	}
	st, err := statement.New().Render(in.Variant().Statement)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]autograd.Tensor{}
	for _, name := range in.Exercise.Graph.Inputs() {
		values[name] = in.Inputs[name]
	}
	g, err := graphsvg.Render(graphsvg.Picture{Graph: in.Exercise.Graph, Values: values,
		States: map[string]graphsvg.State{"h": graphsvg.Right, "r": graphsvg.FirstWrong}})
	if err != nil {
		t.Fatal(err)
	}
	return pageView{Statement: st, Graph: g, Starter: starter}
}

// checkAxe runs axe-core (web/testdata/axe.min.js, injected through the debugging protocol, which
// the page's policy does not govern) and fails on serious or critical violations.
func checkAxe(t *testing.T, ctx context.Context) {
	t.Helper()
	axe, err := os.ReadFile("../testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Evaluate[chromedp.Void](string(axe)))
	found := run(t, ctx, chromedp.Evaluate[[]string](`axe.run(document).then((r) => r.violations
		.filter((v) => v.impact === "serious" || v.impact === "critical")
		.map((v) => v.id + " (" + v.impact + "): " + v.nodes.map((n) => n.target.join(" ")).join(", ")))`, chromedp.EvalAwaitPromise))
	for _, v := range found {
		t.Errorf("axe: %s", v)
	}
}

// checkTransfer adds up what the page's first load transferred (the page, its scripts, styles
// and fonts, compressed as sent) and holds it to the budget.
func checkTransfer(t *testing.T, ctx context.Context) {
	t.Helper()
	entries := run(t, ctx, chromedp.Evaluate[[]struct {
		Name string  `json:"name"`
		Size float64 `json:"size"`
	}](`performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
		.map((e) => ({name: e.name, size: e.transferSize}))`))
	total := 0.0
	for _, e := range entries {
		total += e.Size
		t.Logf("%8.0f B  %s", e.Size, e.Name)
	}
	t.Logf("first load: %.0f bytes (%.1f KiB) in %d requests", total, total/1024, len(entries))
	if total > firstLoadBudgetBytes {
		t.Errorf("the first load transfers %.0f bytes, over the budget of %d", total, firstLoadBudgetBytes)
	}
}

// screenshots keeps pictures of the page at a desktop's and a phone's width for looking at; set
// GRADJUDGE_SCREENSHOTS to a directory to keep them.
func screenshots(t *testing.T, ctx context.Context) {
	dir := os.Getenv("GRADJUDGE_SCREENSHOTS")
	if dir == "" {
		return
	}
	for _, width := range []int64{1280, 390} {
		if _, err := chromedp.Run(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatal(err)
		}
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "bundle-"+itoa(int(width))+".png")
		if err := os.WriteFile(path, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}
	if _, err := chromedp.Run(ctx, chromedp.EmulateViewport(1400, 1000)); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// newBrowser starts a headless Chromium for at most browserTimeout, or skips the test where there
// is none.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return testbrowser.Start(t, browserTimeout)
}

// run runs one browser action that returns a value, failing the test on an error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}
