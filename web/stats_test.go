package web

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gradjudge"
)

var (
	rowRE  = regexp.MustCompile(`(?s)<tr data-exercise="([^"]*)">(.*?)</tr>`)
	cellRE = regexp.MustCompile(`<td class="cell (heat-\d+)" data-tag="([^"]*)"[^>]*>([^<]*)</td>`)
	colRE  = regexp.MustCompile(`<th scope="col" class="tag" data-tag="([^"]*)" title="([^"]*)"><span>([^<]*)</span>`)
)

// heatCells reads the heat map of a rendered dashboard as "exercise tag shade text" lines.
func heatCells(t *testing.T, body string) []string {
	t.Helper()
	start := strings.Index(body, `id="heatmap"`)
	end := strings.Index(body[max(start, 0):], "</table>")
	if start < 0 || end < 0 {
		t.Fatalf("no heat map in\n%s", body)
	}
	var out []string
	for _, row := range rowRE.FindAllStringSubmatch(body[start:start+end], -1) {
		for _, c := range cellRE.FindAllStringSubmatch(row[2], -1) {
			out = append(out, strings.TrimSpace(strings.Join([]string{row[1], c[2], c[1], c[3]}, " ")))
		}
	}
	return out
}

// TestHeatMapPage renders the dashboard of the fixture and reads back every cell: the share of
// each exercise's students who showed each tag, its shade, and the catalog's title and
// explanation on the column (escaped).
func TestHeatMapPage(t *testing.T) {
	e := newEnv(t)
	w := e.get(inst, "/courses/10")
	body := w.Body.String()
	want := []string{
		"ex-a chain-rule-add heat-8 75%",
		"ex-a relu-gate-ignored heat-3 25%",
		"ex-b chain-rule-add heat-0",
		"ex-b relu-gate-ignored heat-10 100%",
	}
	if got := heatCells(t, body); !slices.Equal(got, want) {
		t.Errorf("heat map cells:\n got %q\nwant %q", got, want)
	}
	cols := colRE.FindAllStringSubmatch(body, -1)
	if len(cols) != 2 || cols[0][1] != "chain-rule-add" || cols[0][3] != "Local derivatives added" ||
		cols[1][1] != "relu-gate-ignored" || cols[1][2] != "Where z &lt;= 0 the gate is &lt;closed&gt;." {
		t.Errorf("columns = %q", cols)
	}
	for _, s := range []string{
		`<tr data-exercise="ex-a"><th scope="row">Effects multiply</th><td class="num">4</td><td class="num">9</td><td class="num">2</td><td class="num">—</td><td class="num">50%</td><td class="num">63%</td><td class="num">2.5</td></tr>`,
		`<span class="chip heat-10" data-tag="relu-gate-ignored"`, "ReLU passed the gradient · 100%",
		`href="/courses/10/grades.csv"`, "5 students enrolled",
		`<small class="status">1 active · 1 resolved</small>`, "Students for whom it is active now: 1; resolved: 0.",
		`<tr data-concept="chain-rule"><th scope="row">The &lt;i&gt;chain&lt;/i&gt; rule</th><td class="num">2</td><td class="num">1</td>`,
		"Backprop &lt;script&gt;alert(1)&lt;/script&gt;", "The &lt;b&gt;ReLU&lt;/b&gt; gate",
	} {
		if !strings.Contains(body, s) {
			t.Errorf("dashboard lacks %s", s)
		}
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, "<b>ReLU") {
		t.Error("dashboard has unescaped markup from the data")
	}
}

// TestDashboardStuck: the dashboard says how many students are stuck, linking to the student
// list's stuck list, and on which exercises; a course where nobody is stuck says nothing of it.
func TestDashboardStuck(t *testing.T) {
	e := newEnv(t)
	if body := e.get(inst, "/courses/10").Body.String(); strings.Contains(body, "stuck-summary") {
		t.Errorf("nobody is stuck, yet the dashboard says so")
	}
	recs := e.f.records[course]
	for i, r := range recs.Exercises {
		if r.UserID == alice && r.ExerciseID == "ex-b" {
			recs.Exercises[i].Attempts = gradjudge.StuckAttempts
		}
	}
	e.f.records[course] = recs
	body := e.get(inst, "/courses/10").Body.String()
	for _, s := range []string{
		`<a href="/courses/10/students#stuck-h">1 student is stuck</a>: 3 or more attempts on an exercise without a pass.`,
		`<tr data-exercise="ex-b"><th scope="row">The &lt;b&gt;ReLU&lt;/b&gt; gate</th><td class="num">2</td><td class="num">5</td><td class="num">0</td><td class="num">1</td>`,
	} {
		if !strings.Contains(body, s) {
			t.Errorf("dashboard lacks %s", s)
		}
	}
}

