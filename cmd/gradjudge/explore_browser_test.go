package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gradjudge/autograd"
	"gradjudge/internal/app"
	"gradjudge/web/graphsvg"
)

// lessonReference evaluates the lesson's network on inputs with the reference autograd, apart
// from the server: its gradients, and the loss after one update with learning rate lr.
func lessonReference(t *testing.T, inputs map[string]float64, lr float64) (map[string]autograd.Tensor, float64, float64) {
	t.Helper()
	g, err := autograd.Parse(app.LessonGraph)
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]autograd.Tensor{}
	for k, v := range inputs {
		in[k] = autograd.Scalar(v)
	}
	run, err := g.Forward(in)
	if err != nil {
		t.Fatal(err)
	}
	grads, err := run.Gradients("L", autograd.Application{})
	if err != nil {
		t.Fatal(err)
	}
	loss, _ := run.Value("L")
	for _, p := range []string{"w1", "b1", "w2", "b2"} {
		in[p] = autograd.Scalar(inputs[p] - lr*grads[p].Item())
	}
	next, err := g.Forward(in)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := next.Value("L")
	return grads, loss.Item(), after.Item()
}

// TestBrowserExplorer steps the lesson's network forward to the end and back one step, by mouse
// and by keyboard, without reloading; checks ∂L/∂w₁ against the reference autograd; applies one
// update and sees the loss go down; closes the ReLU and sees the gradient blocked; and runs
// axe-core at every stage.
func TestBrowserExplorer(t *testing.T) {
	ctx, base := browserAndServer(t)
	grads, loss, after := lessonReference(t, app.LessonInputs(), app.DefaultLearningRate)

	err := chromedp.Do(ctx,
		signInAs(base, "admin@example.edu", testAdminPassword),
		chromedp.Navigate(base+"/explore"),
		chromedp.WaitVisible(chromedp.ID("step-next")),
	)
	if err != nil {
		t.Fatalf("open the explorer: %v", err)
	}
	checkAxe(t, ctx, "explorer")
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`))
	for i := 1; i <= 11; i++ {
		stepTo(t, ctx, "step-next", i)
	}
	stepTo(t, ctx, "step-prev", 10)
	current := run(t, ctx, chromedp.Text(chromedp.ID("step-current")))
	want := "∂L/∂w₁ = ∂L/∂h · ∂h/∂w₁"
	if !strings.HasPrefix(current, want) || !strings.HasSuffix(current, "= "+graphsvg.Value(grads["w1"])) {
		t.Errorf("step 10 reads %q; want %s … = %s (the reference autograd)", current, want, graphsvg.Value(grads["w1"]))
	}
	if !run(t, ctx, chromedp.Evaluate[bool](`window.notReloaded === true`)) {
		t.Error("stepping reloaded the page; the script should swap the explorer in place")
	}
	checkAxe(t, ctx, "explorer")
	checkFits(t, ctx, "explorer")
	screenshotsOf(t, ctx, "explorer-backward")

	// Keyboard only: Tab reaches the links; Enter steps, and focus stays on the link.
	run(t, ctx, chromedp.Focus(chromedp.ID("step-next")))
	for _, n := range []int{11} {
		run(t, ctx, chromedp.KeyEvent(kb.Enter))
		waitStep(t, ctx, n)
	}
	if id := run(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)); id != "step-next" {
		t.Errorf("after stepping by keyboard the focus is on %q, want step-next", id)
	}

	shownLoss := run(t, ctx, chromedp.Text(chromedp.ID("loss")))
	if shownLoss != graphsvg.Value(autograd.Scalar(loss)) {
		t.Errorf("loss shown %q, want %s", shownLoss, graphsvg.Value(autograd.Scalar(loss)))
	}
	checkAxe(t, ctx, "explorer")
	screenshotsOf(t, ctx, "explorer-update")
	run(t, ctx, chromedp.Click(chromedp.ID("apply-update")))
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("loss") !== null && document.getElementById("loss").textContent === `+strconv.Quote(graphsvg.Value(autograd.Scalar(after)))))
	if err != nil {
		t.Fatalf("after one update the loss is not %s: %v", graphsvg.Value(autograd.Scalar(after)), err)
	}
	if !(after < loss) {
		t.Errorf("the lesson's update does not lower the loss: %g → %g", loss, after)
	}

	// Close the ReLU: w₁ = −1 makes h negative, and the gradient stops there.
	err = chromedp.Do(ctx, chromedp.Navigate(base+"/explore?in.w1=-1&step=9"), chromedp.WaitVisible(chromedp.ID("step-current")))
	if err != nil {
		t.Fatal(err)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.ID("step-current"))); !strings.Contains(got, "blocked") {
		t.Errorf("step 9 with a closed ReLU reads %q; want it blocked", got)
	}
	if n := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#explore .blocked, #explorer [class*=blocked]").length`)); n == 0 {
		t.Error("the picture shows no blocked edge")
	}
	checkAxe(t, ctx, "explorer")
	screenshotsOf(t, ctx, "explorer-blocked")
	phonePicture(t, ctx, base)
}

