package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gradjudge"
	"gradjudge/exercises"
)

// studentTimeout bounds the student's whole browser session: the code judge's start and two code
// verdicts included.
const studentTimeout = 5 * time.Minute

// The exercises of the student's course: one of each kind, and one asking for a vector and a
// matrix (answered without JavaScript).
const (
	numericExercise = "chain-rule-multiply"
	choiceExercise  = "backprop-vs-gradient-descent"
	gridExercise    = "vector-linear-layer"
)

// student is one student's browser session on a running server.
type student struct {
	t      *testing.T
	ctx    context.Context
	base   string
	course int64
	userID int64
	cat    *exercises.Catalog
}

// TestBrowserStudent runs the real server and a real browser, and does what a student does, by
// keyboard alone: signs in, opens the course, answers a numeric exercise with a misconception
// (sees it explained and the first wrong node marked in the graph), then partly right, then
// right; answers a choice exercise; writes code in the editor that does not compile (the editor
// marks the line the error names) and then code that is accepted, each verdict arriving in the
// open page after the queue. axe-core checks every page on the way. Then, with JavaScript off,
// a numeric exercise with a vector and a matrix and the choice exercise still work. Right
// answers come from the catalog, for the student's own variant.
func TestBrowserStudent(t *testing.T) {
	ctx := newBrowserWithin(t, studentTimeout)
	dir := t.TempDir()
	// No workers: a code answer waits in the queue until the test starts one, so that the page
	// is seen waiting and then updating itself. Numeric and choice answers are graded inline.
	m := startMain(t, dir, func(c *ServeConfig) { c.NoWorkers = true })
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := &student{t: t, ctx: ctx, base: m.URL(), cat: cat}
	s.course, s.userID = seedStudentCourse(t, m.URL())

	s.signIn()
	s.numeric()
	s.choice()
	s.code(dir)
	s.withoutScript()
	s.firstLoad()
}

// seedStudentCourse makes, through the API, an instructor and a student (stu@…, password-stu)
// and a course of the four exercises with the student enrolled. It returns the course and the
// student's id.
func seedStudentCourse(t *testing.T, base string) (course, userID int64) {
	t.Helper()
	return seedCourse(t, base, "Backpropagation", numericExercise, choiceExercise, codeExercise, gridExercise)
}

// seedCourse makes, through the API, an instructor (inst@…, password-inst) and a student
// (stu@…, password-stu), and a course titled title of the exercises with the student enrolled.
// It returns the course and the student's id.
func seedCourse(t *testing.T, base, title string, exerciseIDs ...string) (course, userID int64) {
	t.Helper()
	admin := login(t, base, "admin@example.edu", testAdminPassword)
	var stu idDTO
	admin.must(201, "POST", "/api/v1/users", map[string]string{"email": "inst@example.edu", "name": "Ines", "role": "instructor", "password": "password-inst"}, nil)
	admin.must(201, "POST", "/api/v1/users", map[string]string{"email": "stu@example.edu", "name": "Stu Dent", "role": "student", "password": "password-stu"}, &stu)
	inst := login(t, base, "inst@example.edu", "password-inst")
	var c idDTO
	inst.must(201, "POST", "/api/v1/courses", map[string]any{"title": title, "exercise_ids": exerciseIDs}, &c)
	inst.must(201, "POST", fmt.Sprintf("/api/v1/courses/%d/enrollments", c.ID), map[string]string{"email": "stu@example.edu", "role": "student"}, nil)
	return c.ID, stu.ID
}

// signIn signs in by keyboard (the email field has the focus; Enter sends) and opens the course.
func (s *student) signIn() {
	s.do("sign-in page", chromedp.Navigate(s.base+"/"), chromedp.WaitVisible(chromedp.ID("email")))
	s.check("sign-in")
	s.do("sign in",
		chromedp.KeyEvent("stu@example.edu"), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("password-stu\r"),
		chromedp.WaitVisible(chromedp.ID("signout")))
	course := fmt.Sprintf("/courses/%d", s.course)
	s.tabTo(fmt.Sprintf(`a[href=%q]`, course))
	s.do("open the course", chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS(".exercise-list")))
	s.check("course")
}

