package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"gradjudge"
	"gradjudge/migrations"
)

// The connection budget of one process. PostgreSQL refuses connections past max_connections
// (100 by default, 3 of them kept for superusers), so the sum of MaxOpenConns over every API and
// worker process must stay below it, with room for operators and migrations: the defaults, 20
// per API process and 8 per worker process (set by cmd), give 2 APIs and 4 workers 72.
const (
	// DefaultMaxOpenConns is MaxOpenConns's default (cmd sets each process's own): PostgreSQL
	// connections, or on SQLite the read pool's (which has one writer connection besides).
	DefaultMaxOpenConns = 16
	// DefaultConnIdleTime is how long an unused PostgreSQL connection stays open before it is
	// closed, so that a process gives back what a burst took.
	DefaultConnIdleTime = 30 * time.Second
	// DefaultAcquireWait is the longest a query queues for a free connection when the pool is
	// full (less when its caller's deadline is sooner) before it fails with EUNAVAILABLE (HTTP
	// 503 with Retry-After). Generous on purpose: a burst that fills the pool, or a loaded
	// machine that slows every holder, passes in seconds, and a client that waited a few seconds
	// for an answer is better served than one told to come back.
	DefaultAcquireWait = 20 * time.Second
	// acquireReplyMargin is the part of a caller's deadline an acquire leaves for answering (a
	// quarter of what is left, when that is less).
	acquireReplyMargin = time.Second
	// minAcquireBudget is the least an acquire waits, even past its caller's deadline margin.
	minAcquireBudget = 50 * time.Millisecond
	// serverFullRetryMin and serverFullRetryMax bound the pause before asking a server that had
	// no connection slot free again.
	serverFullRetryMin = 10 * time.Millisecond
	serverFullRetryMax = 250 * time.Millisecond
	// DefaultConnectTimeout is how long Open keeps retrying a PostgreSQL server that refuses
	// connections (not started yet, or full) before it gives up.
	DefaultConnectTimeout = time.Minute
	// idleCheckPeriod is how often the pool looks for idle connections to close.
	idleCheckPeriod = 5 * time.Second
	// connectBackoffMax caps the wait between two connection attempts at start.
	connectBackoffMax = 5 * time.Second
)

// errPoolBusy says every connection of the pool stayed in use for Config.AcquireWait.
var errPoolBusy = errors.New("every database connection is in use")

// openPostgres opens the pool (connections are made on demand, and closed after ConnIdleTime
// unused) and waits for the server to answer, retrying a refused connection with backoff until
// ConnectTimeout.
func (db *DB) openPostgres(ctx context.Context) error {
	pc, err := pgxpool.ParseConfig(db.cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("store: database URL: %w", redactURL(err, db.cfg.DatabaseURL))
	}
	if _, ok := pc.ConnConfig.RuntimeParams["application_name"]; !ok && db.cfg.ApplicationName != "" {
		pc.ConnConfig.RuntimeParams["application_name"] = db.cfg.ApplicationName
	}
	pc.MaxConns = int32(poolConns(db.cfg))
	pc.MinConns = 0
	pc.MaxConnIdleTime = db.cfg.ConnIdleTime
	pc.HealthCheckPeriod = min(idleCheckPeriod, db.cfg.ConnIdleTime)
	if db.pool, err = pgxpool.NewWithConfig(ctx, pc); err != nil {
		return fmt.Errorf("store: open postgres: %w", err)
	}
	// database/sql keeps no connection of its own (OpenDBFromPool's setting): each use takes one
	// from the pool through the bounded connector, so the pool alone counts the budget.
	db.sql = sql.OpenDB(boundedConnector{stdlib.GetPoolConnector(db.pool), db.cfg.AcquireWait, &db.acquire})
	db.sql.SetMaxIdleConns(0)
	err = db.waitForServer(ctx)
	if err == nil { // gorm.Open pings the server
		db.gorm, err = gorm.Open(postgres.New(postgres.Config{Conn: db.sql}), db.gormConfig())
	}
	if err != nil {
		db.sql.Close()
		db.pool.Close()
		return fmt.Errorf("store: open postgres: %w", redactURL(err, db.cfg.DatabaseURL))
	}
	db.dialect = migrations.Postgres
	db.read, db.rsql = db.gorm, db.sql
	return nil
}

// poolConns is how many connections the pool may open: MaxOpenConns, less the one River's
// listener takes out of it for good when the process runs workers; at least one.
func poolConns(cfg Config) int {
	if cfg.RunsWorkers {
		return max(cfg.MaxOpenConns-1, 1)
	}
	return cfg.MaxOpenConns
}

// waitForServer pings the server until it answers. A refusal that may pass (the server is
// starting, or has no connection slot free) is retried with doubling waits, each logged, until
// ConnectTimeout; anything else (a wrong password, a missing database) fails at once.
func (db *DB) waitForServer(ctx context.Context) error {
	deadline := time.Now().Add(db.cfg.ConnectTimeout)
	wait := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := db.pool.Ping(ctx)
		if err == nil || !unavailable(err) || time.Now().Add(wait).After(deadline) {
			return err
		}
		db.cfg.Logger.Warn("database refused the connection; retrying", "attempt", attempt, "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, connectBackoffMax)
	}
}

