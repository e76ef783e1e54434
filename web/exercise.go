package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/web/graphsvg"
)

// Limits of the exercise page.
const (
	maxAnswerFormBytes = app.MaxCodeBytes + 64<<10 // a code answer and the rest of the form
	attemptsShown      = 50                        // earlier attempts listed on the page
	pendingRefreshSecs = 2                         // how often a page without JavaScript reloads while a verdict is pending
)

// exerciseView is one exercise page: the student's own variant, the form to answer it, the
// verdict being looked at and the earlier attempts.
type exerciseView struct {
	Course    gradjudge.Course
	Variant   gradjudge.Variant
	Statement template.HTML // rendered by renderStatement
	Picture   template.HTML // the graph drawing (with its text alternative), marked with the shown verdict
	Form      answerForm
	Shown     *submissionView // the verdict looked at; nil before any attempt
	Attempts  []attemptRow    // newest first
	Message   string          // why the last POST was refused, if it was
	Action    string          // where the form posts
	Standing  *standingView   // what counts, hints and revealed answers
}

// submissionView is one submission as its verdict is shown.
type submissionView struct {
	ID             int64
	Pending        bool // queued or being judged
	Status         gradjudge.SubmissionStatus
	Verdict        *gradjudge.Verdict
	Misconceptions []gradjudge.Misconception
	// Feedback is the verdict's feedback less the lines that explain a misconception, which the
	// page shows in a box of its own.
	Feedback []string
	// Cases are a code answer's failing test cases; the feedback counts the passing ones.
	Cases     []gradjudge.Result
	StatusURL string // polled by the page's script while pending
}

// attemptRow is one earlier attempt in the list.
type attemptRow struct {
	ID      int64
	At      string
	Status  string // the verdict's status, or the submission's while pending
	Score   float64
	Done    bool
	Current bool // the one shown
	Link    string
}

// exercisePage shows the exercise {eid} of the course to the signed-in user, with the verdict of
// ?submission= (one of theirs on this exercise) or, by default, of their latest attempt.
func (h *Handler) exercisePage(w http.ResponseWriter, r *http.Request, v visit) {
	q := r.URL.Query()
	view, err := h.exerciseView(r.Context(), v, r.PathValue("eid"), q.Get("submission"), q.Get("hints") != "")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderExercise(w, r, http.StatusOK, v, view)
}

// exerciseView gathers the page: the variant, what counts, the attempts and the verdict to show,
// and the hints when the student asks for them.
func (h *Handler) exerciseView(ctx context.Context, v visit, eid, shown string, askHints bool) (exerciseView, error) {
	variant, err := h.App.Variant(ctx, v.app(), eid)
	if err != nil {
		return exerciseView{}, err
	}
	standing, err := h.standing(ctx, v, variant.ID, askHints)
	if err != nil {
		return exerciseView{}, err
	}
	subs, err := h.App.Submissions(ctx, v.app(), gradjudge.SubmissionFilter{UserID: v.User.ID, ExerciseID: variant.ID, Limit: attemptsShown})
	if err != nil {
		return exerciseView{}, err
	}
	view := exerciseView{Course: v.Course, Variant: variant, Statement: h.renderStatement(variant.Statement),
		Action: exerciseURL(v.Course.ID, variant.ID), Standing: standing}
	cur, err := h.pickShown(ctx, v, variant.ID, subs, shown)
	if err != nil {
		return exerciseView{}, err
	}
	view.Attempts = attemptRows(subs, cur, view.Action)
	var answer gradjudge.Answer
	if cur != nil {
		view.Shown = h.submissionView(v.Course.ID, variant, *cur)
		answer = cur.Answer
	}
	if view.Shown != nil {
		standing.withoutShown(view.Shown.Misconceptions)
	}
	view.Form = h.answerForm(variant, answer, view.Shown)
	view.Picture = h.picture(variant, view.Shown)
	return view, nil
}

// pickShown is the submission whose verdict the page shows: ?submission= when it names one of
// the user's submissions on this exercise (anything else is "not found", as the core says), else
// the newest.
func (h *Handler) pickShown(ctx context.Context, v visit, eid string, subs []gradjudge.Submission, shown string) (*gradjudge.Submission, error) {
	if shown == "" {
		if len(subs) == 0 {
			return nil, nil
		}
		return &subs[0], nil
	}
	id, err := strconv.ParseInt(shown, 10, 64)
	if err != nil || id <= 0 {
		return nil, gradjudge.Errorf(gradjudge.ENOTFOUND, "submission not found")
	}
	s, err := h.App.Submission(ctx, v.User, id)
	if err != nil {
		return nil, err
	}
	if s.UserID != v.User.ID || s.CourseID != v.Course.ID || s.ExerciseID != eid {
		return nil, gradjudge.Errorf(gradjudge.ENOTFOUND, "submission not found")
	}
	return &s, nil
}

