package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gradjudge"
	"gradjudge/api"
	"gradjudge/exercises"
	"gradjudge/internal/app"
	"gradjudge/internal/mastery"
	"gradjudge/judge"
	codejudge "gradjudge/judge/code"
	"gradjudge/lti"
	"gradjudge/store"
	"gradjudge/web"
)

// Server timeouts. Reads and writes are bounded so that a slow client cannot hold a connection;
// the write timeout leaves room for the longest ?wait=true.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	jwtSecretFile     = "jwt-secret" // in the data directory, when no secret is configured
	jwtSecretBytes    = 32
)

// ServeConfig is the whole configuration of `gradjudge serve`. Every field has a flag and a
// GRADJUDGE_* environment variable (see serveFlags); the zero value is not usable, start from
// defaultServeConfig.
type ServeConfig struct {
	Addr            string        // listen address; ":0" picks a free port
	dbConfig                      // the database and this process's connection budget
	JWTSecret       string        // HS256 secret, at least 32 bytes; generated into DataDir when empty
	JWTIssuer       string        // iss of issued tokens, checked on every request
	JWTAudience     string        // aud of issued tokens, checked on every request
	TokenTTL        time.Duration // lifetime of a login token
	InitAdmin       string        // email of an admin account created at start if missing
	Catalog         string        // a catalog directory; empty: the catalog embedded in the binary
	Watch           bool          // reload Catalog's files when they change (for authors)
	queueConfig                   // judging from the queue: workers, job timeout, lease
	judgeConfig                   // code judging: on or off, workers, build cache, sandbox limits
	smtpConfig                    // mailing set-password links; off unless --smtp-addr is set
	PollInterval    time.Duration // how often idle workers look for queued submissions
	NoWorkers       bool          // serve the API only; `gradjudge worker` processes judge
	InlineJudging   bool          // grade numeric and choice answers in the request, not through the queue
	SubmitPerMinute int           // per-user submission rate; negative: no limit
	SubmitBurst     int           // per-user submission burst
	MaxWait         time.Duration // longest ?wait=true
	MetricsToken    string        // bearer token /metrics requires; empty: /metrics is open
	TrustedProxies  []string      // reverse proxies whose X-Forwarded-For names the client; empty: none
	ShutdownTimeout time.Duration // how long Close waits for requests and judgings in flight
	LogLevel        string        // debug, info, warn or error
	// PublicURL is the server's URL as browsers and LMSs reach it (https://...); setting it turns
	// the LTI 1.3 tool on (/lti/..., /.well-known/jwks.json). Empty: no LTI.
	PublicURL string
}

func defaultServeConfig() ServeConfig {
	return ServeConfig{
		Addr: ":8080", dbConfig: newDBConfig("serve", serveMaxConns), queueConfig: defaultQueueConfig(), JWTIssuer: "gradjudge", JWTAudience: "gradjudge-api",
		TokenTTL: api.DefaultTokenTTL, SubmitPerMinute: app.DefaultSubmitPerMinute, SubmitBurst: app.DefaultSubmitBurst,
		MaxWait: app.DefaultMaxWait, ShutdownTimeout: 30 * time.Second, LogLevel: "info", PollInterval: 20 * time.Millisecond, judgeConfig: judgeConfig{Code: true},
		InlineJudging: true,
	}
}