// numeric answers the numeric exercise three times: with a misconception, partly right, right.
func (s *student) numeric() {
	in := s.instance(numericExercise)
	right, wrong, tag := answers(s.t, s.cat, numericExercise, in.Seed)
	s.openExercise(numericExercise)
	s.check("numeric-empty")

	s.answerByKeyboard(in, wrong, 1)
	misc, _ := s.cat.Misconception(tag)
	review := s.text(fmt.Sprintf(`#verdict article.review[data-tag=%q]`, tag))
	if !strings.Contains(review, misc.Title) || !strings.Contains(review, misc.Explanation) {
		s.t.Errorf("the verdict's review of %s reads %q; want the catalog's title %q and explanation %q", tag, review, misc.Title, misc.Explanation)
	}
	if n := s.eval(visibleNodes + `(".first-wrong").length`); n != "1" {
		s.t.Errorf("%s nodes marked first wrong in the graph, want 1", n)
	}
	if alt := s.eval(`document.querySelector(".graph-text").textContent`); !strings.Contains(alt, "first wrong answer") {
		s.t.Errorf("the graph's text alternative %q does not name the first wrong answer", alt)
	}
	s.check("numeric-wrong")

	partly := map[string]any{}
	for k, v := range right {
		partly[k] = v
	}
	last := in.Exercise.Quantities[len(in.Exercise.Quantities)-1].ID
	partly[last] = right[last].(float64) + 1
	s.answerByKeyboard(in, partly, 2)
	s.wantVerdict(gradjudge.StatusPartial)
	s.check("numeric-partly-right")

	s.answerByKeyboard(in, right, 3)
	s.wantVerdict(gradjudge.StatusAccepted)
	if n := s.eval(visibleNodes + `(".first-wrong, .wrong").length`); n != "0" {
		s.t.Errorf("%s nodes still marked wrong after the right answer", n)
	}
	s.check("numeric-right")
}

// choice answers the choice exercise by keyboard: Tab to the options, the arrow keys to the
// right one, Enter.
func (s *student) choice() {
	in := s.instance(choiceExercise)
	s.openExercise(choiceExercise)
	s.check("choice-empty")
	s.tabTo(`input[name="choice"]`)
	for range 10 {
		if s.eval(`document.activeElement.value`) == rightOption(s.t, in) {
			break
		}
		s.do("next option", chromedp.KeyEvent(kb.ArrowDown))
	}
	s.do("answer the choice", chromedp.KeyEvent(" \r"), chromedp.WaitVisible(chromedp.CSS(".attempt-list > li:nth-child(1)")))
	s.wantVerdict(gradjudge.StatusAccepted)
	s.check("choice-right")
}

// code types code that does not compile into the editor, sees it wait in the queue, starts a
// worker, sees the compile error arrive and its line marked in the editor, then types the right
// code and sees it accepted, without reloading the page itself.
func (s *student) code(dataDir string) {
	s.openExercise(codeExercise)
	s.poll("the editor", `document.querySelector(".code-editor") !== null`)
	s.check("code-empty")
	const broken = `var broken int = "one"`
	s.tabTo(".code-editor") // the editor's text, in its shadow root, has the focus
	s.do("type code that does not compile",
		chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		typeCode("\n"+broken+"\n"))
	typed := s.value("#code")
	wantLine := 0
	for i, l := range strings.Split(typed, "\n") {
		if strings.TrimSpace(l) == broken {
			wantLine = i + 1
		}
	}
	if wantLine == 0 {
		s.t.Fatalf("the textarea holds %q after typing into the editor; the typed line is not in it", typed)
	}
	s.submitCode(1)
	s.do("queued", chromedp.WaitVisible(chromedp.CSS("#verdict .pending")))
	s.check("code-queued")

	startWorker(s.t, dataDir)
	s.do("the compile error arrives", chromedp.WaitVisible(chromedp.CSS("#verdict h2.v-"+string(gradjudge.StatusCompileError))))
	if got := s.eval(`document.getElementById("code").dataset.errorLine`); got != strconv.Itoa(wantLine) {
		s.t.Errorf("the compile error points at line %q, want %d", got, wantLine)
	}
	s.poll("the editor marks the line", `document.querySelector(".code-editor") && `+editorRoot+`.querySelector(".cm-error-line") !== null`)
	if got := s.eval(editorRoot + `.querySelector(".cm-error-line").textContent`); strings.TrimSpace(got) != broken {
		s.t.Errorf("the editor marks the line %q, want %q", got, broken)
	}
	s.check("code-compile-error")

	s.tabTo(".code-editor")
	s.do("type the right code",
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		typeCode(unindented(codeReference)))
	s.submitCode(2)
	s.do("the verdict arrives", chromedp.WaitVisible(chromedp.CSS("#verdict h2.v-"+string(gradjudge.StatusAccepted))))
	s.check("code-right")
}

// submitCode leaves the editor by keyboard (Escape, then Tab to the button) and presses Enter;
// it waits for the page that lists attempt n.
func (s *student) submitCode(n int) {
	s.do("leave the editor", chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent(kb.Tab))
	if got := s.eval(`document.activeElement.id`); got != "submit" {
		s.t.Fatalf("Escape then Tab in the editor focuses %q, want the submit button", got)
	}
	s.do("submit the code", chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(".attempt-list > li:nth-child(%d)", n))))
}

