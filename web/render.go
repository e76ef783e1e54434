package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gradjudge"
	"gradjudge/internal/app"
)

// embedded are the templates and the static files (stylesheets, bundled scripts, fonts), compiled
// into the binary.
//
//go:embed templates/*.html static
var embedded embed.FS

// heatLevels is how many shades the heat map has besides "nobody".
const heatLevels = 10

// views holds one parsed template set per page.
type views struct {
	pages map[string]*template.Template
}

// page is what layout.html renders: the chrome around one page's Data.
type page struct {
	Title string
	User  *gradjudge.User // nil when signed out: no header links
	Data  any
	// Styles and Scripts are the extra stylesheets and (deferred) scripts under /static/ that
	// Data asks for (see withAssets); the base stylesheet is always there.
	Styles, Scripts []string
	// RefreshSecs, when positive, reloads the page after that many seconds where JavaScript is
	// off (a pending verdict); with JavaScript a script polls instead.
	RefreshSecs int
}

// withAssets is a page's Data that needs stylesheets or scripts beyond the base stylesheet.
type withAssets interface {
	Assets() (styles, scripts []string)
	Refresh() int // seconds, see page.RefreshSecs; 0 for none
}

// errorView is the body of an error page.
type errorView struct {
	Status  int
	Message string
}

func parseViews() (*views, error) {
	v := &views{pages: map[string]*template.Template{}}
	// Each page is its own set: every one defines "content" for the layout.
	for _, name := range append([]string{"signin.html", "courses.html", "stats.html", "progress.html", "error.html", "exercise.html", "learning_student.html"}, instructorPages...) {
		t, err := template.New("layout.html").Funcs(templateFuncs()).ParseFS(embedded, "templates/layout.html", "templates/course_nav.html", "templates/"+name)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", name, err)
		}
		v.pages[name] = t
	}
	return v, nil
}

// templateFuncs are the template helpers; they format numbers and times the same way on every
// page.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"percent":   percent,
		"heat":      heatClass,
		"when":      when,
		"verdict":   verdictWords,
		"person":    personName,
		"courseNav": func(c gradjudge.Course, here string) courseNav { return courseNav{Course: c, Here: here} },
		"state": func(s string) string {
			return map[string]string{"solved": "Solved", "partly-right": "Partly right", "tried": "Not solved yet", "not-started": "Not started"}[s]
		},
		"pct":   func(f float64) string { return strconv.Itoa(int(math.Round(f*100))) + "%" },
		"score": func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) },
		"median": func(f float64) string {
			if f == 0 {
				return "—"
			}
			return strconv.FormatFloat(f, 'f', -1, 64)
		},
	}
}

// when formats a time the same way on every page.
func when(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// verdictWords says a verdict status in a student's words; one table for every page.
func verdictWords(status string) string {
	if w, ok := statusWords[gradjudge.Status(status)]; ok {
		if !gradjudge.Status(status).CountsAsAttempt() {
			w += " (no attempt used)"
		}
		return w
	}
	switch gradjudge.SubmissionStatus(status) {
	case gradjudge.SubmissionQueued:
		return "Waiting in the queue"
	case gradjudge.SubmissionJudging:
		return "Being judged"
	}
	return status
}

var statusWords = map[gradjudge.Status]string{
	gradjudge.StatusAccepted:      "Right",
	gradjudge.StatusPartial:       "Partly right",
	gradjudge.StatusWrongAnswer:   "Not right yet",
	gradjudge.StatusInvalid:       "Could not be read",
	gradjudge.StatusCompileError:  "Does not compile",
	gradjudge.StatusRuntimeError:  "Crashed while running",
	gradjudge.StatusTimeLimit:     "Took too long",
	gradjudge.StatusMemoryLimit:   "Used too much memory",
	gradjudge.StatusOutputLimit:   "Printed too much",
	gradjudge.StatusInternalError: "The judge could not finish this answer",
}

// percent formats a share in [0,1] as a whole percentage ("33%"); a share above zero never shows
// as 0%.
func percent(f float64) string {
	p := math.Round(f * 100)
	if p == 0 && f > 0 {
		return "<1%"
	}
	return strconv.Itoa(int(p)) + "%"
}

// heatClass is the CSS class that shades a cell for a share in [0,1]: heat-0 for nobody, then
// heat-1 … heat-10 in steps of a tenth, rounding up so that any share shows.
func heatClass(f float64) string {
	level := int(math.Ceil(f * heatLevels))
	return "heat-" + strconv.Itoa(min(max(level, 0), heatLevels))
}

// render writes the page name with status. The page is rendered in full before anything is sent,
// so that a template failure is a clean 500 and not half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name, title string, u *gradjudge.User, data any) {
	var buf bytes.Buffer
	p := page{Title: title, User: u, Data: data}
	if a, ok := data.(withAssets); ok {
		p.Styles, p.Scripts = a.Assets()
		p.RefreshSecs = a.Refresh()
	}
	if err := h.views.pages[name].Execute(&buf, p); err != nil {
		h.log.ErrorContext(r.Context(), "web: render", slog.String("page", name), slog.Any("error", err))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderError answers an error page with status and a message for the user.
func (h *Handler) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	h.render(w, r, status, "error.html", http.StatusText(status), nil, errorView{Status: status, Message: msg})
}

// fail answers a service error: the error's own message for a client mistake, "internal error"
// (logged with its cause) for anything else.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if ctxErr := r.Context().Err(); ctxErr != nil && errors.Is(err, ctxErr) {
		return // the browser left: nobody reads an answer
	}
	status := app.HTTPStatus(gradjudge.ErrorCode(err))
	if secs := app.RetryAfterSeconds(err); secs > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	if status == http.StatusInternalServerError {
		h.log.ErrorContext(r.Context(), "web: internal error", slog.String("path", r.URL.Path), slog.Any("error", err))
	}
	h.renderError(w, r, status, gradjudge.ErrorMessage(err))
}

// courseNav is what the course's navigation (course_nav.html) draws: the course, and which of its
// pages is this one ("dashboard", "students", "settings"; "" for a page below them).
type courseNav struct {
	Course gradjudge.Course
	Here   string
}

// personName is how the pages name a person: their name, or their email when they have none (an
// account made through the API may have no name).
func personName(name, email string) string {
	if strings.TrimSpace(name) != "" {
		return name
	}
	return email
}
