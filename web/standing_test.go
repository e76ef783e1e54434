package web

import (
	"fmt"
	"gradjudge/exercises"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/internal/policy"
)

// TestExercisePageSaysWhatCounts: the student's page says which attempt this is, what a wrong one
// costs and how the grade is computed; after the policy's wrong attempts a button shows hints, got
// through the core, in steps; a page not yet open disables its form; after the due date with
// answers revealed, the answers are shown.
func TestExercisePageSaysWhatCounts(t *testing.T) {
	e := newPolicyEnv(t)
	e.pols.pols[ex] = policy.Policy{MaxAttempts: 2, HintsAfter: 1, Grade: policy.GradePenalisedBest, PenaltyPerWrong: 0.1,
		Due: t0.Add(48 * time.Hour)}
	page := e.get(t, exPath(""))
	for _, s := range []string{"Attempt 1 of 2.", "Each wrong attempt costs 10%", "Hints appear after 1 wrong attempt.",
		"Due 2025-03-03 09:00 UTC.", "Answers after the due date do not count."} {
		if !strings.Contains(page, s) {
			t.Errorf("the first visit lacks %q", s)
		}
	}
	for _, s := range []string{`id="show-hints"`, `id="grade"`, " disabled>"} {
		if strings.Contains(page, s) {
			t.Errorf("the first visit has %q", s)
		}
	}

	e.attempt(t, ex)
	page = e.get(t, exPath(""))
	for _, s := range []string{"Attempt 2 of 2.", `id="show-hints"`, "step 1 of 3", `id="grade"`,
		"best of 2 attempts, −10% per earlier wrong attempt; nothing after the due date"} {
		if !strings.Contains(page, s) {
			t.Errorf("after a wrong attempt the page lacks %q", s)
		}
	}
	if strings.Contains(page, `id="hint-list"`) {
		t.Error("hints are shown before they are asked for")
	}
	sub, _ := e.subs.Submission(t.Context(), 1)
	m := e.h.App.Misconception(sub.Verdict.Misconceptions[0])
	hints := e.get(t, exPath("?hints=1"))
	box := hints[strings.Index(hints, `id="hints"`):]
	if !strings.Contains(box, `id="hint-explained"`) || strings.Contains(box, `id="hint-list"`) || !strings.Contains(box, "Hint step 1 of 3") ||
		strings.Count(hints, template.HTMLEscapeString(m.Explanation)) != 1 {
		t.Errorf("the first hint, the explanation of %s, should point to the verdict's, which the page shows once:\n%s", m.Tag, excerpt(box))
	}

	e.attempt(t, ex)
	page = e.get(t, exPath("?hints=1"))
	for _, s := range []string{"All 2 attempts are used", "Submit for practice", `class="counts practice"`, "Hint step 2 of 3", "The first answer that goes wrong is"} {
		if !strings.Contains(page, s) {
			t.Errorf("after the last attempt the page lacks %q", s)
		}
	}
}

// TestExerciseNotOpenOrRevealed: before the opening the form is disabled and says when it opens;
// once the answers are revealed they are the expected answers of the student's variant.
func TestExerciseNotOpenOrRevealed(t *testing.T) {
	e := newPolicyEnv(t)
	e.pols.pols[ex] = policy.Policy{Opens: t0.Add(time.Hour)}
	page := e.get(t, exPath(""))
	if !strings.Contains(page, `<fieldset class="bare" disabled>`) || !strings.Contains(page, "Not open yet:</strong> you may read the exercise now and answer from 2025-03-01 10:00 UTC") {
		t.Errorf("a page not yet open:\n%s", excerpt(page[strings.Index(page, `id="answer-h"`):]))
	}

	e.pols.pols[ex] = policy.Policy{Due: t0.Add(-time.Hour), RevealAfterDue: true}
	page = e.get(t, exPath(""))
	in, err := e.cat.Instance(ex, gradjudge.VariantSeed(realCourse, alice, ex))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page, `id="answers"`) || !strings.Contains(page, "Closed: answers are judged as practice") {
		t.Fatalf("no answers after the due date:\n%s", excerpt(page))
	}
	for _, a := range in.ReferenceAnswers() {
		if !strings.Contains(page, fmt.Sprintf("<dt>%s</dt><dd><code>%s</code></dd>", template.HTMLEscapeString(a.Label), a.Value)) {
			t.Errorf("the answer %s = %s is not shown", a.Label, a.Value)
		}
	}

	// A choice exercise reveals its right option, typeset as the choices are.
	const choice = "backprop-vs-gradient-descent"
	e.pols.pols[choice] = policy.Policy{Due: t0.Add(-time.Hour), RevealAfterDue: true}
	page = e.get(t, fmt.Sprintf("/courses/%d/exercises/%s", realCourse, choice))
	in, err = e.cat.Instance(choice, gradjudge.VariantSeed(realCourse, alice, choice))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(in.Options, func(o exercises.Option) bool { return o.Correct })
	want, err := e.h.statements.RenderInline(in.Options[i].Text)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page, "<dt>"+exercises.RightChoiceLabel+"</dt><dd>"+string(want)+"</dd>") {
		t.Errorf("the right choice %q is not revealed:\n%s", in.Options[i].Text, excerpt(page[strings.Index(page, `id="answers"`):]))
	}
}

// TestStalePageRefused: a page showing a variant the student has since left (a fresh one after a
// wrong attempt) sends its seed with the answer, and the core refuses it with a reload message;
// the page's own seed is accepted.
func TestStalePageRefused(t *testing.T) {
	e := newPolicyEnv(t)
	e.pols.pols[ex] = policy.Policy{FreshVariantAfter: 1}
	page := e.get(t, exPath(""))
	old := gradjudge.VariantSeed(realCourse, alice, ex)
	if !strings.Contains(page, fmt.Sprintf(`name="seed" value="%d"`, old)) {
		t.Fatalf("the form does not carry its variant's seed %d", old)
	}
	e.attempt(t, ex) // wrong: the student moves to a fresh variant
	form := url.Values{"seed": {fmt.Sprint(old)}, "attempt": {"k1"}, "q.dy_dx": {"1"}}
	w := e.do(alice, "POST", exPath(""), form)
	if w.Code != 409 || !strings.Contains(w.Body.String(), "reload the page") {
		t.Errorf("an answer to the old variant: %d\n%s", w.Code, excerpt(w.Body.String()))
	}
	if n := len(e.subs.subs); n != 1 {
		t.Errorf("%d submissions stored, want the one wrong attempt", n)
	}
	fresh := policy.VariantSeed(old, 1)
	form.Set("seed", fmt.Sprint(fresh))
	form.Set("attempt", "k2")
	if w := e.do(alice, "POST", exPath(""), form); w.Code != 303 {
		t.Errorf("an answer to the current variant: %d\n%s", w.Code, excerpt(w.Body.String()))
	}
	if w := e.do(alice, "POST", exPath(""), url.Values{"seed": {"x"}}); w.Code != 400 || !strings.Contains(w.Body.String(), "Seed:") {
		t.Errorf("a seed that is no number: %d\n%s", w.Code, excerpt(w.Body.String()))
	}
}