// serveFlags defines a flag for every field of c.
func serveFlags(fs *flag.FlagSet, c *ServeConfig) {
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address")
	dbFlags(fs, &c.dbConfig)
	fs.StringVar(&c.JWTSecret, "jwt-secret", c.JWTSecret, "HS256 signing secret, at least 32 bytes (default: generated and kept in --data-dir)")
	fs.StringVar(&c.JWTIssuer, "jwt-issuer", c.JWTIssuer, "issuer (iss) of login tokens")
	fs.StringVar(&c.JWTAudience, "jwt-audience", c.JWTAudience, "audience (aud) of login tokens")
	fs.DurationVar(&c.TokenTTL, "token-ttl", c.TokenTTL, "lifetime of a login token")
	fs.StringVar(&c.InitAdmin, "init-admin", c.InitAdmin, "create this admin account at start if missing (password from $GRADJUDGE_INIT_ADMIN_PASSWORD or stdin)")
	catalogFlag(fs, &c.Catalog)
	fs.BoolVar(&c.Watch, "watch", c.Watch, "with --catalog, for authors: reload the catalog when its files change, after checking them as at start; a change that fails is refused with the reason in the log, and the previous version keeps serving")
	queueFlags(fs, &c.queueConfig)
	judgeFlags(fs, &c.judgeConfig)
	smtpFlags(fs, &c.smtpConfig)
	fs.DurationVar(&c.PollInterval, "poll-interval", c.PollInterval, "how often idle workers look for queued submissions (SQLite has no insert notifications)")
	fs.BoolVar(&c.NoWorkers, "no-workers", c.NoWorkers, "serve the API only; judging is left to 'gradjudge worker' processes")
	fs.BoolVar(&c.InlineJudging, "inline-judging", c.InlineJudging, "grade numeric and choice answers while storing them, in one transaction with their verdict (false: every answer goes through the judging queue and its workers)")
	fs.IntVar(&c.SubmitPerMinute, "submit-per-minute", c.SubmitPerMinute, "submissions one user may make a minute (negative: no limit)")
	fs.IntVar(&c.SubmitBurst, "submit-burst", c.SubmitBurst, "submissions one user may make at once")
	fs.DurationVar(&c.MaxWait, "max-wait", c.MaxWait, "longest time ?wait=true holds a submission request")
	fs.StringVar(&c.MetricsToken, "metrics-token", c.MetricsToken, "require 'Authorization: Bearer <this token>' on /metrics (empty: /metrics is open to anyone who reaches the port; set it when the port is reachable from outside, preferably through the environment, which the process list does not show)")
	fs.Var(&listFlag{&c.TrustedProxies, checkTrustedProxies}, "trusted-proxies", "comma-separated `list` of the IP addresses or CIDRs of the reverse proxies in front of the server, whose X-Forwarded-For and X-Real-IP headers are believed to name the client (empty: none, the client is the connection's peer); set it when behind a proxy, or every user shares the proxy's sign-in limit")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "how long shutdown waits for requests and judgings in flight")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error")
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL, "the server's public URL as browsers and LMSs reach it, e.g. https://judge.example.edu; turns on LTI 1.3 (empty: no LTI)")
}

// Main is `gradjudge serve`: it wires the store, the judge, the workers and the HTTP API. Build it
// with NewMain, then ParseFlags (or set Config), Run, and Close.
type Main struct {
	Config ServeConfig
	// Stdin gives the --init-admin password when the environment does not; Stderr gets the logs.
	Stdin  io.Reader
	Stderr io.Writer
	// LookupEnv reads the environment; tests replace it.
	LookupEnv func(string) (string, bool)
	// WatchTicks, when not nil, replaces the ticker that paces --watch's looks at the catalog
	// directory: a test sends a tick to make the server look now.
	WatchTicks <-chan time.Time
	// Now is the one clock of the store, the API and the web pages: stored times, API key expiry,
	// rate limits and login tokens. Nil is time.Now; tests replace it to move time without
	// sleeping.
	Now func() time.Time

	DB      *store.DB
	learner *mastery.Model // the learner model the store updates and the core explains
	log     *slog.Logger
	code    *codejudge.Judge // nil when code judging is off
	workers *store.Workers
	lti     *ltiRuntime // nil without --public-url
	ln      net.Listener
	server  *http.Server
	done    chan error // the HTTP server's end
	// stopWatch ends --watch's reloading; nil without --watch.
	stopWatch func()
}

// NewMain returns a Main with the default configuration, reading from s.
func NewMain(s stdio) *Main {
	return &Main{Config: defaultServeConfig(), Stdin: s.in, Stderr: s.err, LookupEnv: osLookupEnv}
}

