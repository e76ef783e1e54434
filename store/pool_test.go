package store

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"gradjudge"
)

// TestFullPoolIsUnavailable holds every connection of a one-connection pool: a query waits
// AcquireWait, then fails with EUNAVAILABLE (a 503 for clients), not an internal error; once the
// connection is back, queries work again.
func TestFullPoolIsUnavailable(t *testing.T) {
	db, conn := fullPool(t, 50*time.Millisecond)
	_, err := db.User(t.Context(), 1)
	if code := gradjudge.ErrorCode(err); code != gradjudge.EUNAVAILABLE {
		t.Errorf("query on a full pool: %v (code %q), want %q", err, code, gradjudge.EUNAVAILABLE)
	}
	conn.Close()
	if _, err := db.User(t.Context(), 1); gradjudge.ErrorCode(err) != gradjudge.ENOTFOUND {
		t.Errorf("query after the connection came back: %v, want not found", err)
	}
}

// TestOpenRetriesRefusedServer opens a PostgreSQL URL whose port refuses connections: Open
// retries with backoff, logging each retry, and fails once ConnectTimeout has passed, with the
// cause.
func TestOpenRetriesRefusedServer(t *testing.T) {
	addr := refusingAddr(t)
	var logs bytes.Buffer
	cfg := Config{DatabaseURL: "postgres://u:secret@" + addr + "/db?sslmode=disable", ConnectTimeout: time.Second,
		Logger: newTextLogger(&logs)}
	_, err := Open(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "refused") || strings.Contains(err.Error(), "secret") {
		t.Errorf("Open: %v; want a refused connection, without the password", err)
	}
	if n := strings.Count(logs.String(), "retrying"); n < 2 {
		t.Errorf("%d retries logged, want at least 2:\n%s", n, logs.String())
	}
}

// TestOpenFailsFastOnWrongPassword: a refusal that waiting does not fix is not retried.
func TestOpenFailsFastOnWrongPassword(t *testing.T) {
	cfg := withPostgres(t, Config{ConnectTimeout: time.Hour})
	u, err := url.Parse(cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "wrong-password")
	cfg.DatabaseURL = u.String()
	var logs bytes.Buffer
	cfg.Logger = newTextLogger(&logs)
	if _, err := Open(t.Context(), cfg); err == nil {
		t.Fatal("Open with a wrong password succeeded")
	}
	if strings.Contains(logs.String(), "retrying") {
		t.Errorf("a wrong password was retried:\n%s", logs.String())
	}
}

func newTextLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

// TestIdleConnectionsClosed: connections a burst opened are closed once unused for ConnIdleTime,
// and carry the process's application name.
func TestIdleConnectionsClosed(t *testing.T) {
	cfg := withPostgres(t, Config{ConnIdleTime: 100 * time.Millisecond, ApplicationName: "gradjudge-test-idle"})
	db := openTestDB(t, cfg)
	var conns []*sql.Conn
	for range 4 {
		c, err := db.SQL().Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	var name string
	if err := conns[0].QueryRowContext(t.Context(), "SELECT current_setting('application_name')").Scan(&name); err != nil || name != cfg.ApplicationName {
		t.Errorf("application_name %q, %v; want %q", name, err, cfg.ApplicationName)
	}
	for _, c := range conns {
		c.Close()
	}
	deadline := time.Now().Add(30 * time.Second)
	for db.pool.Stat().TotalConns() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // a bounded look at the pool's own reaper
	}
	if n := db.pool.Stat().TotalConns(); n != 0 {
		t.Errorf("%d connections open 30 s after the burst, want 0", n)
	}
}
