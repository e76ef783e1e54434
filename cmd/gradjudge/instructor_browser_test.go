package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gradjudge"
	"gradjudge/exercises"
)

// TestBrowserInstructor: an instructor creates a course in the browser, picks and reorders its
// exercises, enrols three students by paste and hands out a set-password link; the student sets
// a password with it, solves an exercise on its page, and the instructor sees it in the student
// list, the student's page and the exercise's drill-down. axe-core checks every page.
func TestBrowserInstructor(t *testing.T) {
	ctx, base := browserAndServer(t)
	admin := login(t, base, "admin@example.edu", testAdminPassword)
	admin.must(201, "POST", "/api/v1/users", map[string]string{"email": "inst@example.edu", "name": "Ines", "role": "instructor", "password": "password-inst"}, nil)
	const ex, first = "two-layer-network", "chain-rule-multiply"

	err := chromedp.Do(ctx,
		signInAs(base, "inst@example.edu", "password-inst"),
		chromedp.Click(chromedp.ID("new-course-link")),
		chromedp.WaitVisible(chromedp.ID("title")),
	)
	if err != nil {
		t.Fatalf("the new-course form: %v", err)
	}
	pageChecks(t, ctx, "course-new")
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("title"), "Backprop, spring"),
		chromedp.Click(chromedp.ID("pick-"+first)),
		chromedp.Click(chromedp.ID("pick-"+ex)),
		chromedp.Click(chromedp.ID("create")),
		chromedp.WaitVisible(chromedp.ID("exercise-order")),
	)
	if err != nil {
		t.Fatalf("create the course: %v", err)
	}
	if got := exerciseOrder(t, ctx); got != first+","+ex {
		t.Errorf("order %s after creating", got)
	}
	run(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`li[data-exercise=%q] button[value=up]`, ex))))
	if got := awaitOrder(ctx, ex+","+first); got != ex+","+first {
		t.Errorf("order %s after moving %s up", got, ex)
	}
	loc := run(t, ctx, chromedp.Location())
	courseID, _ := strconv.ParseInt(strings.TrimSuffix(strings.Split(strings.TrimPrefix(loc, base+"/courses/"), "/")[0], "/manage"), 10, 64)
	pageChecks(t, ctx, "manage")

	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("paste"), "Cara Diaz, cara@example.edu\ndan@example.edu\nEmil Ek, emil@example.edu\n"),
		chromedp.Click(chromedp.ID("enrol-submit")),
		chromedp.WaitVisible(chromedp.ID("enrolled")),
	)
	if err != nil {
		t.Fatalf("enrol by paste: %v", err)
	}
	links := run(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#enrolled code.link")).map((c) => c.textContent)`))
	if len(links) != 3 {
		t.Fatalf("%d set-password links listed, want 3", len(links))
	}
	caraID, _ := strconv.ParseInt(run(t, ctx, chromedp.Evaluate[string](`document.querySelector('tr[data-email="cara@example.edu"]').dataset.user`)), 10, 64)
	pageChecks(t, ctx, "enrolled")

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("signout")),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.Navigate(links[0]),
		chromedp.WaitVisible(chromedp.ID("password")),
	)
	if err != nil {
		t.Fatal(err)
	}
	pageChecks(t, ctx, "set-password")
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("password"), "cara's secret"),
		chromedp.SendKeys(chromedp.ID("again"), "cara's secret"),
		chromedp.Click(chromedp.ID("set")),
		chromedp.WaitVisible(chromedp.ID("signout")),
	)
	if err != nil {
		t.Fatalf("set the password: %v", err)
	}
	tag := showMisconception(t, base, courseID, caraID, "cara@example.edu", "cara's secret", ex)
	solveInBrowser(t, ctx, base, courseID, caraID, ex)
	err = chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/explore?course=%d&exercise=%s&step=4", base, courseID, ex)),
		chromedp.WaitVisible(chromedp.ID("step-count")),
	)
	if err != nil {
		t.Fatalf("the explorer on a solved exercise: %v", err)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.ID("step-count"))); got != "Step 4 of 11" {
		t.Errorf("the explorer on %s for its solver reads %q", ex, got)
	}
	pageChecks(t, ctx, "explorer-exercise")

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("signout")),
		chromedp.WaitVisible(chromedp.ID("email")),
		signInAs(base, "inst@example.edu", "password-inst"),
		chromedp.Navigate(fmt.Sprintf("%s/courses/%d/students", base, courseID)),
		chromedp.WaitVisible(chromedp.ID("roster")),
	)
	if err != nil {
		t.Fatal(err)
	}
	cell := run(t, ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector('tr[data-user="%d"] td.c-solved') ? "solved" : ""`, caraID)))
	notStarted := run(t, ctx, chromedp.Text(chromedp.ID("not-started")))
	if cell != "solved" || strings.Contains(notStarted, "Cara") || !strings.Contains(notStarted, "Emil Ek") {
		t.Errorf("student list: Cara's cell %q, not started %q", cell, notStarted)
	}
	pageChecks(t, ctx, "students")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`tr[data-user="%d"] th a`, caraID))),
		chromedp.WaitVisible(chromedp.CSS("article.card")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.CSS("article.card h3"))); !strings.Contains(got, "Right") {
		t.Errorf("Cara's submission reads %q, want Right", got)
	}
	pageChecks(t, ctx, "student")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`p.sub a[href$="/learning"]`)),
		chromedp.WaitVisible(chromedp.ID("concepts")),
	)
	if err != nil {
		t.Fatalf("Cara's learning page: %v", err)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.CSS(`#concepts tr[data-concept="chain-rule"] th`))); !strings.HasPrefix(got, "The chain rule") {
		t.Errorf("the chain rule is named %q, want its catalog title", got)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.CSS(`#resolved tr[data-tag="`+tag+`"]`))); !strings.Contains(got, "two-layer network") {
		t.Errorf("Cara's resolved %s reads %q, want the exercise that resolved it", tag, got)
	}
	if n := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#concepts meter").length`)); n == 0 {
		t.Error("Cara's learning page has no mastery bars")
	}
	pageChecks(t, ctx, "student-learning")
	err = chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/courses/%d/exercises/%s/stats", base, courseID, ex)),
		chromedp.WaitVisible(chromedp.ID("histogram")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if sub := run(t, ctx, chromedp.Text(chromedp.CSS("p.sub"))); !strings.Contains(sub, "1 student attempted · 1 passed (100%)") {
		t.Errorf("drill-down reads %q", sub)
	}
	pageChecks(t, ctx, "drill")
	err = chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/catalog/%s", base, ex)), chromedp.WaitVisible(chromedp.CSS(".statement")))
	if err != nil {
		t.Fatal(err)
	}
	pageChecks(t, ctx, "preview")
	err = chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/courses/%d", base, courseID)), chromedp.WaitVisible(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	pageChecks(t, ctx, "dashboard")
}

