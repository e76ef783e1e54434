package web

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/internal/gradebook"
	"gradjudge/web/graphsvg"
)

// listShown caps the students of the stuck and not-started lists above the table (the most stuck
// first), so that a phone reaches the table: a count says how many more the table holds.
const listShown = 20

// stuckOnShown caps the exercises named for one stuck student; their page has all of them.
const stuckOnShown = 3

// studentsShown caps the submissions drawn on one student's page: each draws a graph.
const studentsShown = 30

// studentsView is the course's student list for its staff.
type studentsView struct {
	instructorAssets
	Course     gradjudge.Course
	Exercises  []exerciseColumn
	Rows       []studentLine
	Count      string // "1 student", "300 students"
	NotStarted []gradjudge.Enrollment
	MoreIdle   int // students not started beyond listShown
	Idle       int // students not started
	Stuck      []stuckStudent
	MoreStuck  int // stuck students beyond listShown
	StuckCount int // students stuck on at least one exercise
	Stuckness  int // attempts without a pass that make a student stuck
}

// stuckStudent is one student stuck on one exercise or more.
type stuckStudent struct {
	Student gradjudge.Enrollment
	Link    string
	On      []stuckOn // most attempts first, at most stuckOnShown
	Of      int       // exercises the student is stuck on
}

// More is how many exercises the student is stuck on beyond those named.
func (s stuckStudent) More() int { return s.Of - len(s.On) }

// stuckOn is one exercise a student is stuck on.
type stuckOn struct {
	Title, Link string
	Attempts    int
}

// groupStuck gathers the stuck list by student under the course's address base: those stuck on
// the most exercises first, then in the order of their most attempted one.
func groupStuck(stuck []app.Stuck, base string) []stuckStudent {
	var out []stuckStudent
	at := map[int64]int{} // user id → index in out
	for _, s := range stuck {
		i, ok := at[s.Student.UserID]
		if !ok {
			i = len(out)
			at[s.Student.UserID] = i
			out = append(out, stuckStudent{Student: s.Student, Link: base + "/students/" + strconv.FormatInt(s.Student.UserID, 10)})
		}
		if out[i].Of++; len(out[i].On) < stuckOnShown {
			out[i].On = append(out[i].On, stuckOn{Title: s.Exercise.Title, Link: base + "/exercises/" + url.PathEscape(s.Exercise.ID) + "/stats", Attempts: s.Attempts})
		}
	}
	slices.SortStableFunc(out, func(a, b stuckStudent) int { return b.Of - a.Of })
	return out
}

// exerciseColumn heads one column: a number, the title and the drill-down.
type exerciseColumn struct {
	N     int
	Title string
	Link  string
}

// studentLine is one student's row.
type studentLine struct {
	gradjudge.Enrollment
	Link   string
	Cells  template.HTML // the row's cells, one per exercise (see stateCells)
	Solved int
	Last   string
}

// students shows the student list.
func (h *Handler) students(w http.ResponseWriter, r *http.Request, v visit) {
	l, err := h.App.Students(r.Context(), v.app())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := courseURL(v.Course.ID)
	stuck := groupStuck(l.Stuck, base)
	view := studentsView{Course: v.Course, NotStarted: l.NotStarted[:min(len(l.NotStarted), listShown)], Idle: len(l.NotStarted),
		MoreIdle: max(len(l.NotStarted)-listShown, 0), Stuck: stuck[:min(len(stuck), listShown)], StuckCount: len(stuck),
		MoreStuck: max(len(stuck)-listShown, 0), Stuckness: app.StuckAttempts,
		Rows: make([]studentLine, 0, len(l.Students)), Count: plural(len(l.Students), "student", "students")}
	for i, e := range l.Exercises {
		view.Exercises = append(view.Exercises, exerciseColumn{N: i + 1, Title: e.Title, Link: base + "/exercises/" + url.PathEscape(e.ID) + "/stats"})
	}
	for _, s := range l.Students {
		line := studentLine{Enrollment: s.Enrollment, Link: base + "/students/" + strconv.FormatInt(s.UserID, 10), Solved: s.Solved, Last: "never",
			Cells: stateCells(s.Progress.Exercises)}
		if s.LastActivity != nil {
			line.Last = when(*s.LastActivity)
		}
		view.Rows = append(view.Rows, line)
	}
	h.render(w, r, http.StatusOK, "students.html", "Students: "+v.Course.Title, &v.User, view)
}

