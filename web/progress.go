package web

import (
	"net/http"
	"slices"
	"time"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/internal/mastery"
)

// progressView is a student's own page in a course: nobody else's data is ever on it.
type progressView struct {
	Course    gradjudge.Course
	Exercises []exerciseProgressRow
	Concepts  []gradjudge.ConceptProgress
	Learning  app.Learning       // mastery per concept, misconceptions active then resolved, the next exercise
	Next      gradjudge.Exercise // the suggested exercise
	NextLink  string             // its page
	History   []historyRow       // every misconception event, newest first
	// ConceptTitle names a concept by its catalog title.
	ConceptTitle func(id string) string
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

// historyRow is one misconception event.
type historyRow struct {
	At            time.Time
	Exercise      gradjudge.Exercise
	Misconception gradjudge.Misconception
	SubmissionID  int64
}

// Assets: the mastery bars (learning.css), as on the staff's learning page; on a phone the
// mastery and concept tables stack into cards (.stack, style.css).
func (progressView) Assets() (styles, scripts []string) { return []string{"learning.css"}, nil }

// Refresh: the page does not refresh itself.
func (progressView) Refresh() int { return 0 }

// progress shows the signed-in student their own progress in the course.
func (h *Handler) progress(w http.ResponseWriter, r *http.Request, v visit) {
	l, err := h.App.Learning(r.Context(), v.app(), v.User.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := l.Progress
	view := progressView{Course: v.Course, Concepts: p.Concepts, Learning: l, Next: h.App.Exercise(l.Next.ExerciseID),
		NextLink: exerciseURL(v.Course.ID, l.Next.ExerciseID),
		History:  history(h.App, p.Misconceptions), ConceptTitle: h.conceptTitles()}
	for _, e := range p.Exercises {
		view.Exercises = append(view.Exercises, exerciseProgressRow{Exercise: h.App.Exercise(e.ExerciseID), ExerciseProgress: e,
			Link: exerciseURL(v.Course.ID, e.ExerciseID), State: exerciseState(e)})
	}
	h.render(w, r, http.StatusOK, "progress.html", v.Course.Title, &v.User, view)
}

// lookup finds catalog entries by id; *app.App is one.
type lookup interface {
	Exercise(id string) gradjudge.Exercise
	Misconception(tag string) gradjudge.Misconception
	Misconceptions() []gradjudge.Misconception
}

// history returns a misconception history (oldest first, as Progress gives it) newest first.
func history(ix lookup, events []gradjudge.MisconceptionEvent) []historyRow {
	out := make([]historyRow, 0, len(events))
	for _, e := range slices.Backward(events) {
		out = append(out, historyRow{At: e.At, Exercise: ix.Exercise(e.ExerciseID), Misconception: ix.Misconception(e.Tag), SubmissionID: e.SubmissionID})
	}
	return out
}

// Active is the student's active misconceptions, most recently shown first.
func (v progressView) Active() []mastery.MisconceptionView {
	return slices.DeleteFunc(slices.Clone(v.Learning.Misconceptions), func(m mastery.MisconceptionView) bool { return !m.Active })
}

// Resolved is the student's resolved misconceptions, most recently resolved first.
func (v progressView) Resolved() []mastery.MisconceptionView {
	return slices.DeleteFunc(slices.Clone(v.Learning.Misconceptions), func(m mastery.MisconceptionView) bool { return m.Active })
}
