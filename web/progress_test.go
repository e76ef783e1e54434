package web

import (
	"strings"
	"testing"

	"gradjudge"
)

// TestProgressPage renders alice's page: her exercises and concepts, her mastery of each concept
// in words and a bar, the next exercise (the one that tests her active misconception), and her
// misconceptions: the active one with the catalog's explanation first, the resolved one below
// with how it was resolved.
func TestProgressPage(t *testing.T) {
	body := newEnv(t).get(alice, "/courses/10").Body.String()
	for _, s := range []string{
		`<li class="ex ex-solved" data-exercise="ex-a"><a href="/courses/10/exercises/ex-a">Effects multiply</a>
      <span class="state">Solved</span> <span class="meta">· 3 attempts, grade 100%</span></li>`,
		`<li class="ex ex-partly-right" data-exercise="ex-b"><a href="/courses/10/exercises/ex-b">The &lt;b&gt;ReLU&lt;/b&gt; gate</a>
      <span class="state">Partly right</span> <span class="meta">· 1 attempt, grade 50%</span></li>`,
		`<tr data-concept="chain-rule"><th scope="row">The &lt;i&gt;chain&lt;/i&gt; rule</th><td class="num" data-label="Solved">1 of 1</td><td class="num" data-label="Attempts">3</td><td class="num" data-label="Mean grade">100%</td><td class="num" data-label="Misconceptions shown">2</td></tr>`,
		`<link rel="stylesheet" href="/static/learning.css">`,
		"Effects multiply: 2× then 3× is 6×, not 5×.",
		"shown once, last in &#34;The &lt;b&gt;ReLU&lt;/b&gt; gate&#34; on 1 Mar 2025.",
		`<li data-tag="chain-rule-add"><strong>Local derivatives added</strong>: resolved on 1 Mar 2025 by a right answer to &#34;Effects multiply&#34;.</li>`,
		`<tr data-concept="chain-rule" class="mastered"><th scope="row">The &lt;i&gt;chain&lt;/i&gt; rule</th>`,
		`<meter min="0" max="100" low="60" high="95" optimum="100" value="97">97%</meter>`,
		"likely mastered: 4 right in a row on new variants",
		`<span class="raise">A right answer to a variant that could show &#34;ReLU passed the gradient&#34; again resolves it.</span>`,
		`<p class="next" data-exercise="ex-b"><a href="/courses/10/exercises/ex-b"><strong>The &lt;b&gt;ReLU&lt;/b&gt; gate</strong></a></p>`,
		"Alice &lt;Student&gt;",
	} {
		if !strings.Contains(body, s) {
			t.Errorf("progress page lacks %s", s)
		}
	}
	relu, chain := strings.Index(body, `data-tag="relu-gate-ignored"`), strings.Index(body, `data-tag="chain-rule-add"`)
	if relu < 0 || chain < 0 || relu > chain {
		t.Errorf("review order: relu-gate-ignored at %d, chain-rule-add at %d; want the latest first", relu, chain)
	}
}

// TestProgressPageEmpty: a new student's page says once per concept that it has no answers yet
// (a dash for its mastery) and what would raise it.
func TestProgressPageEmpty(t *testing.T) {
	e := newEnv(t)
	e.f.records[course] = gradjudge.ProgressRecords{}
	e.f.learners[course] = nil
	body := e.get(alice, "/courses/10").Body.String()
	if !strings.Contains(body, "None open") || strings.Contains(body, "<h2>History</h2>") || strings.Contains(body, "<h3>Resolved</h3>") ||
		!strings.Contains(body, `<td data-label="Why">no answers yet. <span class="raise">A right answer to &#34;Effects multiply&#34; would raise it.</span></td>`) ||
		!strings.Contains(body, `<p class="next" data-exercise="ex-a">`) ||
		!strings.Contains(body, `<span class="unmeasured">—</span>`) || strings.Contains(body, "not measured") || strings.Contains(body, "<meter") {
		t.Errorf("empty progress page:\n%s", body)
	}
}