// boundedConnector takes a connection from the pool for database/sql. A query that finds every
// connection in use queues for one (pgxpool's queue is first come, first served) as long as its
// budget allows: AcquireWait, cut to the caller's deadline less acquireReplyMargin, so that a
// request that cannot have a connection in time still has time to say so. A server with no
// slot free (max_connections, shared with other processes) is asked again within the same
// budget, since any connection released meanwhile serves the query. Only a budget used up is
// answered errPoolBusy, which the API turns into a 503 with Retry-After.
type boundedConnector struct {
	driver.Connector
	wait  time.Duration
	stats *acquireStats
}

func (c boundedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	start := time.Now()
	budget := acquireBudget(ctx, c.wait, start)
	wctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	for retry := serverFullRetryMin; ; retry = min(2*retry, serverFullRetryMax) {
		conn, err := c.Connector.Connect(wctx)
		switch {
		case err == nil:
			c.stats.waited(time.Since(start))
			return conn, nil
		case ctx.Err() != nil: // the caller gave up: its own error, not ours
			return nil, err
		case wctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
			c.stats.refused()
			return nil, fmt.Errorf("%w (waited %v)", errPoolBusy, time.Since(start).Round(time.Millisecond))
		case !serverFull(err):
			return nil, err
		}
		select {
		case <-wctx.Done():
		case <-time.After(retry):
		}
	}
}

// acquireBudget is how long a query that starts at now may wait for a connection: wait, or less
// when ctx's deadline comes sooner, leaving time to answer (acquireReplyMargin, or a quarter of
// what is left when that is shorter); at least minAcquireBudget, so that a connection already
// free is always taken.
func acquireBudget(ctx context.Context, wait time.Duration, now time.Time) time.Duration {
	if d, ok := ctx.Deadline(); ok {
		left := d.Sub(now)
		wait = min(wait, left-min(acquireReplyMargin, left/4))
	}
	return max(wait, minAcquireBudget)
}

// acquireStats counts how long queries of one process waited for a connection; its zero value
// is ready. Safe for concurrent use.
type acquireStats struct {
	longest atomic.Int64 // nanoseconds: the longest wait that got a connection
	busy    atomic.Int64 // waits that ended errPoolBusy
}

func (s *acquireStats) waited(d time.Duration) {
	for {
		cur := s.longest.Load()
		if int64(d) <= cur || s.longest.CompareAndSwap(cur, int64(d)) {
			return
		}
	}
}

func (s *acquireStats) refused() { s.busy.Add(1) }

// PoolStats is a snapshot of a process's PostgreSQL connection pool, for /metrics; the zero
// value on SQLite.
type PoolStats struct {
	MaxConns     int           // the pool's share of Config.MaxOpenConns (see Config.RunsWorkers)
	InUse, Idle  int           // connections open now, by state
	Acquires     int64         // connections handed to queries since Open
	WaitedTotal  time.Duration // summed over acquires that found no connection free
	LongestWait  time.Duration // the longest an acquire waited and then got a connection
	BusyRefusals int64         // acquires that waited their whole budget: a request answered 503, a background query tried later
}

// PoolStats reports the connection pool's use since Open; zero on SQLite.
func (db *DB) PoolStats() PoolStats {
	if db.pool == nil {
		return PoolStats{}
	}
	st := db.pool.Stat()
	return PoolStats{MaxConns: int(st.MaxConns()), InUse: int(st.AcquiredConns()), Idle: int(st.IdleConns()),
		Acquires: st.AcquireCount(), WaitedTotal: st.EmptyAcquireWaitTime(),
		LongestWait: time.Duration(db.acquire.longest.Load()), BusyRefusals: db.acquire.busy.Load()}
}

// PostgreSQL error codes that mean "no connection now; later may work".
const (
	pgTooManyConnections = "53300" // max_connections reached, or only reserved slots left
	pgCannotConnectNow   = "57P03" // starting up or shutting down
	pgAdminShutdown      = "57P01"
)

// serverFull says whether err is the server refusing a new connection for now: every slot of
// max_connections taken (or only superusers' left), or the server starting or stopping.
func serverFull(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == pgTooManyConnections || pe.Code == pgCannotConnectNow)
}

// unavailable says whether err means the database cannot be reached or has no connection to
// give right now, which passes: the pool is full, the server is full, starting or stopping, or
// refuses TCP connections.
func unavailable(err error) bool {
	if errors.Is(err, errPoolBusy) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == pgTooManyConnections || pe.Code == pgCannotConnectNow || pe.Code == pgAdminShutdown
	}
	var ce *pgconn.ConnectError
	var ne *net.OpError
	return errors.As(err, &ce) && errors.As(err, &ne)
}

// unavailableError is the application error of a database that has no connection to give: the
// client may try again in a moment.
func unavailableError(op string, err error) error {
	return &gradjudge.Error{Code: gradjudge.EUNAVAILABLE, Message: "the service is busy; try again in a moment", Op: op, Err: err}
}

// poolDefaults fills in the pool settings of cfg left zero.
func poolDefaults(cfg Config) Config {
	if cfg.MaxOpenConns <= 0 {
		cfg.MaxOpenConns = DefaultMaxOpenConns
	}
	if cfg.ConnIdleTime <= 0 {
		cfg.ConnIdleTime = DefaultConnIdleTime
	}
	if cfg.AcquireWait <= 0 {
		cfg.AcquireWait = DefaultAcquireWait
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	return cfg
}
