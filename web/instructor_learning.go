package web

import (
	"net/http"
	"net/url"
	"strconv"

	"gradjudge"
	"gradjudge/internal/mastery"
)

// learningView is one student's learner model for the course staff: each concept's mastery as a
// bar and in words, the misconceptions still open and those resolved, with dates and the
// exercise that resolved each, and the exercise the student's own page suggests next.
type learningView struct {
	Course      gradjudge.Course
	Student     gradjudge.Enrollment
	StudentLink string // the student's progress and submissions
	Concepts    []conceptLine
	Measured    bool // some concept has evidence: the student has a graded answer
	Active      []misconceptionLine
	Resolved    []misconceptionLine
	Next        exerciseRef // zero when nothing is suggested
	NextWhy     string
}

// Assets are the instructor pages' stylesheet and the page's own.
func (learningView) Assets() (styles, scripts []string) {
	return []string{"instructor.css", "learning.css"}, nil
}

// Refresh is 0: the page never reloads itself.
func (learningView) Refresh() int { return 0 }

// conceptLine is one concept's mastery.
type conceptLine struct {
	mastery.Explanation
	Title string
}

// misconceptionLine is one misconception of the student's, its times already formatted.
type misconceptionLine struct {
	mastery.MisconceptionView
	ConceptTitle          string
	FirstShown, LastShown string
	ShownIn, ResolvedBy   exerciseRef
	ResolvedAt            string // "" while active
}

// exerciseRef names an exercise and links to its drill-down.
type exerciseRef struct{ Title, Link string }

// studentLearning shows one student's learner model to the course staff.
func (h *Handler) studentLearning(w http.ResponseWriter, r *http.Request, v visit) {
	uid, err := strconv.ParseInt(r.PathValue("uid"), 10, 64)
	if err != nil || uid <= 0 {
		h.renderError(w, r, http.StatusNotFound, "There is no such student in this course.")
		return
	}
	l, err := h.App.StudentLearning(r.Context(), v.app(), uid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	view := learningView{Course: v.Course, Student: l.Student, StudentLink: courseURL(v.Course.ID) + "/students/" + strconv.FormatInt(uid, 10)}
	titles := h.conceptTitles()
	for _, c := range l.Concepts {
		view.Concepts = append(view.Concepts, conceptLine{Explanation: c, Title: titles(c.Concept)})
		view.Measured = view.Measured || c.Measured
	}
	for _, m := range l.Misconceptions {
		line := h.misconceptionLine(v, m, titles)
		if m.Active {
			view.Active = append(view.Active, line)
		} else {
			view.Resolved = append(view.Resolved, line)
		}
	}
	if l.Next.ExerciseID != "" {
		view.Next, view.NextWhy = h.exerciseRef(v, l.Next.ExerciseID), l.Next.Why
	}
	h.render(w, r, http.StatusOK, "learning_student.html", "Learning: "+personName(l.Student.Name, l.Student.Email), &v.User, view)
}

func (h *Handler) misconceptionLine(v visit, m mastery.MisconceptionView, titles func(string) string) misconceptionLine {
	line := misconceptionLine{MisconceptionView: m, FirstShown: when(m.FirstShownAt), LastShown: when(m.LastShownAt),
		ShownIn: h.exerciseRef(v, m.ShownIn)}
	if m.Concept != "" {
		line.ConceptTitle = titles(m.Concept)
	}
	if m.ResolvedAt != nil {
		line.ResolvedAt, line.ResolvedBy = when(*m.ResolvedAt), h.exerciseRef(v, m.ResolvedBy)
	}
	return line
}

func (h *Handler) exerciseRef(v visit, id string) exerciseRef {
	if id == "" {
		return exerciseRef{}
	}
	return exerciseRef{Title: h.App.Exercise(id).Title, Link: courseURL(v.Course.ID) + "/exercises/" + url.PathEscape(id) + "/stats"}
}