// exerciseOrder reads the course's exercises from the settings page.
func exerciseOrder(t *testing.T, ctx context.Context) string {
	t.Helper()
	return run(t, ctx, chromedp.Evaluate[string](orderJS))
}

// awaitOrder reads the order until it is want, for up to orderWait: the page is reloading, and a
// read may meet the old page or none.
func awaitOrder(ctx context.Context, want string) string {
	var got string
	for end := time.Now().Add(orderWait); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if v, err := chromedp.Run(ctx, chromedp.Evaluate[string](orderJS)); err == nil {
			if got = v; got == want {
				break
			}
		}
	}
	return got
}

// orderWait bounds awaitOrder.
const orderWait = 20 * time.Second

// orderJS reads the course's exercise ids, in order, from the settings page.
const orderJS = `Array.from(document.querySelectorAll("#exercise-order li")).map((li) => li.dataset.exercise).join(",")`

// solveInBrowser answers exercise ex right on its page, as the signed-in student userID.
func solveInBrowser(t *testing.T, ctx context.Context, base string, courseID, userID int64, ex string) {
	t.Helper()
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	right, _, _ := answers(t, cat, ex, gradjudge.VariantSeed(courseID, userID, ex))
	err = chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/courses/%d/exercises/%s", base, courseID, ex)), chromedp.WaitVisible(chromedp.ID("submit")))
	if err != nil {
		t.Fatalf("open %s: %v", ex, err)
	}
	// The page keeps the student's earlier answer in the fields.
	run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name^="q."]').forEach((i) => { i.value = ""; }), 0`))
	var actions []chromedp.Action[chromedp.Void]
	for id, v := range right {
		actions = append(actions, chromedp.SendKeys(chromedp.CSS(`input[name="q.`+id+`"]`), exercises.FormatNumber(v.(float64))))
	}
	actions = append(actions, chromedp.Click(chromedp.ID("submit")), chromedp.WaitVisible(chromedp.ID("verdict")))
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("answer %s: %v", ex, err)
	}
	if got := run(t, ctx, chromedp.Text(chromedp.ID("verdict"))); !strings.Contains(got, "Right") {
		t.Fatalf("the verdict reads %q, want Right", got)
	}
}

// pageChecks runs axe-core on the page and keeps its screenshots.
func pageChecks(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	checkAxe(t, ctx, name)
	checkFits(t, ctx, name)
	screenshotsOf(t, ctx, name)
}

// showMisconception answers exercise ex wrong through the API as the student, holding the first
// belief its variant tells apart, and returns that belief's tag.
func showMisconception(t *testing.T, base string, courseID, userID int64, email, password, ex string) string {
	t.Helper()
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	in, err := cat.Instance(ex, gradjudge.VariantSeed(courseID, userID, ex))
	if err != nil {
		t.Fatal(err)
	}
	var tag string
	for _, p := range in.Predictions() {
		if p.Tag != "" && !p.Slip {
			tag = p.Tag
			break
		}
	}
	if tag == "" {
		t.Fatalf("%s's variant tells no belief apart", ex)
	}
	var s struct {
		Verdict struct {
			Misconceptions []tagged `json:"misconceptions"`
		} `json:"verdict"`
	}
	login(t, base, email, password).must(200, "POST", fmt.Sprintf("/api/v1/courses/%d/exercises/%s/submissions?wait=true", courseID, ex),
		map[string]any{"fields": answerHolding(in, tag, true).Fields}, &s)
	if !slices.Contains(s.Verdict.Misconceptions, tagged{tag}) {
		t.Fatalf("the wrong answer showed %v, want %s", s.Verdict.Misconceptions, tag)
	}
	return tag
}

// tagged is a misconception as a verdict names it.
type tagged struct {
	Tag string `json:"tag"`
}
