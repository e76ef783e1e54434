package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"gradjudge/internal/policy"
)

// ex is the exercise of realCourse the policy tests set policies on.
const ex = "chain-rule-multiply"

// exPath is a page of ex in realCourse.
func exPath(rest string) string {
	return fmt.Sprintf("/courses/%d/exercises/%s%s", realCourse, ex, rest)
}

// TestPolicyPagesRefuse asks every new page as every kind of user and with bad input: the
// statuses are those of the other pages (not enrolled → 404, not staff → 403, malformed → 400),
// with a sentence that says why, never a 500.
func TestPolicyPagesRefuse(t *testing.T) {
	e := newPolicyEnv(t)
	valid := url.Values{"late": {"no_credit"}, "grade": {"best"}}
	for _, c := range []struct {
		name       string
		user       int64
		method     string
		path       string
		form       url.Values
		code       int
		mentioning string
	}{
		{"student: policy", alice, "GET", exPath("/policy"), nil, 403, "instructors and TAs"},
		{"student: save a policy", alice, "POST", exPath("/policy"), valid, 403, "instructors and TAs"},
		{"TA: save a policy", ta, "POST", exPath("/policy"), valid, 403, "instructors may do this"},
		{"not enrolled: policy", outsider, "GET", exPath("/policy"), nil, 404, ""},
		{"signed out: policy", 0, "GET", exPath("/policy"), nil, 303, ""},
		{"an exercise not in the course", inst, "GET", fmt.Sprintf("/courses/%d/exercises/fan-out/policy", realCourse), nil, 404, "not part of this course"},
		{"a course id that is no number", inst, "GET", "/courses/x/exercises/" + ex + "/policy", nil, 400, "positive integer"},
		{"student: extend", alice, "POST", exPath("/extensions"), url.Values{"user": {"4"}, "due": {"2026-01-01T00:00"}}, 403, ""},
		{"TA: remove an extension", ta, "POST", exPath("/extensions/4/remove"), url.Values{}, 403, "instructors may do this"},
		{"remove with a bad id", inst, "POST", exPath("/extensions/abc/remove"), url.Values{}, 400, "student id"},
		{"extend a non-student", inst, "POST", exPath("/extensions"), url.Values{"user": {"2"}, "due": {"2026-01-01T00:00"}}, 404, "student not found"},
		{"student: regrade form", alice, "GET", exPath("/regrade"), nil, 403, ""},
		{"TA: regrade form", ta, "GET", exPath("/regrade"), nil, 403, "instructors may do this"},
		{"student: start a regrade", alice, "POST", exPath("/regrade"), url.Values{"dry_run": {"1"}}, 403, ""},
		{"student: a regrade report", alice, "GET", exPath("/regrades/1"), nil, 403, ""},
		{"a regrade id that is no number", inst, "GET", exPath("/regrades/one"), nil, 400, "regrade id"},
		{"a regrade that does not exist", inst, "GET", exPath("/regrades/7"), nil, 404, "regrade not found"},
		{"student: preview", alice, "GET", "/catalog/" + ex, nil, 403, "only instructors"},
		{"preview: a bad seed", inst, "GET", "/catalog/" + ex + "?seed=-1", nil, 400, "seed must be a whole number"},
		{"preview: an unknown exercise", inst, "GET", "/catalog/nope", nil, 404, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := e.do(c.user, c.method, c.path, c.form)
			if w.Code != c.code || !strings.Contains(w.Body.String(), c.mentioning) {
				t.Errorf("%s %s as %d: %d, want %d mentioning %q\n%s", c.method, c.path, c.user, w.Code, c.code, c.mentioning, excerpt(w.Body.String()))
			}
		})
	}
}

// excerpt is the main part of a page, short.
func excerpt(s string) string {
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	return fmt.Sprintf("%.800s", s)
}