// withoutScript answers, with JavaScript off in a tab of its own, the exercise with a vector and
// a matrix (right) and the choice exercise (wrong, then right).
func (s *student) withoutScript() {
	ctx, cancel := chromedp.NewContext(s.ctx)
	defer cancel()
	ns := *s
	ns.ctx = ctx
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		s.t.Fatalf("turn JavaScript off: %v", err)
	}
	in := ns.instance(gridExercise)
	ns.openExercise(gridExercise)
	if got := ns.eval(`document.querySelectorAll(".answer-form input.num").length`); got != "13" {
		ns.t.Errorf("%s number inputs for ∂L/∂y (2), ∂L/∂W (2×3), ∂L/∂x (3) and ∂L/∂b (2), want 13", got)
	}
	right, _, _ := answers(s.t, s.cat, gridExercise, in.Seed)
	var steps []chromedp.Action[chromedp.Void]
	for name, value := range formValues(in, right) {
		steps = append(steps, chromedp.SendKeys(chromedp.CSS(`[id="`+name+`"]`), value))
	}
	steps = append(steps, chromedp.Click(chromedp.ID("submit")), chromedp.WaitVisible(chromedp.CSS(".attempt-list > li:nth-child(1)")))
	ns.do("answer the grid without JavaScript", steps...)
	ns.wantVerdict(gradjudge.StatusAccepted)

	choice := ns.instance(choiceExercise)
	ns.openExercise(choiceExercise)
	for i, opt := range []string{wrongOption(s.t, choice), rightOption(s.t, choice)} {
		ns.do("answer the choice without JavaScript", chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="choice"][value=%q]`, opt))),
			chromedp.Click(chromedp.ID("submit")), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(".attempt-list > li:nth-child(%d)", i+2))))
	}
	ns.wantVerdict(gradjudge.StatusAccepted)
	if got := ns.eval(`document.querySelectorAll(".attempt-list > li").length`); got != "3" {
		ns.t.Errorf("the choice exercise lists %s attempts, want 3", got)
	}
}

// openExercise goes to exercise id from the course page, by keyboard.
func (s *student) openExercise(id string) {
	s.do("the course page", chromedp.Navigate(fmt.Sprintf("%s/courses/%d", s.base, s.course)), chromedp.WaitVisible(chromedp.CSS(".exercise-list")))
	s.tabTo(fmt.Sprintf(`a[href="/courses/%d/exercises/%s"]`, s.course, url.PathEscape(id)))
	s.do("open "+id, chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS("form.answer-form")))
}

// answerByKeyboard types answer into the numeric exercise's inputs, Tab from one to the next
// (Tab selects what an input holds, so typing replaces it), and sends it with Enter; it waits
// for the page that lists attempt n.
func (s *student) answerByKeyboard(in *exercises.Instance, answer map[string]any, n int) {
	values := formValues(in, answer)
	for i, q := range in.Exercise.Quantities {
		name := "q." + q.ID
		if i == 0 {
			s.tabTo(`[id="` + name + `"]`)
		} else {
			s.do("next input", chromedp.KeyEvent(kb.Tab))
		}
		if got := s.eval(`document.activeElement.name`); got != name {
			s.t.Fatalf("Tab focuses %q, want the input %s", got, name)
		}
		s.do("type "+name, chromedp.KeyEvent(values[name]))
	}
	s.do("send with Enter", chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(".attempt-list > li:nth-child(%d)", n))))
}

// wantVerdict checks the verdict the page shows.
func (s *student) wantVerdict(want gradjudge.Status) {
	s.t.Helper()
	if got := s.eval(`(h => h ? h.className : "no verdict")(document.querySelector("#verdict h2"))`); got != "v-"+string(want) {
		s.t.Errorf("the verdict's heading is %q, want v-%s; it reads %q", got, want, s.text("#verdict"))
	}
}

// tabTo presses Tab until the element sel matches has the focus: the flow works by keyboard.
func (s *student) tabTo(sel string) {
	s.t.Helper()
	is := fmt.Sprintf(`document.activeElement === document.querySelector(%q)`, sel)
	for range 60 {
		if s.eval(is) == "true" {
			return
		}
		s.do("Tab", chromedp.KeyEvent(kb.Tab))
	}
	s.t.Fatalf("60 presses of Tab never reach %s", sel)
}

// check runs axe-core on the page and keeps its screenshots under name.
func (s *student) check(name string) {
	s.t.Helper()
	checkAxe(s.t, s.ctx, name)
	screenshots(s.t, s.ctx, name)
}

// instance is the student's own variant of exercise id, from the catalog.
func (s *student) instance(id string) *exercises.Instance {
	in, err := s.cat.Instance(id, gradjudge.VariantSeed(s.course, s.userID, id))
	if err != nil {
		s.t.Fatal(err)
	}
	return in
}

func (s *student) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	if err := chromedp.Do(s.ctx, steps...); err != nil {
		s.t.Fatalf("%s: %v", what, err)
	}
}

// poll waits until the expression js holds.
func (s *student) poll(what, js string) {
	s.t.Helper()
	if _, err := chromedp.Run(s.ctx, chromedp.Poll[bool](js)); err != nil {
		s.t.Fatalf("%s: %v", what, err)
	}
}

func (s *student) eval(js string) string {
	s.t.Helper()
	return fmt.Sprint(run(s.t, s.ctx, chromedp.Evaluate[any](js)))
}

func (s *student) text(sel string) string {
	s.t.Helper()
	return run(s.t, s.ctx, chromedp.Text(chromedp.CSS(sel)))
}

func (s *student) value(sel string) string {
	s.t.Helper()
	return run(s.t, s.ctx, chromedp.Value(chromedp.CSS(sel)))
}

// visibleNodes is a function of the page that lists the graph's nodes of a class that are shown:
// the picture has a wide and a narrow drawing, one of them hidden.
const visibleNodes = `((cls) => [...document.querySelectorAll("svg.graph-svg g.graph-node")].filter((n) => n.matches(cls) && n.getClientRects().length > 0))`

// editorRoot is the code editor's shadow root, where CodeMirror lives.
const editorRoot = `document.querySelector(".code-editor").shadowRoot`

// formValues are the form inputs of answer (quantity id → a number, a vector or a matrix, as
// answers returns them) by input name: q.<id>, q.<id>.<i>, q.<id>.<i>.<j>.
func formValues(in *exercises.Instance, answer map[string]any) map[string]string {
	out := map[string]string{}
	num := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	for _, q := range in.Exercise.Quantities {
		base := "q." + q.ID
		switch v := answer[q.ID].(type) {
		case float64:
			out[base] = num(v)
		case []float64:
			for i, f := range v {
				out[base+"."+strconv.Itoa(i)] = num(f)
			}
		case [][]float64:
			for i, row := range v {
				for j, f := range row {
					out[base+"."+strconv.Itoa(i)+"."+strconv.Itoa(j)] = num(f)
				}
			}
		}
	}
	return out
}

// rightOption and wrongOption are the ids of the variant's correct option and of one that is not.
func rightOption(t *testing.T, in *exercises.Instance) string { return option(t, in, true) }
func wrongOption(t *testing.T, in *exercises.Instance) string { return option(t, in, false) }

func option(t *testing.T, in *exercises.Instance, correct bool) string {
	t.Helper()
	for _, o := range in.Options {
		if o.Correct == correct {
			return o.ID
		}
	}
	t.Fatalf("%s has no option with correct=%v", in.Exercise.ID, correct)
	return ""
}

// typeCode types src into the focused editor, a line at a time. A new line is the Enter key
// pressed and released with no character typed, as a real key does once the editor has handled
// it: KeyEvent's "\n" would also type a character, and the editor would get two new lines.
func typeCode(src string) chromedp.Action[chromedp.Void] {
	var steps []chromedp.Action[chromedp.Void]
	for i, line := range strings.Split(src, "\n") {
		if i > 0 {
			steps = append(steps, enterKey)
		}
		if line != "" {
			steps = append(steps, chromedp.KeyEvent(line))
		}
	}
	return chromedp.Steps(steps...)
}

// enterKey presses and releases Enter without a character event.
var enterKey = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
		if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{Type: typ, Key: "Enter", Code: "Enter",
			WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}); err != nil {
			return err
		}
	}
	return nil
})

// unindented is src without its lines' leading tabs: the editor indents each new line itself.
func unindented(src string) string {
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, "\t")
	}
	return strings.Join(lines, "\n")
}

// startWorker runs `gradjudge worker` (code judging on) on the test's database until the test
// ends.
func startWorker(t *testing.T, dataDir string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	exit := make(chan int, 1)
	go func() {
		exit <- dispatch(ctx, stdio{strings.NewReader(""), &syncBuffer{}, logs}, []string{"worker", "--data-dir", dataDir})
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-exit; code != 0 {
			t.Errorf("worker exit %d; stderr:\n%s", code, logs)
		}
	})
}

// screenshots keeps pictures of the page at a phone's and a desktop's width (390 and 1280
// pixels) when GRADJUDGE_SCREENSHOTS names a directory, for looking at. It leaves the page at
// the desktop's width.
func screenshots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("GRADJUDGE_SCREENSHOTS")
	if dir == "" {
		return
	}
	for _, width := range []int64{390, 1280} {
		var phone []chromedp.EmulateViewportOption
		if width < 500 {
			phone = append(phone, chromedp.EmulateMobile) // a phone's overlay scrollbar takes no width
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900, phone...)); err != nil {
			t.Fatal(err)
		}
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("student-%s-%d.png", name, width)), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
