package web

import (
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"gradjudge/internal/app"
	"gradjudge/web/assets"
	"gradjudge/web/graphsvg"
	"gradjudge/web/statement"
)

// Limits of the pages.
const (
	maxFormBytes      = 16 << 10 // a sign-in form; anything longer is not one
	staticMaxAgeSecs  = 3600     // how long browsers may cache the stylesheet, in seconds
	contentSecurity   = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	pagesCacheControl = "no-store" // pages show grades: never kept by a shared cache
)

// Deps are the services and settings a Handler needs. App and Tokens are required; Logger and
// Now have defaults.
type Deps struct {
	App    *app.App // every rule: access, sign-in, progress
	Tokens Tokens

	Logger *slog.Logger     // nil: discard
	Now    func() time.Time // nil: time.Now
}

// Handler serves the pages: it translates requests into calls of the application core and its
// answers into HTML. Build it with New; it is safe for concurrent use and holds no state.
type Handler struct {
	Deps
	log        *slog.Logger
	now        func() time.Time
	views      *views
	statements *statement.Renderer // Markdown with TeX math → HTML
	pictures   *graphsvg.Renderer  // graph drawings, their layouts cached per variant
	mux        *http.ServeMux
}

// New returns a Handler over d; it refuses to start without a required dependency or when a
// template does not parse.
func New(d Deps) (*Handler, error) {
	if d.App == nil || d.Tokens == nil {
		return nil, errors.New("web: App and Tokens are required")
	}
	h := &Handler{Deps: d, log: d.Logger, now: d.Now}
	if h.log == nil {
		h.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if h.now == nil {
		h.now = time.Now
	}
	var err error
	if h.views, err = parseViews(); err != nil {
		return nil, err
	}
	h.statements = statement.New()
	h.pictures = graphsvg.NewRenderer(0)
	h.mux = h.routes()
	return h, nil
}

// routes registers every page. POSTs pass a cross-origin check first.
func (h *Handler) routes() *http.ServeMux {
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.renderError(w, r, http.StatusForbidden, "This form was sent from another site, so it was refused.")
	}))
	static, _ := fs.Sub(embedded, "static")
	files := assets.FileServer(static)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.signInPage)
	mux.Handle("POST /signin", csrf.Handler(http.HandlerFunc(h.signIn)))
	mux.Handle("POST /signout", csrf.Handler(http.HandlerFunc(h.signOut)))
	mux.HandleFunc("GET /courses", h.signedIn(h.courses))
	mux.HandleFunc("GET /courses/{id}", h.signedIn(h.inCourse(h.course)))
	mux.HandleFunc("GET /courses/{id}/grades.csv", h.signedIn(h.inCourse(h.staffOnly(h.grades))))
	mux.HandleFunc("GET /courses/{id}/exercises/{eid}", h.signedIn(h.inCourse(h.exercisePage)))
	mux.Handle("POST /courses/{id}/exercises/{eid}", csrf.Handler(h.signedIn(h.inCourse(h.submitAnswer))))
	mux.HandleFunc("GET /courses/{id}/exercises/{eid}/submissions/{sid}/status", h.signedIn(h.inCourse(h.submissionStatus)))
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(staticMaxAgeSecs, files)))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.renderError(w, r, http.StatusNotFound, "There is no such page.")
	})
	return mux
}

// ServeHTTP serves one page with headers that keep it from being framed, sniffed or cached.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", contentSecurity)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("Cache-Control", pagesCacheControl)
	h.mux.ServeHTTP(w, r)
}

// cacheFor lets browsers keep static files for maxAge seconds.
func cacheFor(maxAge int, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(maxAge))
		next.ServeHTTP(w, r)
	})
}
