package lti

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"gradjudge"
)

// Timeouts and limits of the tool.
const (
	// HTTPTimeout bounds every request to a platform: JWKS, token, scores, memberships.
	HTTPTimeout = 15 * time.Second
	// maxFormBytes bounds a login initiation, launch or deep linking form; an id_token of a few
	// kilobytes is the largest part.
	maxFormBytes = 64 << 10
	// maxResponseBytes bounds what the tool reads of a platform's answer.
	maxResponseBytes = 4 << 20
)

// Config is what a Tool needs. BaseURL and every service are required; Admins, HTTPClient,
// Logger and Now have defaults.
type Config struct {
	// BaseURL is the tool's public URL as browsers and platforms reach it, e.g.
	// https://judge.example.edu: the root of its login, launch and JWKS URLs and the only origin
	// target_link_uri may name.
	BaseURL   string
	Platforms Platforms
	Keys      KeyStore
	Once      Once
	Directory Directory
	Outbox    Outbox
	Sessions  Sessions
	Access    CourseAccess
	Catalog   gradjudge.Catalog
	// Admins checks the API credentials of the registration routes; nil: those routes answer
	// 404 and registration is by the CLI only.
	Admins Admins
	// HTTPClient reaches the platforms; nil: a client with HTTPTimeout.
	HTTPClient *http.Client
	Logger     *slog.Logger     // nil: discard
	Now        func() time.Time // nil: time.Now; the store's clock in tests
}

// Tool is the LTI 1.3 tool: its HTTP routes, its keys, and the score and roster workers. Build
// it with New; Close it to stop its JWKS refreshers.
type Tool struct {
	cfg    Config
	base   *url.URL
	keys   *Keys
	client *http.Client
	log    *slog.Logger
	now    func() time.Time
	mux    *http.ServeMux
	views  *views
	tokens *tokenCache

	ctx    context.Context // ends at Close: the JWKS refreshers run under it
	cancel context.CancelFunc
	mu     sync.Mutex
	jwks   map[string]platformKeys // by JWKS URL
}

// New returns a Tool over cfg and makes its first signing key if there is none.
func New(ctx context.Context, cfg Config) (*Tool, error) {
	if cfg.Platforms == nil || cfg.Keys == nil || cfg.Once == nil || cfg.Directory == nil || cfg.Outbox == nil ||
		cfg.Sessions == nil || cfg.Access == nil || cfg.Catalog == nil {
		return nil, errors.New("lti: Platforms, Keys, Once, Directory, Outbox, Sessions, Access and Catalog are required")
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" || base.RawQuery != "" {
		return nil, errors.New("lti: the public base URL must be an absolute http(s) URL without a query, e.g. https://judge.example.edu")
	}
	t := &Tool{cfg: cfg, base: base, client: cfg.HTTPClient, log: cfg.Logger, now: cfg.Now, jwks: map[string]platformKeys{}}
	if t.client == nil {
		t.client = &http.Client{Timeout: HTTPTimeout}
	}
	if t.log == nil {
		t.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if t.now == nil {
		t.now = time.Now
	}
	t.keys = &Keys{store: cfg.Keys, now: t.now}
	t.tokens = newTokenCache()
	t.ctx, t.cancel = context.WithCancel(context.WithoutCancel(ctx))
	if err := t.keys.Ensure(ctx); err != nil {
		t.cancel()
		return nil, err
	}
	if t.views, err = parseViews(); err != nil {
		t.cancel()
		return nil, err
	}
	t.mux = t.routes()
	return t, nil
}

// Close stops the JWKS refreshers. Stop the workers (their contexts) first.
func (t *Tool) Close() error {
	t.cancel()
	return nil
}

// Keys returns the tool's signing keys, for the rotate-key command.
func (t *Tool) Keys() *Keys { return t.keys }

// url is the absolute URL of path on the tool.
func (t *Tool) url(path string) string { return t.base.String() + path }

// The tool's endpoints, below BaseURL.
const (
	PathLogin    = "/lti/login"
	PathLaunch   = "/lti/launch"
	PathOpen     = "/lti/open"
	PathDeepLink = "/lti/deeplink"
	PathJWKS     = "/.well-known/jwks.json"
	PathConfig   = "/lti/config.json"
	PathAdmin    = "/api/v1/lti/platforms"
)

// routes registers every route of the tool.
func (t *Tool) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+PathJWKS, t.serveJWKS)
	mux.HandleFunc("GET "+PathConfig, t.serveConfig)
	mux.HandleFunc("GET "+PathLogin, t.login)
	mux.HandleFunc("POST "+PathLogin, t.login)
	mux.HandleFunc("POST "+PathLaunch, t.launch)
	mux.HandleFunc("GET "+PathOpen, t.open)
	mux.HandleFunc("GET /lti/autosubmit.js", t.serveScript)
	mux.HandleFunc("POST "+PathDeepLink, t.deepLinkChosen)
	mux.HandleFunc("GET /lti/courses/{id}/scores", t.staff(t.scoresPage))
	mux.HandleFunc("POST /lti/courses/{id}/scores/{score}/resend", t.staff(t.resend))
	mux.HandleFunc("POST /lti/courses/{id}/roster", t.staff(t.syncRosterNow))
	mux.HandleFunc("GET "+PathAdmin, t.admin(t.listPlatforms))
	mux.HandleFunc("POST "+PathAdmin, t.admin(t.addPlatform))
	mux.HandleFunc("DELETE "+PathAdmin+"/{id}", t.admin(t.removePlatform))
	mux.HandleFunc("/lti/", func(w http.ResponseWriter, r *http.Request) {
		t.page(w, r, http.StatusNotFound, "Not found", "There is no such LTI page.")
	})
	return mux
}

// ServeHTTP serves the tool's routes: /lti/..., /.well-known/jwks.json and the registration API.
func (t *Tool) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("Cache-Control", "no-store")
	t.mux.ServeHTTP(w, r)
}

// Handles lists the patterns cmd mounts the tool under on the shared mux.
func Handles() []string { return []string{"/lti/", PathJWKS, PathAdmin, PathAdmin + "/"} }
