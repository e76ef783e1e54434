package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gradjudge"
	"gradjudge/internal/ratelimit"
)

// Limits and defaults of the HTTP edge.
const (
	DefaultMaxWait         = 10 * time.Second // longest ?wait=true holds a request
	DefaultSubmitPerMinute = 120              // submissions one user may make a minute
	DefaultSubmitBurst     = 20               // submissions one user may make at once
)

// Deps are the services and settings a Server needs. The services, Catalog and Tokens are
// required; the rest have defaults.
type Deps struct {
	Users       gradjudge.UserService
	Courses     gradjudge.CourseService
	Submissions gradjudge.SubmissionService
	Progress    gradjudge.ProgressService
	Stats       gradjudge.StatsService
	Catalog     gradjudge.Catalog
	Tokens      *Tokens

	Metrics *Metrics                    // nil: a fresh registry
	Logger  *slog.Logger                // nil: discard
	Now     func() time.Time            // nil: time.Now
	Ready   func(context.Context) error // nil: always ready
	Web     http.Handler                // pages served outside /api/; nil: none
	// MetricsToken, when set, is the bearer token a scrape of /metrics must send; empty leaves
	// /metrics open to anyone who reaches the port.
	MetricsToken string
	// TrustedProxies are the IP addresses and CIDRs (10.0.0.1, 10.0.0.0/8, fd00::/8) of the
	// reverse proxies whose X-Forwarded-For and X-Real-IP headers are believed to name the client;
	// nil or empty trusts none, so the client is the peer of the connection. The client address
	// keys the sign-in limit per client, of the API and, through the request context, of the web
	// pages: behind a proxy left out, every user shares the proxy's limit.
	TrustedProxies []string

	MaxWait         time.Duration // zero: DefaultMaxWait
	SubmitPerMinute int           // zero: DefaultSubmitPerMinute; negative: no limit
	SubmitBurst     int           // zero: DefaultSubmitBurst
}

// Server is the HTTP API. Build it with New; it holds no state but a rate limiter.
type Server struct {
	Deps
	log     *slog.Logger
	now     func() time.Time
	metrics *Metrics
	limiter *ratelimit.Limiter[int64] // submissions, by user id
	logins  *ratelimit.Limiter[int64] // sign-in attempts, by a hash of the email
	// loginsByClient counts sign-in attempts by client address (ratelimit.ClientKey), checked
	// before logins.
	loginsByClient *ratelimit.Limiter[netip.Addr]
	// evalSlots bounds concurrent graph evaluations: a send takes a slot.
	evalSlots chan struct{}
	// hashSlots bounds concurrent password checks: each argon2id hash holds about 19 MiB, so
	// unbounded parallel sign-ins (even for unknown emails) could exhaust memory.
	hashSlots chan struct{}
	hashWait  time.Duration // how long a sign-in waits for a hashSlot
	engine    *gin.Engine
}

// New returns a Server over deps; it refuses to start without a required dependency or with a
// trusted proxy that is neither an IP address nor a CIDR.
func New(d Deps) (*Server, error) {
	if d.Users == nil || d.Courses == nil || d.Submissions == nil || d.Progress == nil || d.Stats == nil || d.Catalog == nil || d.Tokens == nil {
		return nil, errors.New("api: Users, Courses, Submissions, Progress, Stats, Catalog and Tokens are required")
	}
	if err := CheckTrustedProxies(d.TrustedProxies); err != nil {
		return nil, fmt.Errorf("api: %w", err)
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
	s.MaxWait = cmpOr(s.MaxWait, DefaultMaxWait)
	// A token read from a file often ends in a newline, which no Authorization header can match.
	s.MetricsToken = strings.TrimSpace(s.MetricsToken)
	perMinute := cmpOr(d.SubmitPerMinute, DefaultSubmitPerMinute)
	s.limiter = ratelimit.New[int64](ratelimit.Config{PerMinute: perMinute, Burst: cmpOr(d.SubmitBurst, DefaultSubmitBurst), Now: s.now})
	s.logins = ratelimit.NewSignInsByEmail[int64](s.now, 0)
	s.loginsByClient = ratelimit.NewSignInsByClient(s.now)
	s.evalSlots = make(chan struct{}, max(runtime.GOMAXPROCS(0), 1))
	s.hashSlots = make(chan struct{}, max(runtime.GOMAXPROCS(0), 1))
	s.hashWait = loginSlotWait
	s.engine = s.routes()
	// gin trusts every proxy until told otherwise, which would let any client pick its address.
	if err := s.engine.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, fmt.Errorf("api: trusted proxies: %w", err)
	}
	return s, nil
}

// CheckTrustedProxies returns an error naming the first of proxies that is neither an IP address
// nor a CIDR, as Deps.TrustedProxies needs them; nil for none.
func CheckTrustedProxies(proxies []string) error {
	for _, p := range proxies {
		if !validProxy(p) {
			return fmt.Errorf("trusted proxy %q is neither an IP address nor a CIDR (such as 10.0.0.1 or 10.0.0.0/8)", p)
		}
	}
	return nil
}

// validProxy parses p as gin's SetTrustedProxies does, so that what passes here gin accepts.
func validProxy(p string) bool {
	if strings.Contains(p, "/") {
		_, _, err := net.ParseCIDR(p)
		return err == nil
	}
	return net.ParseIP(p) != nil
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
	e.Use(withRequestID, s.observe, s.recoverPanic, limitBody)
	e.NoRoute(func(c *gin.Context) {
		s.writeError(c, errorf(gradjudge.ENOTFOUND, "no such route: %s", c.Request.URL.Path))
	})
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
