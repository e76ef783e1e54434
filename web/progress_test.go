package web

import (
	"strings"
	"testing"

	"gradjudge"
)

// TestProgressPage renders alice's page: her exercises and concepts, and each misconception she
// showed with the catalog's explanation, the one shown last first.
func TestProgressPage(t *testing.T) {
	body := newEnv(t).get(alice, "/courses/10").Body.String()
	for _, s := range []string{
		`<li class="ex ex-solved" data-exercise="ex-a"><a href="/courses/10/exercises/ex-a">Effects multiply</a>
      <span class="state">Solved</span> <span class="meta">· 3 attempts, best 100%</span></li>`,
		`<li class="ex ex-partly-right" data-exercise="ex-b"><a href="/courses/10/exercises/ex-b">The &lt;b&gt;ReLU&lt;/b&gt; gate</a>
      <span class="state">Partly right</span> <span class="meta">· 1 attempt, best 50%</span></li>`,
		`<tr data-concept="chain-rule"><th scope="row">chain rule</th><td class="num">1 of 1</td><td class="num">3</td><td class="num">1.00</td><td class="num">2</td></tr>`,
		"Effects multiply: 2× then 3× is 6×, not 5×.",
		"Shown 2 times, last on 2025-03-01 09:10 UTC, in Effects multiply.",
		"Shown 1 time, last on 2025-03-01 09:30 UTC, in The &lt;b&gt;ReLU&lt;/b&gt; gate.",
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

func TestProgressPageEmpty(t *testing.T) {
	e := newEnv(t)
	e.f.records[course] = gradjudge.ProgressRecords{}
	body := e.get(alice, "/courses/10").Body.String()
	if !strings.Contains(body, "None so far") || strings.Contains(body, "<h2>History</h2>") {
		t.Errorf("empty progress page:\n%s", body)
	}
}
