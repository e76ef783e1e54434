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

// assets are the templates and the stylesheet, compiled into the binary.
//
//go:embed templates/*.html static/*
var assets embed.FS

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
}

// errorView is the body of an error page.
type errorView struct {
	Status  int
	Message string
}

func parseViews() (*views, error) {
	v := &views{pages: map[string]*template.Template{}}
	// Each page is its own set: every one defines "content" for the layout.
	for _, name := range []string{"signin.html", "courses.html", "stats.html", "progress.html", "error.html"} {
		t, err := template.New("layout.html").Funcs(templateFuncs()).ParseFS(assets, "templates/layout.html", "templates/"+name)
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
		"percent": percent,
		"heat":    heatClass,
		"when":    func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
		"score":   func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) },
		"median": func(f float64) string {
			if f == 0 {
				return "—"
			}
			return strconv.FormatFloat(f, 'f', -1, 64)
		},
		"words": func(id string) string { return strings.ReplaceAll(id, "-", " ") },
	}
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
	if err := h.views.pages[name].Execute(&buf, page{Title: title, User: u, Data: data}); err != nil {
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
