package web

import (
	"net/url"
	"strings"
	"testing"

	"gradjudge/internal/policy"
	"gradjudge/internal/regrade"
)

// TestRegradePages: an instructor starts a dry run from the form and lands on its report, which
// reloads itself while the run goes on and then lists the changed verdicts and the students whose
// grade moved.
func TestRegradePages(t *testing.T) {
	e := newPolicyEnv(t)
	if form := e.do(inst, "GET", exPath("/regrade"), nil); form.Code != 200 || !strings.Contains(form.Body.String(), `id="start-regrade"`) {
		t.Fatalf("the form: %d", form.Code)
	}
	e.regs.report = regrade.Report{Run: regrade.Run{Total: 40}, Done: 10}
	w := e.do(inst, "POST", exPath("/regrade"), url.Values{"dry_run": {"1"}})
	if w.Code != 303 || w.Header().Get("Location") != exPath("/regrades/1") {
		t.Fatalf("start: %d %q", w.Code, w.Header().Get("Location"))
	}
	if got := e.regs.started[0]; !got.DryRun || got.ExerciseID != ex || got.CourseID != realCourse || got.Version != "v2-"+ex {
		t.Errorf("started %+v", got)
	}
	running := e.do(inst, "GET", exPath("/regrades/1"), nil).Body.String()
	for _, s := range []string{`<progress id="progress" max="40" value="10" data-refresh-secs="2">`, `http-equiv="refresh" content="2"`,
		"/static/js/refresh.js", "10 of 40 answers judged again (25%)", "dry run"} {
		if !strings.Contains(running, s) {
			t.Errorf("the running report lacks %q", s)
		}
	}

	done := t0
	e.regs.report.Done, e.regs.report.FinishedAt = 40, &done
	e.regs.report.Changed, e.regs.report.Up, e.regs.report.Down = 3, 2, 1
	e.regs.report.Moves = map[string]int{"wrong_answer → accepted": 2, "accepted → partial": 1}
	e.regs.report.Grades = []regrade.GradeMove{{CourseID: realCourse, UserID: alice, Email: "alice@example.edu",
		Before: policy.Grade{Score: 0.5}, After: policy.Grade{Score: 1, Rule: "best attempt"}}}
	report := e.do(inst, "GET", exPath("/regrades/1"), nil).Body.String()
	for _, s := range []string{`<dd id="changed">3</dd>`, `<dd id="up">2</dd>`, `<dd id="down">1</dd>`, `<dd id="moved">1</dd>`,
		"<td>Not right yet</td><td>Right</td><td class=\"num\">2</td>", "Alice &lt;Student&gt;", "<td class=\"num\">50%</td>",
		`id="regrade-for-real"`} {
		if !strings.Contains(report, s) {
			t.Errorf("the report lacks %q", s)
		}
	}
	if strings.Contains(report, "refresh") {
		t.Error("a finished report still reloads itself")
	}
	if w := e.do(inst, "GET", "/courses/40/exercises/two-layer-network/regrades/1", nil); w.Code != 404 {
		t.Errorf("the run under another exercise: %d, want 404", w.Code)
	}
}

// TestPreviewPage: the author's preview shows the variant of the seed asked for, its reference
// answers and each rule's predicted wrong answers, as exercises.Preview computes them.
func TestPreviewPage(t *testing.T) {
	e := newPolicyEnv(t)
	for _, seed := range []uint64{1, 77} {
		want, err := e.cat.Preview(ex, seed)
		if err != nil {
			t.Fatal(err)
		}
		path := "/catalog/" + ex
		if seed != 1 {
			path += "?seed=77"
		}
		w := e.do(inst, "GET", path, nil)
		page := w.Body.String()
		if w.Code != 200 || !strings.Contains(page, `class="graph`) {
			t.Fatalf("seed %d: %d, or no picture", seed, w.Code)
		}
		for _, a := range want.Answers {
			if !strings.Contains(page, "<code>"+a.Value+"</code>") {
				t.Errorf("seed %d: the answer %s = %s is missing", seed, a.Label, a.Value)
			}
		}
		if len(want.Predictions) == 0 {
			t.Fatal("the exercise predicts no wrong answer")
		}
		for _, p := range want.Predictions {
			if !strings.Contains(page, `data-rule="`+p.Name+`"`) {
				t.Errorf("seed %d: the rule %s is missing", seed, p.Name)
			}
			for _, v := range p.Values {
				if v != "" && !strings.Contains(page, "<code>"+v+"</code>") {
					t.Errorf("seed %d: %s's prediction %s is missing", seed, p.Name, v)
				}
			}
		}
	}
}
