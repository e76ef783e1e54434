package web

import (
	"strings"
	"testing"
)

// TestStudentLearningPage renders alice's learner model for the staff: her concepts as bars and
// in words, the misconception still open with when it was shown and where, the resolved one with
// its date, the exercise and the submission that resolved it, and her suggested next exercise;
// the student list links to it.
func TestStudentLearningPage(t *testing.T) {
	e := newEnv(t)
	w := e.get(inst, "/courses/10/students/4/learning")
	body := w.Body.String()
	if w.Code != 200 {
		t.Fatalf("status %d\n%s", w.Code, body)
	}
	for _, s := range []string{
		"<h1>Alice &lt;Student&gt;: learning</h1>",
		`<a href="/courses/10/students/4">progress and submissions</a>`,
		`<tr data-concept="chain-rule" class="mastered"><th scope="row">The &lt;i&gt;chain&lt;/i&gt; rule</th>`,
		`<meter min="0" max="100" low="60" high="95" optimum="100" value="97">97%</meter> <span class="pct">97%</span>`,
		"likely mastered: 4 right in a row on new variants",
		`value="20">20%</meter>`,
		`<tr data-tag="relu-gate-ignored">`,
		`<td class="when" data-label="Last shown">2025-03-01 09:30 UTC in <a href="/courses/10/exercises/ex-b/stats">The &lt;b&gt;ReLU&lt;/b&gt; gate</a></td>`,
		`<tr data-tag="chain-rule-add">`,
		`<td class="when" data-label="Resolved">2025-03-01 10:00 UTC</td>`,
		`<a href="/courses/10/exercises/ex-a/stats">Effects multiply</a> <small class="inline">submission 3</small>`,
		`Their page suggests next: <a href="/courses/10/exercises/ex-b/stats">The &lt;b&gt;ReLU&lt;/b&gt; gate</a>`,
	} {
		if !strings.Contains(body, s) {
			t.Errorf("learning page lacks %s", s)
		}
	}
	open, resolved := strings.Index(body, `id="active"`), strings.Index(body, `id="resolved"`)
	if relu, chain := strings.Index(body, `data-tag="relu-gate-ignored"`), strings.Index(body, `data-tag="chain-rule-add"`); !(open < relu && relu < resolved && resolved < chain) {
		t.Errorf("open at %d, relu-gate-ignored at %d, resolved at %d, chain-rule-add at %d: want the open one under its heading, the resolved one under its", open, relu, resolved, chain)
	}
	bob := e.get(inst, "/courses/10/students/5/learning").Body.String()
	if !strings.Contains(bob, `<span class="unmeasured">—</span></td>
      <td data-label="In words">no answers yet</td>`) || strings.Contains(bob, "not measured") {
		t.Error("bob's concept without answers is not said once, as no answers yet")
	}
	if cy := e.get(inst, "/courses/10/students/21/learning").Body.String(); !strings.Contains(cy, `id="no-answers"`) || strings.Contains(cy, "<table class=\"mastery") {
		t.Error("cy, with no answers, gets a table of concepts without answers instead of one line")
	}
	if list := e.get(inst, "/courses/10/students").Body.String(); !strings.Contains(list, `<a href="/courses/10/students/4/learning" aria-label="Learning of Alice &lt;Student&gt;">learning</a>`) {
		t.Error("the student list does not link to alice's learning")
	}
}

// TestStudentLearningAccess: only the course's staff read a student's learner model here; a
// student (even about themself), an outsider, a user who is not a student of the course and a
// malformed id get a clear 4xx.
func TestStudentLearningAccess(t *testing.T) {
	tests := []struct {
		name   string
		user   int64
		path   string
		status int
		has    string
	}{
		{"TA", ta, "/courses/10/students/5/learning", 200, "Bob Student: learning"},
		{"bob has no misconception resolved", inst, "/courses/10/students/5/learning", 200, "None yet."},
		{"a student reads another's", alice, "/courses/10/students/5/learning", 403, "instructors and TAs"},
		{"a student reads their own here", alice, "/courses/10/students/4/learning", 403, "instructors and TAs"},
		{"not enrolled", outsider, "/courses/10/students/4/learning", 404, ""},
		{"another instructor's course", inst, "/courses/20/students/4/learning", 404, ""},
		{"the instructor is no student", inst, "/courses/10/students/2/learning", 404, "not found"},
		{"no such user", inst, "/courses/10/students/999/learning", 404, "not found"},
		{"malformed id", inst, "/courses/10/students/abc/learning", 404, "no such student"},
		{"signed out", 0, "/courses/10/students/4/learning", 303, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newEnv(t).get(tt.user, tt.path)
			body := w.Body.String()
			if w.Code != tt.status || !strings.Contains(body, tt.has) {
				t.Errorf("GET %s as %d: %d, want %d with %q\n%s", tt.path, tt.user, w.Code, tt.status, tt.has, body)
			}
			if w.Code != 200 && strings.Contains(body, "Mastery by concept") {
				t.Errorf("GET %s as %d: %d shows a learner model", tt.path, tt.user, w.Code)
			}
		})
	}
}