// phonePicture: on a phone the lesson's tall picture is wider than the screen. It says so, and
// the current step's node is in sight, both when a step's page is loaded and after a step taken
// without reloading (b₁, the last step's, lies at the picture's far right).
func phonePicture(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	run(t, ctx, chromedp.EmulateViewport(390, 900))
	defer run(t, ctx, chromedp.EmulateViewport(1400, 1000))
	inSight := `(() => {
		const box = document.querySelector("#explorer .graph-scroll");
		const mark = [...box.querySelectorAll(".graph-focus")].find((m) => m.getBoundingClientRect().width > 0);
		const b = box.getBoundingClientRect(), r = mark.getBoundingClientRect();
		return box.scrollWidth > box.clientWidth && r.left >= b.left && r.right <= b.right;
	})()`
	for _, path := range []string{"/explore?step=11", "/explore?step=10"} {
		run(t, ctx, chromedp.Steps(chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.ID("step-current"))))
		if path == "/explore?step=10" {
			stepTo(t, ctx, "step-next", 11)
		}
		if !run(t, ctx, chromedp.Evaluate[bool](`document.querySelector("#explorer .graph-hint").offsetParent !== null`)) {
			t.Errorf("%s at 390 px: the picture does not say it scrolls", path)
		}
		if !run(t, ctx, chromedp.Evaluate[bool](inSight)) {
			t.Errorf("%s at 390 px: the current step's node is out of sight in a picture that scrolls", path)
		}
	}
	checkFits(t, ctx, "explorer, a phone")
}

// stepTo clicks the link id and waits for step n.
func stepTo(t *testing.T, ctx context.Context, id string, n int) {
	t.Helper()
	run(t, ctx, chromedp.Click(chromedp.ID(id)))
	waitStep(t, ctx, n)
}

func waitStep(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	want := "Step " + strconv.Itoa(n) + " of "
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("step-count").textContent.startsWith(`+strconv.Quote(want)+`)`)); err != nil {
		t.Fatalf("waiting for %q: %v", want, err)
	}
}

// checkFits fails when the page is wider than a phone's screen (390 px): only tables and
// pictures may scroll, inside their own boxes.
func checkFits(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	run(t, ctx, chromedp.EmulateViewport(390, 900))
	defer run(t, ctx, chromedp.EmulateViewport(1400, 1000))
	if w := run(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); w > 0 {
		wide := run(t, ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("main *")).filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 5).map((e) => e.tagName + "." + e.className).join(", ")`))
		t.Errorf("%s at 390 px is %d px wider than the screen: %s", name, w, wide)
	}
}

// screenshotsOf keeps pictures of the page at a desktop's and a phone's width when
// GRADJUDGE_SCREENSHOTS names a directory.
func screenshotsOf(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("GRADJUDGE_SCREENSHOTS")
	if dir == "" {
		return
	}
	for _, width := range []int64{1280, 390} {
		run(t, ctx, chromedp.EmulateViewport(width, 900))
		shot := run(t, ctx, chromedp.FullScreenshot(100))
		path := filepath.Join(dir, name+"-"+strconv.Itoa(int(width))+".png")
		if err := os.WriteFile(path, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(t, ctx, chromedp.EmulateViewport(1400, 1000))
}