func TestHeatMapEmpty(t *testing.T) {
	e := newEnv(t)
	e.f.records[course] = gradjudge.ProgressRecords{}
	body := e.get(inst, "/courses/10").Body.String()
	if !strings.Contains(body, "No student has shown a misconception yet") || strings.Contains(body, `id="heatmap"`) {
		t.Errorf("empty dashboard:\n%s", body)
	}
}

// TestHeatMapLayout checks the layout on its own: columns are the tags someone showed, most
// students first, ties in catalog order, unknown tags last; a cell with nobody is zero.
func TestHeatMapLayout(t *testing.T) {
	ix := newEnv(t).h.App
	tc := func(tag string, students int, share float64) gradjudge.TagCount {
		return gradjudge.TagCount{Tag: tag, Students: students, Prevalence: share}
	}
	tests := []struct {
		name      string
		exercises []gradjudge.ExerciseStats
		cols      []string
		cells     []string // "exercise tag students/of share"
	}{
		{"nothing", []gradjudge.ExerciseStats{{ExerciseID: "ex-a"}}, nil, nil},
		{"zero students is no column", []gradjudge.ExerciseStats{{ExerciseID: "ex-a", Students: 1, Misconceptions: []gradjudge.TagCount{tc("fanout-not-summed", 0, 0)}}}, nil, nil},
		{"most students first", []gradjudge.ExerciseStats{
			{ExerciseID: "ex-a", Students: 4, Misconceptions: []gradjudge.TagCount{tc("chain-rule-add", 1, 0.25), tc("fanout-not-summed", 2, 0.5)}},
			{ExerciseID: "ex-b", Students: 2, Misconceptions: []gradjudge.TagCount{tc("fanout-not-summed", 1, 0.5)}},
		}, []string{"fanout-not-summed", "chain-rule-add"}, []string{
			"ex-a fanout-not-summed 2/4 0.5", "ex-a chain-rule-add 1/4 0.25",
			"ex-b fanout-not-summed 1/2 0.5", "ex-b chain-rule-add 0/2 0"}},
		{"ties in catalog order, unknown tags last", []gradjudge.ExerciseStats{
			{ExerciseID: "ex-a", Students: 1, Misconceptions: []gradjudge.TagCount{tc("authors-own", 1, 1), tc("fanout-not-summed", 1, 1), tc("chain-rule-add", 1, 1)}},
		}, []string{"chain-rule-add", "fanout-not-summed", "authors-own"}, []string{
			"ex-a chain-rule-add 1/1 1", "ex-a fanout-not-summed 1/1 1", "ex-a authors-own 1/1 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hm := heatMapOf(ix, tt.exercises)
			var cols, cells []string
			for _, m := range hm.Tags {
				cols = append(cols, m.Tag)
			}
			for _, r := range hm.Rows {
				for _, c := range r.Cells {
					cells = append(cells, strings.Join([]string{r.Exercise.ID, c.Tag, itoa(c.Students) + "/" + itoa(c.Of), ftoa(c.Share)}, " "))
				}
			}
			if !slices.Equal(cols, tt.cols) || !slices.Equal(cells, tt.cells) {
				t.Errorf("columns %q cells %q\nwant    %q cells %q", cols, cells, tt.cols, tt.cells)
			}
			if len(hm.Rows) != len(tt.exercises) {
				t.Errorf("%d rows, want one per exercise (%d)", len(hm.Rows), len(tt.exercises))
			}
		})
	}
}

func TestShades(t *testing.T) {
	for _, tt := range []struct {
		share         float64
		class, percnt string
	}{
		{0, "heat-0", "0%"}, {0.001, "heat-1", "<1%"}, {0.1, "heat-1", "10%"}, {0.101, "heat-2", "10%"},
		{1.0 / 3, "heat-4", "33%"}, {0.75, "heat-8", "75%"}, {1, "heat-10", "100%"}, {1.5, "heat-10", "150%"}, {-1, "heat-0", "-100%"},
	} {
		if got := heatClass(tt.share); got != tt.class {
			t.Errorf("heatClass(%v) = %s, want %s", tt.share, got, tt.class)
		}
		if got := percent(tt.share); got != tt.percnt {
			t.Errorf("percent(%v) = %s, want %s", tt.share, got, tt.percnt)
		}
	}
}

func itoa(i int) string     { return strconv.Itoa(i) }
func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// TestLearningCSV downloads the class's learner model with the session cookie: the staff get the
// file with the class's counts, a student is refused.
func TestLearningCSV(t *testing.T) {
	e := newEnv(t)
	w := e.get(inst, "/courses/10/learning.csv")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "misconception:chain-rule-add") ||
		!strings.Contains(w.Body.String(), `,,(class),`) || !strings.Contains(w.Body.String(), `"1 active, 1 resolved"`) {
		t.Errorf("staff: %d\n%s", w.Code, w.Body.String())
	}
	if w := e.get(alice, "/courses/10/learning.csv"); w.Code == 200 {
		t.Errorf("a student downloaded the class's learning: %d", w.Code)
	}
}
