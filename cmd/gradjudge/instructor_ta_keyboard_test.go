package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// staffRole is the role the teaching-staff list shows for the user with email, "" when it does
// not list them.
const staffRole = `((email) => document.querySelector("#staff-list li[data-email=" + JSON.stringify(email) + "]")?.dataset.role ?? "")`

// setTAsByKeyboard sets and removes TAs on the course's settings from the keyboard alone: the
// enrolled student kim becomes a TA through her row's role list (arrow keys, then Set), tara,
// who has an account but is not enrolled, through the TA form's email; each change lands on the
// staff list, where it shows. Then kim is made a student again and tara is removed from the
// course, each with one button of the staff list; an email with no account is refused with a
// message that says what to do.
func setTAsByKeyboard(t *testing.T, ctx context.Context, courseURL string) {
	t.Helper()
	run(t, ctx, chromedp.Steps(chromedp.Navigate(courseURL+"/manage"), chromedp.WaitVisible(chromedp.ID("people"))))
	kim := run(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#people tr[data-user]")].find((r) => r.cells[1].textContent === "kim@example.edu")?.dataset.user ?? ""`))
	if kim == "" {
		t.Fatal("kim is not in the course's people")
	}
	tabTo(t, ctx, "#role-"+kim)
	run(t, ctx, chromedp.KeyEvent(kb.ArrowDown))
	if got := run(t, ctx, chromedp.Evaluate[string](`document.activeElement.value`)); got != "ta" {
		t.Fatalf("kim's role list reads %q after the down arrow, want ta", got)
	}
	press(t, ctx, fmt.Sprintf(`tr[data-user=%q] button[aria-label^="Set the role"]`, kim), kb.Enter)
	awaitStaff(t, ctx, "kim@example.edu", "ta", "kim made a TA through her row")

	typeInto(t, ctx, "#ta-email", "tara@example.edu")
	press(t, ctx, "#ta-submit", kb.Enter)
	awaitStaff(t, ctx, "tara@example.edu", "ta", "tara made a TA by her email")
	checkAxe(t, ctx, "settings with two TAs")
	checkFits(t, ctx, "settings with two TAs")

	press(t, ctx, `#staff-list li[data-email="kim@example.edu"] button[aria-label^="Make"]`, kb.Enter)
	awaitStaff(t, ctx, "kim@example.edu", "", "kim made a student again")
	if got := run(t, ctx, chromedp.Evaluate[string](`document.getElementById("role-`+kim+`").value`)); got != "student" {
		t.Errorf("kim's role is %q after 'Make a student', want student", got)
	}
	press(t, ctx, `#staff-list li[data-email="tara@example.edu"] button[aria-label^="Remove"]`, kb.Enter)
	awaitStaff(t, ctx, "tara@example.edu", "", "tara removed")
	if n := run(t, ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("#people td")].filter((c) => c.textContent === "tara@example.edu").length`)); n != 0 {
		t.Errorf("tara is still among the course's people after her removal")
	}

	typeInto(t, ctx, "#ta-email", "nobody@example.edu")
	press(t, ctx, "#ta-submit", kb.Enter)
	run(t, ctx, chromedp.WaitVisible(chromedp.ID("form-message")))
	if msg := run(t, ctx, chromedp.Text(chromedp.ID("form-message"))); !strings.Contains(msg, "enrol them") {
		t.Errorf("an email without an account as a TA says %q, want how to enrol them first", msg)
	}
}

// awaitStaff waits until the staff list shows email with role ("" for not at all), on the
// settings loaded at the staff list.
func awaitStaff(t *testing.T, ctx context.Context, email, role, what string) {
	t.Helper()
	js := fmt.Sprintf(`document.readyState === "complete" && location.hash === "#staff" && %s(%q) === %q`, staffRole, email, role)
	for end := time.Now().Add(orderWait); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
			return // an error is the page being replaced: read again
		}
	}
	t.Fatalf("%s: the staff list never shows %s as %q at #staff (it shows %q at %s)", what, email, role,
		run(t, ctx, chromedp.Evaluate[string](fmt.Sprintf(`%s(%q)`, staffRole, email))), run(t, ctx, chromedp.Location()))
}
