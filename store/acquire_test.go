package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"gradjudge"
)

// fakeConnector is a driver.Connector whose first refusals calls fail with err, then succeed.
type fakeConnector struct {
	refusals int
	err      error
	calls    atomic.Int32
}

func (f *fakeConnector) Connect(ctx context.Context) (driver.Conn, error) {
	if n := int(f.calls.Add(1)); n <= f.refusals {
		return nil, f.err
	}
	return fakeConn{}, nil
}

func (f *fakeConnector) Driver() driver.Driver { return nil }

type fakeConn struct{ driver.Conn }

// TestConnectorServerFull: a server with no connection slot free (max_connections, shared with
// other processes) is asked again within the acquire budget instead of failing the query; a
// refusal that waiting does not fix fails at once; a server full for the whole budget is
// answered busy (a 503), counted in the pool's stats.
func TestConnectorServerFull(t *testing.T) {
	full := &pgconn.PgError{Code: pgTooManyConnections, Message: "sorry, too many clients already"}
	for _, c := range []struct {
		name      string
		refusals  int
		err       error
		wait      time.Duration
		wantErr   error // nil: a connection
		wantCalls int32 // 0: any
	}{
		{"full for a moment", 3, full, time.Minute, nil, 4},
		{"starting up", 1, &pgconn.PgError{Code: pgCannotConnectNow}, time.Minute, nil, 2},
		{"wrong password", 1, &pgconn.PgError{Code: "28P01"}, time.Minute, &pgconn.PgError{}, 1},
		{"full for the whole budget", 1 << 30, full, 100 * time.Millisecond, errPoolBusy, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeConnector{refusals: c.refusals, err: c.err}
			stats := &acquireStats{}
			conn, err := boundedConnector{f, c.wait, stats}.Connect(t.Context())
			var pe *pgconn.PgError
			switch {
			case c.wantErr == nil && (err != nil || conn == nil):
				t.Errorf("Connect: %v; want a connection", err)
			case c.wantErr == errPoolBusy && !errors.Is(err, errPoolBusy):
				t.Errorf("Connect: %v; want %v", err, errPoolBusy)
			case c.wantErr != nil && c.wantErr != errPoolBusy && !errors.As(err, &pe):
				t.Errorf("Connect: %v; want the server's error", err)
			}
			if got := f.calls.Load(); c.wantCalls != 0 && got != c.wantCalls {
				t.Errorf("%d attempts, want %d", got, c.wantCalls)
			}
			if busy := stats.busy.Load(); (busy == 1) != (c.wantErr == errPoolBusy) {
				t.Errorf("%d busy refusals counted", busy)
			}
		})
	}
}

// TestAcquireBudget: a query queues for a connection for AcquireWait, or until its caller's
// deadline less the time to answer when that comes sooner, and always long enough to take a
// connection that is free.
func TestAcquireBudget(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name     string
		deadline time.Duration // from now; 0: none
		wait     time.Duration
		want     time.Duration
	}{
		{"no deadline", 0, 20 * time.Second, 20 * time.Second},
		{"deadline later", time.Minute, 20 * time.Second, 20 * time.Second},
		{"deadline sooner", 6 * time.Second, 20 * time.Second, 6*time.Second - acquireReplyMargin},
		{"short deadline", 2 * time.Second, 20 * time.Second, 1500 * time.Millisecond},
		{"deadline past", -time.Second, 20 * time.Second, minAcquireBudget},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			if c.deadline != 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithDeadline(ctx, now.Add(c.deadline))
				defer cancel()
			}
			if got := acquireBudget(ctx, c.wait, now); got != c.want {
				t.Errorf("budget %v, want %v", got, c.want)
			}
		})
	}
}

// TestFullPoolQueues holds the only connection of a pool while a query asks for one: the query
// waits in line and runs once the connection is back, instead of failing; the wait shows in the
// pool's stats.
func TestFullPoolQueues(t *testing.T) {
	db, conn := fullPool(t, time.Minute)
	got := make(chan error, 1)
	go func() {
		_, err := db.User(t.Context(), 1)
		got <- err
	}()
	deadline := time.Now().Add(30 * time.Second)
	for db.pool.Stat().EmptyAcquireCount() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond) // a bounded look until the query waits in the pool's line
	}
	conn.Close()
	if err := <-got; gradjudge.ErrorCode(err) != gradjudge.ENOTFOUND {
		t.Errorf("query that waited for the connection: %v, want it run (not found)", err)
	}
	if st := db.PoolStats(); st.MaxConns != 1 || st.LongestWait <= 0 || st.BusyRefusals != 0 || st.Acquires < 2 {
		t.Errorf("pool stats %+v; want 1 connection, a wait, no refusal", st)
	}
}

// TestFullPoolAnswersBeforeDeadline: a query on a full pool whose caller has a deadline sooner
// than AcquireWait gives up in time to answer: EUNAVAILABLE (a 503) while the deadline has not
// passed, not a deadline error after it.
func TestFullPoolAnswersBeforeDeadline(t *testing.T) {
	db, conn := fullPool(t, time.Hour)
	defer conn.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 4*acquireReplyMargin)
	defer cancel()
	_, err := db.User(ctx, 1)
	if gradjudge.ErrorCode(err) != gradjudge.EUNAVAILABLE || ctx.Err() != nil {
		t.Errorf("query on a full pool: %v, deadline passed: %v; want EUNAVAILABLE before the deadline", err, ctx.Err())
	}
}

// TestWorkersKeepToBudget: a process that runs judging workers holds at most MaxOpenConns
// connections in all while every query of a burst wants one, River's LISTEN included.
func TestWorkersKeepToBudget(t *testing.T) {
	cfg := withPostgres(t, Config{MaxOpenConns: 3, RunsWorkers: true, ApplicationName: "gradjudge-test-budget"})
	db := openTestDB(t, cfg)
	testWorkers(t, db, newFakeJudge(), false)
	admin, err := sql.Open("pgx", cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { db.SQL().ExecContext(t.Context(), "SELECT pg_sleep(0.3)") })
	}
	most := 0
	for range 20 {
		var n int
		if err := admin.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", cfg.ApplicationName).Scan(&n); err != nil {
			t.Fatal(err)
		}
		most = max(most, n)
		time.Sleep(20 * time.Millisecond) // samples while the burst holds the pool
	}
	wg.Wait()
	if most > cfg.MaxOpenConns || most < 2 {
		t.Errorf("%d connections at once, want at most %d (and the burst seen)", most, cfg.MaxOpenConns)
	}
}

// fullPool opens a one-connection pool on a migrated PostgreSQL test database (skipping without
// one) whose queries wait up to wait for a connection, and holds that connection: close it to free
// the pool. The pool closes when the test ends.
func fullPool(t *testing.T, wait time.Duration) (*DB, *sql.Conn) {
	t.Helper()
	cfg := withPostgres(t, Config{})
	openTestDB(t, cfg) // migrates: the lock holds a connection while the migrators take another
	cfg.MaxOpenConns, cfg.AcquireWait = 1, wait
	db, err := Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.SQL().Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return db, conn
}
