package web

import (
	"net/http"
	"slices"
	"time"

	"gradjudge"
)

// progressView is a student's own page in a course: nobody else's data is ever on it.
type progressView struct {
	Course    gradjudge.Course
	Exercises []exerciseProgressRow
	Concepts  []gradjudge.ConceptProgress
	Review    []reviewRow  // each misconception the student showed, most recently shown first
	History   []historyRow // every misconception event, newest first
}

// exerciseProgressRow is the student's record on one exercise.
type exerciseProgressRow struct {
	Exercise gradjudge.Exercise
	gradjudge.ExerciseProgress
	Link  string // the exercise's page
	State string // not-started, tried, partly-right or solved
}

// exerciseState names where a student stands on one exercise.
func exerciseState(p gradjudge.ExerciseProgress) string {
	switch {
	case p.Solved():
		return "solved"
	case p.BestScore > 0:
		return "partly-right"
	case p.Attempts > 0:
		return "tried"
	}
	return "not-started"
}

// reviewRow is one misconception the student showed, with the catalog's explanation.
type reviewRow struct {
	gradjudge.Misconception
	Times     int                  // submissions that showed it
	Last      time.Time            // the latest of those
	Exercises []gradjudge.Exercise // where it showed, first time first
}

// historyRow is one misconception event.
type historyRow struct {
	At            time.Time
	Exercise      gradjudge.Exercise
	Misconception gradjudge.Misconception
	SubmissionID  int64
}

// progress shows the signed-in student their own progress in the course.
func (h *Handler) progress(w http.ResponseWriter, r *http.Request, v visit) {
	p, err := h.App.Progress(r.Context(), v.app(), v.User.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	view := progressView{Course: v.Course, Concepts: p.Concepts}
	for _, e := range p.Exercises {
		view.Exercises = append(view.Exercises, exerciseProgressRow{Exercise: h.App.Exercise(e.ExerciseID), ExerciseProgress: e,
			Link: exerciseURL(v.Course.ID, e.ExerciseID), State: exerciseState(e)})
	}
	view.Review, view.History = review(h.App, p.Misconceptions)
	h.render(w, r, http.StatusOK, "progress.html", v.Course.Title, &v.User, view)
}

// lookup finds catalog entries by id; *app.App is one.
type lookup interface {
	Exercise(id string) gradjudge.Exercise
	Misconception(tag string) gradjudge.Misconception
	Misconceptions() []gradjudge.Misconception
}

// review groups a misconception history (oldest first, as Progress gives it) by tag, most
// recently shown first, and returns the history itself newest first.
func review(ix lookup, events []gradjudge.MisconceptionEvent) ([]reviewRow, []historyRow) {
	var rows []reviewRow
	byTag := map[string]int{}
	history := make([]historyRow, 0, len(events))
	for _, e := range events {
		ex := ix.Exercise(e.ExerciseID)
		history = append(history, historyRow{At: e.At, Exercise: ex, Misconception: ix.Misconception(e.Tag), SubmissionID: e.SubmissionID})
		i, ok := byTag[e.Tag]
		if !ok {
			i = len(rows)
			byTag[e.Tag] = i
			rows = append(rows, reviewRow{Misconception: ix.Misconception(e.Tag)})
		}
		row := &rows[i]
		row.Times++
		if e.At.After(row.Last) {
			row.Last = e.At
		}
		if !slices.ContainsFunc(row.Exercises, func(x gradjudge.Exercise) bool { return x.ID == ex.ID }) {
			row.Exercises = append(row.Exercises, ex)
		}
	}
	slices.SortStableFunc(rows, func(a, b reviewRow) int { return b.Last.Compare(a.Last) })
	slices.Reverse(history)
	return rows, history
}