// ParseFlags reads the configuration from the environment and then args. It returns flag.ErrHelp
// after printing the usage for --help.
func (m *Main) ParseFlags(args []string) error {
	fs := newFlagSet(stdio{err: m.Stderr}, "serve", "[flags]", `
Serves the REST API (/api/v1, described at /api/v1/openapi.json), /healthz, /readyz and /metrics,
and judges submissions with in-process workers. On a fresh machine it needs no set-up: the data
lives in an SQLite file in --data-dir. Every flag can be set by the environment variable shown
in brackets; a flag on the command line wins.`)
	serveFlags(fs, &m.Config)
	if err := bindEnv(fs, m.LookupEnv); err != nil {
		return err
	}
	pos, code, ok := parseFlags(fs, args)
	switch {
	case !ok && code == 0:
		return flag.ErrHelp
	case !ok:
		return errors.New("bad flags")
	case len(pos) > 0:
		return fmt.Errorf("unexpected arguments %q", pos)
	}
	return errors.Join(m.Config.dbConfig.check(), m.Config.queueConfig.check())
}

// Run opens and migrates the database, creates the initial admin, starts the workers and starts
// serving. It returns once the listener is open; the server runs until Close.
func (m *Main) Run(ctx context.Context) error {
	if err := m.openLog(); err != nil {
		return err
	}
	cat, err := m.openCatalog(ctx)
	if err != nil {
		return err
	}
	metrics := api.NewMetrics()
	if err := m.openDB(ctx, cat, metrics); err != nil {
		return err
	}
	metrics.QueueDepth(m.DB.QueueDepth)
	registerJudgeFailures(metrics.Registry, m.DB.JudgeFailures)
	if err := m.initAdmin(ctx); err != nil {
		return err
	}
	if err := m.startWorkers(ctx, cat, metrics); err != nil {
		return err
	}
	h, err := m.newHandler(ctx, cat, metrics)
	if err != nil {
		return err
	}
	return m.listen(h)
}

func (m *Main) openLog() error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(m.Config.LogLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	m.log = slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: level}))
	return nil
}

// openDB opens and migrates the database. With --inline-judging the store grades numeric and
// choice answers itself, with a judge of its own: it needs no code judge, so it works with
// --no-workers and --code=false too.
func (m *Main) openDB(ctx context.Context, cat *exercises.Live, metrics *api.Metrics) error {
	var err error
	// The learner model reads the catalog as it is at start; --watch's later changes reach the
	// judge and the pages, not what the model knows of variants.
	if m.learner, err = newLearner(cat.Current()); err != nil {
		return err
	}
	cfg := m.Config.storeConfig()
	cfg.Logger, cfg.Now, cfg.Learner = m.log, m.Now, m.learner
	if m.Config.InlineJudging {
		j, err := judge.New(cat, nil)
		if err != nil {
			return err
		}
		cfg.InlineJudge = metrics.Judge(j, time.Now)
	}
	db, err := store.Open(ctx, cfg)
	if err != nil {
		return err
	}
	m.DB = db
	return db.Migrate(ctx)
}

// startWorkers starts the judging workers, unless --no-workers leaves judging to other processes.
func (m *Main) startWorkers(ctx context.Context, cat *exercises.Live, metrics *api.Metrics) error {
	if m.Config.NoWorkers {
		return nil
	}
	j, err := m.newJudge(ctx, cat)
	if err != nil {
		return err
	}
	wc := m.Config.workerConfig(metrics.Judge(j, time.Now))
	wc.CodeWorkers, wc.FetchPollInterval, wc.Logger = m.Config.CodeWorkers, m.Config.PollInterval, m.log
	// Only one process works an SQLite file, so jobs left running were interrupted by a crash.
	wc.ReclaimOnStart = m.Config.DatabaseURL == ""
	m.workers, err = m.DB.StartWorkers(ctx, wc)
	return err
}

// newJudge returns the judge of numeric, choice and (with --code) code answers.
func (m *Main) newJudge(ctx context.Context, cat *exercises.Live) (gradjudge.Judge, error) {
	j, code, err := newJudge(ctx, cat, m.Config.judgeConfig, m.log)
	m.code = code
	return j, err
}