// submissionView describes s for the page, with its misconceptions looked up in the catalog.
func (h *Handler) submissionView(courseID int64, variant gradjudge.Variant, s gradjudge.Submission) *submissionView {
	sv := &submissionView{ID: s.ID, Status: s.Status, Verdict: s.Verdict, Pending: s.Status != gradjudge.SubmissionDone,
		StatusURL: exerciseURL(courseID, variant.ID) + "/submissions/" + strconv.FormatInt(s.ID, 10) + "/status"}
	if s.Verdict != nil {
		sv.Misconceptions = h.App.DescribeTags(s.Verdict.Misconceptions)
		sv.Feedback = withoutExplanations(s.Verdict.Feedback, sv.Misconceptions)
		if variant.Kind == gradjudge.KindCode {
			sv.Cases = failing(s.Verdict.Results)
		}
	}
	return sv
}

// failing is the results that are not accepted.
func failing(results []gradjudge.Result) []gradjudge.Result {
	var out []gradjudge.Result
	for _, r := range results {
		if r.Status != gradjudge.StatusAccepted {
			out = append(out, r)
		}
	}
	return out
}

// withoutExplanations is feedback without the lines that carry one of ms's explanations.
func withoutExplanations(feedback []string, ms []gradjudge.Misconception) []string {
	out := make([]string, 0, len(feedback))
	for _, line := range feedback {
		if !slices.ContainsFunc(ms, func(m gradjudge.Misconception) bool {
			return m.Explanation != "" && strings.Contains(line, m.Explanation)
		}) {
			out = append(out, line)
		}
	}
	return out
}

func attemptRows(subs []gradjudge.Submission, cur *gradjudge.Submission, base string) []attemptRow {
	rows := make([]attemptRow, 0, len(subs))
	for _, s := range subs {
		row := attemptRow{ID: s.ID, At: when(s.CreatedAt), Status: string(s.Status), Done: s.Status == gradjudge.SubmissionDone,
			Current: cur != nil && cur.ID == s.ID, Link: base + "?submission=" + strconv.FormatInt(s.ID, 10) + "#verdict"}
		if s.Verdict != nil {
			row.Status, row.Score = string(s.Verdict.Status), s.Verdict.Score
		}
		rows = append(rows, row)
	}
	return rows
}

