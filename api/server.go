package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gradjudge"
	"gradjudge/internal/app"
)

// DefaultMaxWait is the longest ?wait=true holds a request by default: the core's.
const DefaultMaxWait = app.DefaultMaxWait

// Deps are the services and settings a Server needs. App and Tokens are required; the rest have
// defaults.
type Deps struct {
	App    *app.App // every rule: access, submitting, sign-in, progress
	Tokens *Tokens

	Metrics *Metrics                    // nil: a fresh registry
	Logger  *slog.Logger                // nil: discard
	Now     func() time.Time            // nil: time.Now
	Ready   func(context.Context) error // nil: always ready
	// MetricsToken, when set, is the bearer token a scrape of /metrics must send; empty leaves
	// /metrics open to anyone who reaches the port.
	MetricsToken string
}

// Server is the HTTP API: it translates requests into calls of the application core and its
// answers into JSON. Build it with New; it holds no state.
type Server struct {
	Deps
	log     *slog.Logger
	now     func() time.Time
	metrics *Metrics
	engine  *gin.Engine
}

// New returns a Server over deps; it refuses to start without a required dependency.
func New(d Deps) (*Server, error) {
	if d.App == nil || d.Tokens == nil {
		return nil, errors.New("api: App and Tokens are required")
	}
	s := &Server{Deps: d, log: d.Logger, now: d.Now, metrics: d.Metrics}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	// A token read from a file often ends in a newline, which no Authorization header can match.
	s.MetricsToken = strings.TrimSpace(s.MetricsToken)
	s.engine = s.routes()
	// The client's address is the core's to decide (app.App.ClientIP); gin's own guess is unused.
	if err := s.engine.SetTrustedProxies(nil); err != nil {
		return nil, fmt.Errorf("api: trusted proxies: %w", err)
	}
	return s, nil
}

// Handler returns the http.Handler serving every route.
func (s *Server) Handler() http.Handler { return s.engine }

// newEngine returns a bare gin engine: no default logger or recovery (the server has its own),
// JSON 404 and 405 answers.
func (s *Server) newEngine() *gin.Engine {
	// gin keeps its mode in a package variable; release mode only silences its debug printing.
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	e.Use(withRequestID, noStore, s.observe, s.recoverPanic, limitBody)
	e.NoRoute(s.noRoute)
	e.NoMethod(func(c *gin.Context) {
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, errorDTO{Error: errorBody{
			Code: gradjudge.EINVALID, Message: "method not allowed", RequestID: requestID(c)}})
	})
	return e
}

func (s *Server) healthz(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

// readyz answers 503 until the database answers and the workers run.
func (s *Server) readyz(c *gin.Context) {
	if s.Ready != nil {
		if err := s.Ready(c.Request.Context()); err != nil {
			s.log.WarnContext(c.Request.Context(), "not ready", slog.Any("error", err))
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable"})
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}