// TestPolicySettings: an instructor saves a policy through the form and reads it back; every bad
// form comes back with a 400, what was typed, and the problem next to its setting.
func TestPolicySettings(t *testing.T) {
	e := newPolicyEnv(t)
	form := url.Values{"opens": {"2025-03-01T08:00"}, "due": {"2025-03-08T17:00"}, "late": {"penalty"}, "late_penalty": {"10"},
		"close": {"2025-03-10 17:00"}, "max_attempts": {"5"}, "grade": {"penalised_best"}, "penalty_per_wrong": {"12.5%"},
		"fresh_variant_after": {"3"}, "hints_after": {"2"}, "reveal": {"1"}}
	w := e.do(inst, "POST", exPath("/policy"), form)
	if w.Code != 303 || w.Header().Get("Location") != exPath("/policy")+"?saved=1" {
		t.Fatalf("save: %d %s\n%s", w.Code, w.Header().Get("Location"), excerpt(w.Body.String()))
	}
	at := func(s string) time.Time { t, _ := time.Parse("2006-01-02 15:04", s); return t }
	want := policy.Policy{Opens: at("2025-03-01 08:00"), Due: at("2025-03-08 17:00"), Late: policy.LatePenalty, LatePenaltyPerDay: 0.1,
		Close: at("2025-03-10 17:00"), MaxAttempts: 5, Grade: policy.GradePenalisedBest, PenaltyPerWrong: 0.125,
		FreshVariantAfter: 3, HintsAfter: 2, RevealAfterDue: true}
	if got := e.pols.pols[ex]; got != want {
		t.Errorf("stored %+v\nwant   %+v", got, want)
	}
	page := e.do(inst, "GET", exPath("/policy?saved=1"), nil).Body.String()
	for _, s := range []string{`id="saved"`, `value="2025-03-08T17:00"`, `value="12.5"`, `name="reveal" id="reveal" value="1" checked`,
		`value="penalised_best" checked`, "Attempt 1 of 5.", "Each wrong attempt costs 12.5%"} {
		if !strings.Contains(page, s) {
			t.Errorf("the saved page lacks %q", s)
		}
	}
	if ta := e.do(ta, "GET", exPath("/policy"), nil).Body.String(); !strings.Contains(ta, `<fieldset class="bare" disabled>`) || strings.Contains(ta, `id="save"`) {
		t.Errorf("a TA's form is not read-only")
	}

	for _, c := range []struct {
		name  string
		set   url.Values
		field string // the input marked invalid
		says  string
	}{
		{"due before the opening", url.Values{"opens": {"2025-03-09T00:00"}}, "due", "The due date must be after the opening."},
		{"not a date", url.Values{"due": {"next friday"}}, "due", "The due date must be a date and time like 2026-12-24 17:00"},
		{"no late penalty", url.Values{"late_penalty": {""}}, "late_penalty", "The late penalty per day must be a percentage, like 10."},
		{"a late penalty over 100%", url.Values{"late_penalty": {"150"}}, "late_penalty", "at most 100%"},
		{"close before due", url.Values{"close": {"2025-03-07T00:00"}}, "close", "The close date must be after the due date."},
		{"negative attempts", url.Values{"max_attempts": {"-1"}}, "max_attempts", "The number of attempts must be a whole number, 0 or more."},
		{"penalised best without a penalty", url.Values{"penalty_per_wrong": {"0"}}, "penalty_per_wrong", "The penalty per wrong attempt must be more than 0%"},
		{"reveal without a due date", url.Values{"due": {""}, "late": {"no_credit"}}, "reveal", "Showing the answers after the due date needs a due date."},
		{"a penalty without a due date", url.Values{"due": {""}}, "due", "A penalty per day late needs a due date."},
	} {
		t.Run(c.name, func(t *testing.T) {
			bad := url.Values{}
			for k, v := range form {
				bad[k] = v
			}
			for k, v := range c.set {
				bad[k] = v
			}
			w := e.do(inst, "POST", exPath("/policy"), bad)
			body := w.Body.String()
			if w.Code != 400 || !strings.Contains(body, c.says) || !strings.Contains(body, `id="problems"`) {
				t.Fatalf("%d, want 400 saying %q\n%s", w.Code, c.says, excerpt(body))
			}
			if !strings.Contains(body, `id="`+c.field+`-err"`) || !strings.Contains(body, `aria-describedby="`+c.field+`-err"`) {
				t.Errorf("the setting %s is not marked", c.field)
			}
			if v := c.set.Get("due"); v != "" && !strings.Contains(body, `value="`+v+`"`) {
				t.Errorf("the form does not keep what was typed (%q)", v)
			}
		})
	}
	if got := e.pols.pols[ex]; got != want {
		t.Errorf("a refused form changed the policy to %+v", got)
	}
}

// TestExtensions: an extension needs a due date; once there is one, the instructor extends a
// student's, sees it listed, and takes it away.
func TestExtensions(t *testing.T) {
	e := newPolicyEnv(t)
	ext := url.Values{"user": {fmt.Sprint(alice)}, "due": {"2025-03-09T12:00"}}
	w := e.do(inst, "POST", exPath("/extensions"), ext)
	if w.Code != 400 || !strings.Contains(w.Body.String(), `id="extension-message"`) || !strings.Contains(w.Body.String(), "needs a due date") {
		t.Errorf("an extension without a due date: %d\n%s", w.Code, excerpt(w.Body.String()))
	}
	e.pols.pols[ex] = policy.Policy{Due: t0.Add(24 * time.Hour)}
	if w := e.do(inst, "POST", exPath("/extensions"), url.Values{"user": {fmt.Sprint(alice)}, "due": {"soon"}}); w.Code != 400 ||
		!strings.Contains(w.Body.String(), "must be a date and time") || !strings.Contains(w.Body.String(), `value="soon"`) {
		t.Errorf("a bad date: %d\n%s", w.Code, excerpt(w.Body.String()))
	}
	if w := e.do(inst, "POST", exPath("/extensions"), ext); w.Code != 303 {
		t.Fatalf("extend: %d\n%s", w.Code, excerpt(w.Body.String()))
	}
	page := e.do(inst, "GET", exPath("/policy"), nil).Body.String()
	if !strings.Contains(page, "Alice &lt;Student&gt;") || !strings.Contains(page, "2025-03-09 12:00 UTC") || strings.Contains(page, `id="no-extensions"`) {
		t.Errorf("the extension is not listed:\n%s", excerpt(page[strings.Index(page, `id="extensions"`):]))
	}
	if w := e.do(inst, "POST", exPath(fmt.Sprintf("/extensions/%d/remove", alice)), url.Values{}); w.Code != 303 {
		t.Fatalf("remove: %d", w.Code)
	}
	if page := e.do(inst, "GET", exPath("/policy"), nil).Body.String(); !strings.Contains(page, `id="no-extensions"`) {
		t.Errorf("the extension is still listed")
	}
}

// TestManageShowsPolicies: the course's settings say each exercise's policy in a few words.
func TestManageShowsPolicies(t *testing.T) {
	e := newPolicyEnv(t)
	e.pols.pols[ex] = policy.Policy{MaxAttempts: 3, Due: t0.Add(24 * time.Hour)}
	page := e.do(inst, "GET", fmt.Sprintf("/courses/%d/manage", realCourse), nil).Body.String()
	want := `<small class="inline policy-sum">(best of 3 attempts; nothing after the due date; due 2025-03-02 09:00 UTC)</small>`
	if !strings.Contains(page, want) || strings.Count(page, "policy-sum") != 1 {
		t.Errorf("the settings lack %s, or show a policy for an exercise without one", want)
	}
}