// stateCells writes one table cell per exercise: ✓ solved, ½ partly right, "n×" tried n times,
// empty when not started, with the state as its class. A course page has thousands of cells; built
// here, they cost a fraction of what one template action per cell does. Every part is a fixed
// word or a number, so nothing needs escaping.
func stateCells(eps []gradjudge.ExerciseProgress) template.HTML {
	var b strings.Builder
	for _, ep := range eps {
		state := exerciseState(ep)
		b.WriteString(`<td class="c-` + state + `">`)
		switch state {
		case "solved":
			b.WriteString("✓")
		case "partly-right":
			b.WriteString("½")
		case "tried":
			b.WriteString(strconv.Itoa(ep.Attempts) + "×")
		}
		b.WriteString("</td>")
	}
	return template.HTML(b.String())
}

// studentView is one student's page for the staff: progress and submissions with pictures.
type studentView struct {
	Course      gradjudge.Course
	Student     gradjudge.Enrollment
	Exercises   []exerciseProgressRow
	Submissions []submissionCard
	More        int // submissions not drawn
}

// submissionCard is one submission with its verdict and the graph marked by it.
type submissionCard struct {
	ID             int64
	At             string
	Exercise       gradjudge.Exercise
	Status         string
	Verdict        *gradjudge.Verdict
	Misconceptions []gradjudge.Misconception
	Answers        []answerLine
	Picture        template.HTML
}

// answerLine is one answered quantity and its result.
type answerLine struct{ ID, Value, Status string }

// Assets are the graph's stylesheet.
func (studentView) Assets() (styles, scripts []string) {
	return []string{"graph.css", "instructor.css"}, nil
}

// Refresh is 0: the page never reloads itself.
func (studentView) Refresh() int { return 0 }

// student shows one student's progress and submissions.
func (h *Handler) student(w http.ResponseWriter, r *http.Request, v visit) {
	uid, err := strconv.ParseInt(r.PathValue("uid"), 10, 64)
	if err != nil || uid <= 0 {
		h.renderError(w, r, http.StatusNotFound, "There is no such student in this course.")
		return
	}
	d, err := h.App.Student(r.Context(), v.app(), uid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	view := studentView{Course: v.Course, Student: d.Student}
	for _, ep := range d.Progress.Exercises {
		e := h.App.Exercise(ep.ExerciseID)
		view.Exercises = append(view.Exercises, exerciseProgressRow{Exercise: e, ExerciseProgress: ep, State: exerciseState(ep),
			Link: courseURL(v.Course.ID) + "/exercises/" + url.PathEscape(e.ID) + "/stats"})
	}
	for i, s := range d.Submissions {
		if i == studentsShown {
			view.More = len(d.Submissions) - i
			break
		}
		view.Submissions = append(view.Submissions, h.submissionCard(v, s))
	}
	h.render(w, r, http.StatusOK, "student.html", personName(d.Student.Name, d.Student.Email), &v.User, view)
}

// submissionCard draws one submission of the student's, its answers labelled as the student saw
// them.
func (h *Handler) submissionCard(v visit, s gradjudge.Submission) submissionCard {
	c := submissionCard{ID: s.ID, At: when(s.CreatedAt), Exercise: h.App.Exercise(s.ExerciseID), Status: string(s.Status), Verdict: s.Verdict}
	variant, verr := h.App.SubmissionVariant(v.app(), s)
	labels := map[string]string{}
	for _, q := range variant.Quantities {
		labels[q.ID] = q.Label
	}
	var states map[string]graphsvg.State
	if s.Verdict != nil {
		c.Status = string(s.Verdict.Status)
		c.Misconceptions = h.App.DescribeTags(s.Verdict.Misconceptions)
		for _, res := range s.Verdict.Results {
			if raw, ok := s.Answer.Fields[res.ID]; ok {
				c.Answers = append(c.Answers, answerLine{ID: cmp.Or(labels[res.ID], res.ID), Value: app.AnswerText(raw), Status: string(res.Status)})
			}
		}
		if ex, ok := h.App.Compiled(s.ExerciseID); ok && ex.Graph != nil && ex.Kind == gradjudge.KindNumeric {
			states = graphsvg.States(ex, *s.Verdict)
		}
	}
	if verr == nil {
		c.Picture = h.drawPicture(variant, states, fmt.Sprintf("sub%d", s.ID))
	}
	return c
}

// misconceptionsCSV answers one row per student × misconception.
func (h *Handler) misconceptionsCSV(w http.ResponseWriter, r *http.Request, v visit) {
	rows, err := h.App.MisconceptionRows(r.Context(), v.app())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="course-%d-misconceptions.csv"`, v.Course.ID))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if err := gradebook.WriteMisconceptionsCSV(w, rows); err != nil {
		h.log.WarnContext(r.Context(), "misconceptions.csv: writing the answer", "course", v.Course.ID, "err", err)
	}
}