// newHandler builds the application core and mounts its front doors side by side on one mux:
// the API under /api/ with /healthz, /readyz and /metrics, with --public-url the LTI tool, and
// the pages everywhere else.
func (m *Main) newHandler(ctx context.Context, cat *exercises.Live, metrics *api.Metrics) (http.Handler, error) {
	secret, err := m.jwtSecret()
	if err != nil {
		return nil, err
	}
	tokens, err := api.NewTokens(api.TokenConfig{Secret: secret, Issuer: m.Config.JWTIssuer, Audience: m.Config.JWTAudience, TTL: m.Config.TokenTTL, Now: m.Now})
	if err != nil {
		return nil, err
	}
	mailer, err := m.Config.mailer(m.Config.PublicURL)
	if err != nil {
		return nil, err
	}
	core, err := app.New(app.Deps{Users: m.DB, Courses: m.DB, Submissions: m.DB, Progress: m.DB, Catalog: cat, PasswordTokens: m.DB, Mailer: mailer,
		Learners: m.DB, Mastery: m.learner, Hints: m.DB, Policies: m.DB, Regrades: m.DB, ExerciseVersion: exerciseVersion(cat),
		Logger: m.log, Now: m.Now, MaxWait: m.Config.MaxWait, SubmitPerMinute: m.Config.SubmitPerMinute,
		SubmitBurst: m.Config.SubmitBurst, TrustedProxies: m.Config.TrustedProxies})
	if err != nil {
		return nil, err
	}
	pages, err := web.New(web.Deps{App: core, Tokens: tokens, Logger: m.log, Now: m.Now})
	if err != nil {
		return nil, err
	}
	rest, err := api.New(api.Deps{App: core, Tokens: tokens, Metrics: metrics, Logger: m.log, Now: m.Now,
		Ready: m.ready, MetricsToken: m.Config.MetricsToken})
	if err != nil {
		return nil, err
	}
	if m.Config.PublicURL == "" {
		return mountDoors(rest.Handler(), pages, nil), nil
	}
	if m.lti, err = m.startLTI(ctx, cat, core, pages, rest); err != nil {
		return nil, err
	}
	return mountDoors(rest.Handler(), pages, m.lti.tool), nil
}

// mountDoors serves the API's paths with api, the LTI tool's (/lti/, its JWKS and its
// registration routes under /api/v1/lti/) with tool when it is not nil, and every other path
// with pages.
func mountDoors(api, pages http.Handler, tool *lti.Tool) http.Handler {
	mux := http.NewServeMux()
	for _, p := range []string{"/api/", "/healthz", "/readyz", "/metrics"} {
		mux.Handle(p, api)
	}
	if tool != nil {
		for _, p := range lti.Handles() {
			mux.Handle(p, tool)
		}
	}
	mux.Handle("/", pages)
	return mux
}

// ready reports whether the database answers.
func (m *Main) ready(ctx context.Context) error { return m.DB.Ping(ctx) }

func (m *Main) listen(h http.Handler) error {
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return err
	}
	m.ln = ln
	m.server = &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: m.Config.MaxWait + 30*time.Second, IdleTimeout: idleTimeout,
		ErrorLog: slog.NewLogLogger(m.log.Handler(), slog.LevelWarn)}
	m.done = make(chan error, 1)
	go func() { m.done <- m.server.Serve(ln) }()
	m.log.Info("serving", "addr", ln.Addr().String(), "database", m.DB.Dialect())
	return nil
}

// Addr is the address the server listens on, with the port chosen for ":0".
func (m *Main) Addr() string { return m.ln.Addr().String() }

// URL is the server's base URL.
func (m *Main) URL() string { return "http://" + m.Addr() }

// Done reports the end of the HTTP server when it stops on its own (an accept failure).
func (m *Main) Done() <-chan error { return m.done }

