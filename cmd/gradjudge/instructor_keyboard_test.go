package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// maxTabs bounds the Tab presses that reach one control: the new-course form has some sixty
// controls before its button.
const maxTabs = 150

// TestBrowserInstructorKeyboard: the instructor's forms work from the keyboard alone. The
// instructor reaches each control with Tab (seeing where the focus is: a :focus-visible outline),
// creates a course, ticks three exercises with Space, moves the last one up with Enter (the next
// Tab lands on the moved exercise, not at the top of the page or of the list), enrols two
// students by typing them into the paste box, and sets and removes TAs (setTAsByKeyboard).
// Before any enrolment the student list says so; a student with a long name and email keeps
// every page within a phone's width.
func TestBrowserInstructorKeyboard(t *testing.T) {
	ctx, base := browserAndServer(t)
	admin := login(t, base, "admin@example.edu", testAdminPassword)
	admin.must(201, "POST", "/api/v1/users", map[string]string{"email": "inst@example.edu", "name": "Ines", "role": "instructor", "password": "password-inst"}, nil)
	admin.must(201, "POST", "/api/v1/users", map[string]string{"email": "tara@example.edu", "name": "Tara", "role": "student", "password": "password-tara"}, nil)
	const first, middle, ex = "chain-rule-multiply", "fan-out", "two-layer-network"
	run(t, ctx, signInAs(base, "inst@example.edu", "password-inst"))

	press(t, ctx, "#new-course-link", kb.Enter)
	run(t, ctx, chromedp.WaitVisible(chromedp.ID("title")))
	typeInto(t, ctx, "#title", "Keyboard course")
	for _, e := range []string{first, middle, ex} {
		press(t, ctx, "#pick-"+e, " ")
	}
	picked := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("input[name=exercise]:checked").length`))
	if picked != 3 {
		t.Fatalf("%d exercises ticked with Space, want 3", picked)
	}
	press(t, ctx, "#create", kb.Enter)
	run(t, ctx, chromedp.WaitVisible(chromedp.ID("exercise-order")))
	order := strings.Split(exerciseOrder(t, ctx), ",") // in the lesson's order, whatever the ticking's
	if len(order) != 3 {
		t.Fatalf("order %v after creating by keyboard, want the three ticked", order)
	}

	courseURL := strings.TrimSuffix(run(t, ctx, chromedp.Location()), "/manage")
	run(t, ctx, chromedp.Navigate(courseURL+"/students"))
	if n := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#no-students a[href$='/manage#enrol']").length`)); n != 1 {
		t.Errorf("the empty course's student list does not point to where students are enrolled")
	}
	run(t, ctx, chromedp.Steps(chromedp.Navigate(courseURL+"/manage"), chromedp.WaitVisible(chromedp.ID("exercise-order"))))

	last, want := order[2], order[0]+","+order[2]+","+order[1]
	press(t, ctx, fmt.Sprintf(`li[data-exercise=%q] button[value=up]`, last), kb.Enter)
	if got := awaitOrder(ctx, want); got != want {
		t.Fatalf("order %s after moving %s up by keyboard, want %s", got, last, want)
	}
	// The order shows while the page that answers the move is still loading; the Tab's starting
	// point is the moved exercise once the page has loaded at its anchor.
	loaded := fmt.Sprintf(`document.readyState === "complete" && location.hash === %q`, "#ex-"+last)
	for end := time.Now().Add(orderWait); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](loaded)); err == nil && ok {
			break
		}
	}
	run(t, ctx, chromedp.KeyEvent(kb.Tab))
	if in := run(t, ctx, chromedp.Evaluate[string](`document.activeElement.closest("li[data-exercise]")?.dataset.exercise ?? ""`)); in != last {
		t.Errorf("after moving %s the next Tab is in %q, want the moved exercise", last, in)
	}

	typeInto(t, ctx, "#paste", "kim@example.edu\nMaximiliana Alexandrovna Konstantinopoulou-Vandenberghe, "+longEmail)
	press(t, ctx, "#enrol-submit", kb.Enter)
	run(t, ctx, chromedp.WaitVisible(chromedp.ID("enrolled")))
	links := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#enrolled code.link").length`))
	if links != 2 {
		t.Errorf("%d set-password links after enrolling by keyboard, want 2", links)
	}
	checkFits(t, ctx, "enrolled, a long email")
	for _, page := range []string{"/manage", "/students", ""} {
		run(t, ctx, chromedp.Steps(chromedp.Navigate(courseURL+page), chromedp.WaitVisible(chromedp.CSS("h1"))))
		checkFits(t, ctx, "course"+page+", a long email")
	}
	setTAsByKeyboard(t, ctx, courseURL)
}

// longEmail has no place to break for a long way.
const longEmail = "maximiliana.alexandrovna.konstantinopoulou@faculty-of-electrical-engineering.example.edu"

// tabTo presses Tab until the control sel names has the focus, and checks that the focus shows.
func tabTo(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	is := fmt.Sprintf(`document.activeElement !== null && document.activeElement.matches(%s)`, strconv.Quote(sel))
	for range maxTabs {
		if run(t, ctx, chromedp.Evaluate[bool](is)) {
			if shown := focusShown(t, ctx); shown != "" {
				t.Errorf("the focus on %s does not show: %s", sel, shown)
			}
			return
		}
		run(t, ctx, chromedp.KeyEvent(kb.Tab))
	}
	t.Fatalf("%d presses of Tab never reach %s (the focus is on %s)", maxTabs, sel,
		run(t, ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : "nothing"`)))
}

// focusShown says why the focused control does not show its focus; "" when it does: it matches
// :focus-visible and has an outline.
func focusShown(t *testing.T, ctx context.Context) string {
	t.Helper()
	return run(t, ctx, chromedp.Evaluate[string](`(() => {
		const e = document.activeElement, s = getComputedStyle(e);
		if (!e.matches(":focus-visible")) return "not :focus-visible";
		if (s.outlineStyle === "none" || parseFloat(s.outlineWidth) === 0) return "no outline";
		return "";
	})()`))
}

// press tabs to sel and presses key there.
func press(t *testing.T, ctx context.Context, sel, key string) {
	t.Helper()
	tabTo(t, ctx, sel)
	run(t, ctx, chromedp.KeyEvent(key))
}

// typeInto tabs to sel and types text there, a newline as Enter.
func typeInto(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	tabTo(t, ctx, sel)
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			run(t, ctx, chromedp.KeyEvent(kb.Enter))
		}
		run(t, ctx, chromedp.KeyEvent(line))
	}
}
