package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gradjudge"
	"gradjudge/exercises"
)

// TestBrowserPolicy runs the real server and a real browser through issue 12's pages: an
// instructor opens an exercise's policy from the course settings, is told in words what is wrong
// with a due date before the opening, then sets at most 2 attempts and hints after 1 wrong one; a
// student sees "Attempt 1 of 2", answers wrong, reads "Attempt 2 of 2" and asks for a hint, which
// explains the misconception; the instructor previews the exercise with its answers and runs a
// dry regrade. axe-core checks every new page.
func TestBrowserPolicy(t *testing.T) {
	ctx, base := browserAndServer(t)
	const ex = "chain-rule-multiply"
	courseID, stuID := seedCourse(t, base, "Backpropagation, graded", ex)
	cp := fmt.Sprintf("%s/courses/%d", base, courseID)

	browse(t, ctx, "open the policy from the settings",
		signInAs(base, "inst@example.edu", "password-inst"),
		chromedp.Navigate(cp+"/manage"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`li[data-exercise=%q] a.policy-link`, ex))),
		chromedp.WaitVisible(chromedp.ID("max_attempts")))
	pageChecks(t, ctx, "policy")
	browse(t, ctx, "a due date before the opening",
		chromedp.SetValue(chromedp.ID("opens"), "2030-01-02T00:00"),
		chromedp.SetValue(chromedp.ID("due"), "2030-01-01T00:00"),
		chromedp.Click(chromedp.ID("save")),
		chromedp.WaitVisible(chromedp.ID("problems")))
	if got := run(t, ctx, chromedp.Text(chromedp.ID("due-err"))); got != "The due date must be after the opening." {
		t.Errorf("the due date's problem reads %q", got)
	}
	pageChecks(t, ctx, "policy-problems")
	browse(t, ctx, "set 2 attempts and hints after 1",
		chromedp.SetValue(chromedp.ID("opens"), ""),
		chromedp.SetValue(chromedp.ID("due"), ""),
		chromedp.SendKeys(chromedp.ID("max_attempts"), "2"),
		chromedp.SendKeys(chromedp.ID("hints_after"), "1"),
		chromedp.Click(chromedp.ID("save")),
		chromedp.WaitVisible(chromedp.ID("saved")))
	if got := run(t, ctx, chromedp.Text(chromedp.ID("student-rules"))); !strings.Contains(got, "Attempt 1 of 2.") {
		t.Errorf("what students read: %q", got)
	}
	browse(t, ctx, "the settings after", chromedp.Navigate(cp+"/manage"), chromedp.WaitVisible(chromedp.CSS(".policy-sum")))
	if got := run(t, ctx, chromedp.Text(chromedp.CSS(".policy-sum"))); got != "(best of 2 attempts)" {
		t.Errorf("the settings say the policy as %q", got)
	}

	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	_, wrong, tag := answers(t, cat, ex, gradjudge.VariantSeed(courseID, stuID, ex))
	misc, _ := cat.Misconception(tag)
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Click(chromedp.ID("signout")),
		chromedp.WaitVisible(chromedp.ID("email")),
		signInAs(base, "stu@example.edu", "password-stu"),
		chromedp.Navigate(cp + "/exercises/" + ex),
		chromedp.WaitVisible(chromedp.ID("rules")),
	}
	browse(t, ctx, "the student's exercise page", steps...)
	if got := run(t, ctx, chromedp.Text(chromedp.ID("rules"))); !strings.Contains(got, "Attempt 1 of 2.") {
		t.Errorf("the student reads %q, want attempt 1 of 2", got)
	}
	pageChecks(t, ctx, "exercise-policy")
	steps = nil
	for id, v := range wrong {
		steps = append(steps, chromedp.SendKeys(chromedp.CSS(`input[name="q.`+id+`"]`), exercises.FormatNumber(v.(float64))))
	}
	steps = append(steps, chromedp.Click(chromedp.ID("submit")), chromedp.WaitVisible(chromedp.CSS(`#verdict h2[class^="v-"]`)),
		chromedp.WaitVisible(chromedp.ID("show-hints")))
	browse(t, ctx, "answer wrong", steps...)
	if got := run(t, ctx, chromedp.Text(chromedp.ID("rules"))); !strings.Contains(got, "Attempt 2 of 2.") {
		t.Errorf("after a wrong answer the student reads %q", got)
	}
	browse(t, ctx, "ask for a hint", chromedp.Click(chromedp.ID("show-hints")), chromedp.WaitVisible(chromedp.ID("hint-explained")))
	// The first step is the misconception's explanation, which the verdict shows already: the
	// hint points to it rather than repeat it.
	hint := run(t, ctx, chromedp.Text(chromedp.ID("hints")))
	review := run(t, ctx, chromedp.Text(chromedp.CSS(fmt.Sprintf(`#verdict article.review[data-tag=%q]`, tag))))
	if !strings.Contains(hint, "Hint 1: the verdict above explains the belief behind your mistake") || !strings.Contains(review, misc.Title) {
		t.Errorf("the hint reads %q and the verdict's explanation %q; want a pointer to the explanation of %s", hint, review, tag)
	}
	pageChecks(t, ctx, "exercise-hints")

	browse(t, ctx, "the author's preview",
		chromedp.Click(chromedp.ID("signout")),
		chromedp.WaitVisible(chromedp.ID("email")),
		signInAs(base, "inst@example.edu", "password-inst"),
		chromedp.Navigate(base+"/catalog/"+ex+"?seed=3"),
		chromedp.WaitVisible(chromedp.ID("predictions")))
	pageChecks(t, ctx, "author-preview")
	browse(t, ctx, "the regrade form", chromedp.Navigate(cp+"/exercises/"+ex+"/regrade"), chromedp.WaitVisible(chromedp.ID("start-regrade")))
	pageChecks(t, ctx, "regrade-form")
	browse(t, ctx, "a dry regrade", chromedp.Click(chromedp.ID("start-regrade")), chromedp.WaitVisible(chromedp.ID("report")))
	if got := run(t, ctx, chromedp.Text(chromedp.ID("report"))); !strings.Contains(got, "No answer needed judging again") {
		t.Errorf("a regrade of an unchanged exercise reports %q", got)
	}
	pageChecks(t, ctx, "regrade-report")
}

// browse runs steps in the browser, failing the test with what it was doing.
func browse(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
