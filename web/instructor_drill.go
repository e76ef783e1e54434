package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/web/graphsvg"
)

// drillView is one exercise's statistics for the course staff.
type drillView struct {
	instructorAssets
	Course         gradjudge.Course
	Drill          app.ExerciseDrill
	Wrong          []wrongRows
	Misconceptions []prevalenceRow
	Splits         []splitRow
	Histogram      []barRow
	Explore        string // the explorer on this exercise's graph
	Summary        string // "3 students attempted · 2 passed (67%) · 9 attempts"
}

// wrongRows are the common wrong answers to one quantity, explained.
type wrongRows struct {
	Label string
	Rows  []wrongRow
}

// wrongRow is one common wrong answer with the misconceptions that explain it.
type wrongRow struct {
	Example, Explained string
	Count              int
}

// prevalenceRow is one misconception's share of the exercise's students.
type prevalenceRow struct {
	gradjudge.Misconception
	Students int
	Share    float64
}

// splitRow is the pass rates of one node's two groups of students, in words: "z ≤ 0: 3 of 10
// passed (30%)".
type splitRow struct {
	Node             string // as the pictures write it (w₁)
	Gate             string // "ReLU gate" for a ReLU's argument; "" for other nodes
	AtOrBelow, Above string
}

// gateWords are the names of SplitRate.Gate's functions.
var gateWords = map[string]string{"relu": "ReLU gate", "abs": "kink of |·|"}

// splitRows words the pass rates of d's splits.
func splitRows(splits []app.SplitRate) []splitRow {
	var out []splitRow
	for _, s := range splits {
		node := graphsvg.DisplayName(s.Name)
		out = append(out, splitRow{Node: node, Gate: gateWords[s.Gate],
			AtOrBelow: splitWords(node+" ≤ 0", s.PassedBelow, s.AtOrBelow, s.RateAtOrBelow),
			Above:     splitWords(node+" > 0", s.PassedAbove, s.Above, s.RateAbove)})
	}
	return out
}

func splitWords(group string, passed, of int, rate float64) string {
	return group + ": " + strconv.Itoa(passed) + " of " + strconv.Itoa(of) + " passed (" + percent(rate) + ")"
}

// barRow is one bar of the attempts histogram, its width in percent of the largest.
type barRow struct {
	Label    string
	Students int
	Width    int
}

// drill shows exercise {eid}'s statistics.
func (h *Handler) drill(w http.ResponseWriter, r *http.Request, v visit) {
	d, err := h.App.ExerciseDrill(r.Context(), v.app(), r.PathValue("eid"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	view := drillView{Course: v.Course, Drill: d, Splits: splitRows(d.Splits)}
	if d.Exercise.Kind != gradjudge.KindChoice {
		view.Explore = stateURL(map[string][]string{"course": {strconv.FormatInt(v.Course.ID, 10)}, "exercise": {d.Exercise.ID}}, 0)
	}
	view.Summary = drillSummary(d.Stats)
	for _, q := range d.Wrong {
		if len(q.Wrong) == 0 {
			continue
		}
		wr := wrongRows{Label: q.Label}
		for _, a := range q.Wrong {
			wr.Rows = append(wr.Rows, wrongRow{Example: a.Example, Count: a.Count, Explained: h.explain(a.Tags)})
		}
		view.Wrong = append(view.Wrong, wr)
	}
	for _, tc := range d.Stats.Misconceptions {
		view.Misconceptions = append(view.Misconceptions, prevalenceRow{Misconception: h.App.Misconception(tc.Tag), Students: tc.Students, Share: tc.Prevalence})
	}
	h.sortByCatalog(view.Misconceptions)
	most := 1
	for _, b := range d.Histogram {
		most = max(most, b.Students)
	}
	for _, b := range d.Histogram {
		view.Histogram = append(view.Histogram, barRow{Label: b.Label, Students: b.Students, Width: b.Students * 100 / most})
	}
	h.render(w, r, http.StatusOK, "drill.html", d.Exercise.Title+": statistics", &v.User, view)
}

// drillSummary says who attempted and passed, in words.
func drillSummary(st gradjudge.ExerciseStats) string {
	s := plural(st.Students, "student", "students") + " attempted · " + strconv.Itoa(st.Passed) + " passed"
	if st.Students > 0 {
		s += " (" + percent(st.PassRate) + ")"
	}
	return s + " · " + plural(st.Attempts, "attempt", "attempts")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// explain names the misconceptions behind a wrong answer, by their catalog titles.
func (h *Handler) explain(tags []string) string {
	if len(tags) == 0 {
		return "no known misconception (no bug rule predicts it)"
	}
	var titles []string
	for _, m := range h.App.DescribeTags(tags) {
		titles = append(titles, m.Title)
	}
	return strings.Join(titles, "; ")
}

// sortByCatalog puts misconceptions in the catalog's (the lesson's) order.
func (h *Handler) sortByCatalog(rows []prevalenceRow) {
	order := gradjudge.TagOrder(h.App.Misconceptions())
	slices.SortStableFunc(rows, func(a, b prevalenceRow) int { return order(a.Tag, b.Tag) })
}