// Close stops gracefully: no new connections, requests in flight finish, judgings in flight are
// finished and recorded, then the database closes. All within ShutdownTimeout; what is left then
// is cancelled and its jobs go back to the queue for the next start. Closing twice is harmless.
func (m *Main) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownTimeout)
	defer cancel()
	var errs []error
	if m.stopWatch != nil {
		m.stopWatch()
		m.stopWatch = nil
	}
	if m.server != nil {
		errs = append(errs, m.server.Shutdown(ctx))
		m.server = nil
	}
	if m.lti != nil {
		errs = append(errs, m.lti.close())
		m.lti = nil
	}
	if m.workers != nil {
		requeued, err := m.workers.Stop(ctx)
		logRequeued(m.log, requeued)
		errs = append(errs, err)
		m.workers = nil
	}
	if m.code != nil {
		errs = append(errs, m.code.Close())
		m.code = nil
	}
	if m.DB != nil {
		errs = append(errs, m.DB.Close())
		m.DB = nil
		m.log.Info("stopped")
	}
	return errors.Join(errs...)
}

// jwtSecret is the configured secret, or the one kept in the data directory, made on first use so
// that tokens stay valid across restarts.
func (m *Main) jwtSecret() ([]byte, error) {
	if m.Config.JWTSecret != "" {
		return []byte(m.Config.JWTSecret), nil
	}
	path := filepath.Join(m.Config.DataDir, jwtSecretFile)
	if b, err := os.ReadFile(path); err == nil {
		return hex.DecodeString(strings.TrimSpace(string(b)))
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("jwt secret: %w", err)
	}
	secret, err := api.GenerateSecret(jwtSecretBytes)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(m.Config.DataDir, store.DataDirMode); err != nil {
		return nil, err
	}
	// O_EXCL: two processes starting at once must not each keep a different secret.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return m.jwtSecret()
	}
	if err != nil {
		return nil, fmt.Errorf("jwt secret: %w", err)
	}
	_, err = f.WriteString(hex.EncodeToString(secret) + "\n")
	return secret, errors.Join(err, f.Sync(), f.Close())
}

// initAdmin creates the --init-admin account if it does not exist yet.
func (m *Main) initAdmin(ctx context.Context) error {
	email := m.Config.InitAdmin
	if email == "" {
		return nil
	}
	if _, err := m.DB.UserByEmail(ctx, email); err == nil {
		m.log.Info("init admin exists already", "email", email)
		return nil
	} else if gradjudge.ErrorCode(err) != gradjudge.ENOTFOUND {
		return err
	}
	password, ok := m.LookupEnv("GRADJUDGE_INIT_ADMIN_PASSWORD")
	if !ok {
		password = readPassword(m.Stdin)
	}
	if _, err := m.DB.CreateUser(ctx, gradjudge.User{Email: email, Name: "Administrator", Role: gradjudge.RoleAdmin}, password); err != nil {
		return fmt.Errorf("--init-admin: %s", gradjudge.ErrorMessage(err))
	}
	m.log.Info("init admin created", "email", email)
	return nil
}

// readPassword reads one line from r, without its line ending.
func readPassword(r io.Reader) string {
	if r == nil {
		return ""
	}
	line, _ := bufio.NewReader(r).ReadString('\n')
	return strings.TrimRight(line, "\r\n")
}

func runServe(ctx context.Context, s stdio, args []string) int {
	m := NewMain(s)
	if err := m.ParseFlags(args); errors.Is(err, flag.ErrHelp) {
		return 0
	} else if err != nil {
		fmt.Fprintf(s.err, "gradjudge serve: %v\n", err)
		return 2
	}
	if err := m.Run(ctx); err != nil {
		fmt.Fprintf(s.err, "gradjudge serve: %v\n", err)
		m.Close()
		return 1
	}
	var err error
	select {
	case <-ctx.Done():
	case err = <-m.Done():
	}
	if cerr := m.Close(); err == nil || errors.Is(err, http.ErrServerClosed) {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge serve: %v\n", err)
		return 1
	}
	return 0
}

// checkTrustedProxies refuses a --trusted-proxies entry that is neither an IP address nor a CIDR.
func checkTrustedProxies(list []string) error {
	_, err := app.ParseTrustedProxies(list)
	return err
}