// submitAnswer takes the form's answer to the core and shows its verdict (PRG: a redirect to the
// page with ?submission=, so a reload does not answer again). A refused answer shows the page
// again with why, and what was typed kept.
func (h *Handler) submitAnswer(w http.ResponseWriter, r *http.Request, v visit) {
	r.Body = http.MaxBytesReader(w, r.Body, maxAnswerFormBytes)
	if err := r.ParseForm(); err != nil {
		h.renderError(w, r, http.StatusRequestEntityTooLarge, "The answer is too large to read.")
		return
	}
	variant, err := h.App.Variant(r.Context(), v.app(), r.PathValue("eid"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	answer := readAnswer(variant, r.PostForm)
	seed, err := app.ParseVariantSeed(r.PostForm.Get("seed")) // the variant the page showed
	var s gradjudge.Submission
	if err == nil {
		s, err = h.App.Submit(r.Context(), v.app(), app.SubmitRequest{ExerciseID: variant.ID, Answer: answer,
			IdempotencyKey: r.PostForm.Get("attempt"), Seed: seed})
	}
	if err != nil {
		h.answerRefused(w, r, v, variant.ID, answer, err)
		return
	}
	http.Redirect(w, r, exerciseURL(v.Course.ID, variant.ID)+"?submission="+strconv.FormatInt(s.ID, 10)+"#verdict", http.StatusSeeOther)
}

// answerRefused shows the page again with the refused answer in the form and the core's reason.
func (h *Handler) answerRefused(w http.ResponseWriter, r *http.Request, v visit, eid string, answer gradjudge.Answer, cause error) {
	status := app.HTTPStatus(gradjudge.ErrorCode(cause))
	if status == http.StatusInternalServerError {
		h.fail(w, r, cause)
		return
	}
	view, err := h.exerciseView(r.Context(), v, eid, "", false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	view.Form = h.answerForm(view.Variant, answer, nil)
	view.Message = sentence(gradjudge.ErrorMessage(cause))
	if secs := app.RetryAfterSeconds(cause); secs > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	h.renderExercise(w, r, status, v, view)
}

// submissionStatus answers the page's script: whether submission {sid} has its verdict yet,
// waiting up to a few seconds for it (a long poll).
func (h *Handler) submissionStatus(w http.ResponseWriter, r *http.Request, v visit) {
	id, err := strconv.ParseInt(r.PathValue("sid"), 10, 64)
	if err != nil || id <= 0 {
		h.renderError(w, r, http.StatusNotFound, "There is no such submission.")
		return
	}
	s, err := h.App.WaitSubmission(r.Context(), v.User, id, statusWait)
	if err == nil && (s.UserID != v.User.ID || s.CourseID != v.Course.ID || s.ExerciseID != r.PathValue("eid")) {
		err = gradjudge.Errorf(gradjudge.ENOTFOUND, "submission not found")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"status":"` + string(s.Status) + `"}`))
}

func (h *Handler) renderExercise(w http.ResponseWriter, r *http.Request, status int, v visit, view exerciseView) {
	h.render(w, r, status, "exercise.html", view.Variant.Title, &v.User, view)
}

// exerciseURL is the page of exercise eid in course id.
func exerciseURL(courseID int64, eid string) string {
	return "/courses/" + strconv.FormatInt(courseID, 10) + "/exercises/" + url.PathEscape(eid)
}

// statusWait is how long the page's script's status request waits for a verdict before it
// answers "still pending" (and asks again).
const statusWait = 8 * time.Second

// newAttemptKey is a fresh idempotency key for one rendering of the form: a double click or a
// resent form makes one attempt, not two.
func newAttemptKey() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "form-" + hex.EncodeToString(b)
}

// renderStatement renders a statement's Markdown and TeX math; a statement that does not render
// is shown as plain text rather than failing the page.
func (h *Handler) renderStatement(md string) template.HTML {
	out, err := h.statements.Render(md)
	if err != nil {
		h.log.Warn("web: statement does not render", "err", err)
		return template.HTML("<p>" + template.HTMLEscapeString(md) + "</p>")
	}
	return out
}

// picture draws the variant's graph marked with the shown verdict's node states; nothing for an
// exercise without a graph (choice, code).
func (h *Handler) picture(v gradjudge.Variant, shown *submissionView) template.HTML {
	if v.Graph == "" || v.Kind == gradjudge.KindCode {
		return ""
	}
	p, err := graphsvg.FromVariant(v)
	if err != nil {
		h.log.Warn("web: no picture", "exercise", v.ID, "err", err)
		return ""
	}
	if shown != nil && shown.Verdict != nil {
		if e, ok := h.App.Compiled(v.ID); ok {
			p.States = graphsvg.States(e, *shown.Verdict)
		}
	}
	out, err := h.pictures.Render(p)
	if err != nil {
		h.log.Warn("web: picture does not render", "exercise", v.ID, "err", err)
		return ""
	}
	return out
}

// Assets are the exercise page's stylesheets and scripts: math typesetting and the graph always,
// the editor for code, the live verdict while one is pending.
func (v exerciseView) Assets() (styles, scripts []string) {
	styles = []string{"css/math.css", "graph.css"}
	scripts = []string{"js/math.js"}
	if v.Form.Kind == gradjudge.KindCode {
		styles, scripts = append(styles, "css/editor.css"), append(scripts, "js/editor.js")
	}
	if v.Shown != nil && v.Shown.Pending {
		scripts = append(scripts, "js/verdict.js")
	}
	return styles, scripts
}

// Refresh reloads a page without JavaScript while its verdict is pending.
func (v exerciseView) Refresh() int {
	if v.Shown != nil && v.Shown.Pending {
		return pendingRefreshSecs
	}
	return 0
}

// answerForm is newAnswerForm with the choices' texts rendered as statements are.
func (h *Handler) answerForm(variant gradjudge.Variant, a gradjudge.Answer, shown *submissionView) answerForm {
	f := newAnswerForm(variant, a, shown)
	for i := range f.Options {
		html, err := h.statements.RenderInline(f.Options[i].Text)
		if err != nil {
			html = template.HTML(template.HTMLEscapeString(f.Options[i].Text))
		}
		f.Options[i].HTML = html
	}
	return f
}
