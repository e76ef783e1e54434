package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gradjudge/exercises"
	"gradjudge/internal/testbrowser"
)

// browserTimeout bounds the whole browser test, Chromium's start included.
const browserTimeout = 4 * time.Minute // a loaded machine hashes passwords slowly

// newBrowser starts a headless Chromium with a fresh profile and returns a tab's context. The
// browser lives until the test ends, and browserTimeout bounds it.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return testbrowser.Start(t, browserTimeout)
}

// browserAndServer starts a browser and a server without the code judge, and returns the
// browser and the server's base URL (on 127.0.0.1, where the browser's cookies go).
func browserAndServer(t *testing.T) (context.Context, string) {
	t.Helper()
	ctx := newBrowser(t)
	m := startMain(t, t.TempDir(), func(c *ServeConfig) { c.Code = false })
	_, port, _ := net.SplitHostPort(m.Addr())
	return ctx, "http://127.0.0.1:" + port
}

// newBrowserWithin is newBrowser with the browser living at most timeout.
func newBrowserWithin(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	return testbrowser.Start(t, timeout)
}

// signInAs fills and sends the sign-in form and waits for a signed-in page.
func signInAs(base, email, password string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID("signout")),
	)
}

// TestBrowserDashboard runs the real server and a real browser: a student earns a misconception
// through the API, the instructor signs in through the form and sees it in the course's heat map,
// then the student signs in and sees it, explained, on their own page.
func TestBrowserDashboard(t *testing.T) {
	ctx, base := browserAndServer(t)
	courseID, ex, tag := seedMisconception(t, base)
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	misc, _ := cat.Misconception(tag)

	err = chromedp.Do(ctx,
		signInAs(base, "inst@example.edu", "password-inst"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/courses/%d"]`, courseID))),
		chromedp.WaitVisible(chromedp.ID("heatmap")),
	)
	if err != nil {
		t.Fatalf("instructor's dashboard: %v", err)
	}
	cell := fmt.Sprintf(`tr[data-exercise=%q] td.cell[data-tag=%q]`, ex, tag)
	loc := run(t, ctx, chromedp.Location())
	share := run(t, ctx, chromedp.Text(chromedp.CSS(cell)))
	title := run(t, ctx, chromedp.AttributeValue(chromedp.CSS(fmt.Sprintf(`th.tag[data-tag=%q]`, tag)), "title"))
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		shot := filepath.Join(os.TempDir(), "gradjudge-dashboard.png")
		if os.WriteFile(shot, png, 0o644) == nil {
			t.Logf("dashboard screenshot: %s", shot)
		}
	}
	if loc != fmt.Sprintf("%s/courses/%d", base, courseID) || strings.TrimSpace(share) != "100%" || title.Value != misc.Explanation {
		t.Errorf("dashboard at %s: cell %s = %q, want 100%%; column tooltip %q, want %q", loc, cell, share, title.Value, misc.Explanation)
	}

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("signout")),
		chromedp.WaitVisible(chromedp.ID("email")),
		signInAs(base, "stu@example.edu", "password-stu"),
		chromedp.Navigate(fmt.Sprintf("%s/courses/%d", base, courseID)),
	)
	if err != nil {
		t.Fatalf("student's progress page: %v", err)
	}
	review := run(t, ctx, chromedp.Text(chromedp.CSS(fmt.Sprintf(`article.review[data-tag=%q]`, tag))))
	if !strings.Contains(review, misc.Title) || !strings.Contains(review, strings.Fields(misc.Explanation)[0]) {
		t.Errorf("the student's review of %s reads %q; want the catalog's title %q and explanation", tag, review, misc.Title)
	}
	if n := run(t, ctx, chromedp.Nodes(chromedp.CSS("#heatmap"), chromedp.AtLeast(0))); len(n) != 0 {
		t.Error("the student sees the heat map")
	}
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

// seedMisconception makes, through the API, an instructor (inst@…, password-inst) and a student
// (stu@…, password-stu) in a new course, and a wrong answer of the student's that earns a
// misconception tag. It returns the course, the exercise and the tag.
func seedMisconception(t *testing.T, base string) (int64, string, string) {
	t.Helper()
	admin := login(t, base, "admin@example.edu", testAdminPassword)
	for _, u := range []struct{ name, role string }{{"inst", "instructor"}, {"stu", "student"}} {
		admin.must(201, "POST", "/api/v1/users", map[string]string{"email": u.name + "@example.edu", "name": u.name, "role": u.role, "password": "password-" + u.name}, nil)
	}
	inst := login(t, base, "inst@example.edu", "password-inst")
	stu := login(t, base, "stu@example.edu", "password-stu")
	const ex = "chain-rule-multiply"
	var course idDTO
	inst.must(201, "POST", "/api/v1/courses", map[string]any{"title": "Backprop <b>101</b>", "exercise_ids": []string{ex}}, &course)
	cp := fmt.Sprintf("/api/v1/courses/%d", course.ID)
	inst.must(201, "POST", cp+"/enrollments", map[string]string{"email": "stu@example.edu", "role": "student"}, nil)
	var v variantDTO
	stu.must(200, "GET", cp+"/exercises/"+ex, nil, &v)
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	_, wrong, tag := answers(t, cat, ex, v.Seed)
	var sub submissionDTO
	stu.must(200, "POST", cp+"/exercises/"+ex+"/submissions?wait=true", map[string]any{"fields": wrong}, &sub)
	if sub.Verdict == nil || len(sub.Verdict.Misconceptions) == 0 || sub.Verdict.Misconceptions[0].Tag != tag {
		t.Fatalf("the wrong answer's verdict = %+v, want tag %s", sub.Verdict, tag)
	}
	return course.ID, ex, tag
}
