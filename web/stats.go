package web

import (
	"cmp"
	"net/http"
	"slices"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/internal/mastery"
)

// statsView is the course staff's dashboard.
type statsView struct {
	Course    gradjudge.Course
	Role      gradjudge.CourseRole
	Students  int // enrolled as students
	Stuck     int // students stuck on at least one exercise
	Stuckness int // the attempts without a pass that make a student stuck
	Heat      heatMap
	Exercises []exerciseRow
	Concepts  []conceptRow
	Learning  app.ClassMastery             // mastery per concept; misconceptions active and resolved
	TagStatus map[string]mastery.TagStatus // by tag, for the heat map
	// ConceptTitle names a concept by its catalog title.
	ConceptTitle func(id string) string
}

// heatMap is the class's misconceptions at a glance: a row per exercise of the course, a column
// per misconception tag that any student showed, each cell the share of the exercise's students
// who showed it.
type heatMap struct {
	Tags []gradjudge.Misconception // the columns, most widespread first
	Rows []heatRow
}

// heatRow is one exercise of the heat map.
type heatRow struct {
	Exercise  gradjudge.Exercise
	Attempted int        // students with at least one attempt
	Cells     []heatCell // one per column, in the columns' order
}

// heatCell is one exercise and one tag.
type heatCell struct {
	Tag      string
	Title    string  // the tag's title, for the cell's tooltip
	Students int     // students who showed the misconception on the exercise
	Of       int     // students who attempted the exercise
	Share    float64 // Students / Of, in [0,1]; 0 when nobody attempted
}

// exerciseRow is one exercise's attempts and pass rate.
type exerciseRow struct {
	Exercise gradjudge.Exercise
	gradjudge.ExerciseStats
}

// conceptRow is the prevalence of the misconceptions of one concept.
type conceptRow struct {
	Concept  string
	Students int // students who attempted an exercise of the concept
	Tags     []tagShare
}

// tagShare is one misconception with the share of students who showed it.
type tagShare struct {
	gradjudge.Misconception
	Students int
	Share    float64
}

// stats shows the dashboard of the course (course staff only: course guards it).
func (h *Handler) stats(w http.ResponseWriter, r *http.Request, v visit) {
	st, err := h.App.Stats(r.Context(), v.app())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cl, err := h.App.ClassMastery(r.Context(), v.app())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	view := statsView{Course: v.Course, Role: v.Role, Students: st.Students, Stuck: st.Stuck, Stuckness: app.StuckAttempts,
		Heat: heatMapOf(h.App, st.Exercises), Concepts: conceptRows(h.App, st.Concepts), Learning: cl,
		TagStatus: map[string]mastery.TagStatus{}, ConceptTitle: h.conceptTitles()}
	for _, t := range cl.Tags {
		view.TagStatus[t.Tag] = t
	}
	for _, e := range st.Exercises {
		view.Exercises = append(view.Exercises, exerciseRow{Exercise: h.App.Exercise(e.ExerciseID), ExerciseStats: e})
	}
	h.render(w, r, http.StatusOK, "stats.html", v.Course.Title, &v.User, view)
}

// heatMap lays out the heat map of exercises, in their order. Its columns are the tags any
// student showed, the one shown by the most students (summed over exercises) first, ties in
// catalog order.
func heatMapOf(ix lookup, exercises []gradjudge.ExerciseStats) heatMap {
	total := map[string]int{}
	for _, e := range exercises {
		for _, t := range e.Misconceptions {
			if t.Students > 0 {
				total[t.Tag] += t.Students
			}
		}
	}
	var hm heatMap
	for tag := range total {
		hm.Tags = append(hm.Tags, ix.Misconception(tag))
	}
	order := gradjudge.TagOrder(ix.Misconceptions())
	slices.SortFunc(hm.Tags, func(a, b gradjudge.Misconception) int {
		return cmp.Or(cmp.Compare(total[b.Tag], total[a.Tag]), order(a.Tag, b.Tag))
	})
	for _, e := range exercises {
		row := heatRow{Exercise: ix.Exercise(e.ExerciseID), Attempted: e.Students}
		for _, m := range hm.Tags {
			cell := heatCell{Tag: m.Tag, Title: m.Title, Of: e.Students}
			if i := slices.IndexFunc(e.Misconceptions, func(t gradjudge.TagCount) bool { return t.Tag == m.Tag }); i >= 0 {
				cell.Students, cell.Share = e.Misconceptions[i].Students, e.Misconceptions[i].Prevalence
			}
			row.Cells = append(row.Cells, cell)
		}
		hm.Rows = append(hm.Rows, row)
	}
	return hm
}

// conceptRows lists each concept's misconceptions that some student showed, most prevalent
// first.
func conceptRows(ix lookup, concepts []gradjudge.ConceptStats) []conceptRow {
	order := gradjudge.TagOrder(ix.Misconceptions())
	var out []conceptRow
	for _, c := range concepts {
		row := conceptRow{Concept: c.Concept, Students: c.Students}
		for _, t := range c.Misconceptions {
			if t.Students > 0 {
				row.Tags = append(row.Tags, tagShare{Misconception: ix.Misconception(t.Tag), Students: t.Students, Share: t.Prevalence})
			}
		}
		slices.SortStableFunc(row.Tags, func(a, b tagShare) int {
			return cmp.Or(cmp.Compare(b.Share, a.Share), order(a.Tag, b.Tag))
		})
		out = append(out, row)
	}
	return out
}
