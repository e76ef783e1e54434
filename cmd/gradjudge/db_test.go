package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gradjudge/store"
)

// TestConnectionBudgetFlags: every command that opens the database has --db-max-conns with its
// environment variable and its process's default, and the help of the queue flags says the
// defaults the code uses.
func TestConnectionBudgetFlags(t *testing.T) {
	for _, c := range []struct {
		args  []string
		flags map[string]string // flag → "(default …)" its help must end with
	}{
		{[]string{"serve"}, map[string]string{"db-max-conns": fmt.Sprint(serveMaxConns),
			"workers": fmt.Sprint(store.DefaultNumericWorkers), "lease-timeout": store.DefaultLeaseTimeout.String(),
			"heartbeat": store.DefaultHeartbeat.String(), "job-timeout": store.DefaultJobTimeout.String(),
			"db-acquire-wait": store.DefaultAcquireWait.String()}},
		{[]string{"worker"}, map[string]string{"db-max-conns": fmt.Sprint(workerMaxConns),
			"workers": fmt.Sprint(store.DefaultNumericWorkers), "lease-timeout": store.DefaultLeaseTimeout.String(),
			"db-connect-timeout": store.DefaultConnectTimeout.String(), "db-acquire-wait": store.DefaultAcquireWait.String()}},
		{[]string{"migrate"}, map[string]string{"db-max-conns": fmt.Sprint(toolMaxConns)}},
		{[]string{"users", "add"}, map[string]string{"db-max-conns": fmt.Sprint(toolMaxConns)}},
		{[]string{"users", "list"}, map[string]string{"db-max-conns": fmt.Sprint(toolMaxConns)}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, _, help := runCLI(t, "", append(c.args, "--help")...)
			if code != 0 {
				t.Fatalf("--help: exit %d", code)
			}
			for name, def := range c.flags {
				got := flagHelp(help, name)
				if !strings.Contains(got, "[$"+envName(name)+"]") || !strings.HasSuffix(got, "(default "+def+")") {
					t.Errorf("--%s help %q; want its environment variable and (default %s)", name, got, def)
				}
			}
		})
	}
}

// flagHelp is the usage text of flag name in help, as flag.PrintDefaults writes it, on one line.
func flagHelp(help, name string) string {
	_, after, ok := strings.Cut(help, "\n  -"+name+" ")
	if !ok {
		return ""
	}
	end := strings.Index(after, "\n  -")
	if end < 0 {
		end = len(after)
	}
	return strings.Join(strings.Fields(after[:end]), " ")
}

// TestConnectionBudgetChecked: a budget or lease that cannot work is a usage error, also when it
// comes from the environment.
func TestConnectionBudgetChecked(t *testing.T) {
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"one connection", nil, []string{"worker", "--db-max-conns", "1"}, "--db-max-conns must be at least 2"},
		{"from the environment", map[string]string{"GRADJUDGE_DB_MAX_CONNS": "0"}, []string{"migrate"}, "--db-max-conns must be at least 2"},
		{"short lease", nil, []string{"worker", "--heartbeat", "5s", "--lease-timeout", "10s"}, "--lease-timeout must be at least 3 heartbeats"},
		{"no workers", nil, []string{"worker", "--workers", "0"}, "--workers must be at least 1"},
		{"no acquire wait", nil, []string{"serve", "--db-acquire-wait", "0s"}, "--db-acquire-wait must be positive"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			code, _, errOut := runCLI(t, "", c.args...)
			if code != 2 || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, c.want)
			}
		})
	}
}

// TestRequestDeadline: every request carries a deadline, so that what it waits for (a database
// connection above all) gives up while an answer can still be written; serve sets it replyTime
// before the write timeout.
func TestRequestDeadline(t *testing.T) {
	const d = 7 * time.Second
	var left time.Duration
	h := withDeadline(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if dl, ok := r.Context().Deadline(); ok {
			left = time.Until(dl)
		}
	}), d)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if left <= 0 || left > d {
		t.Errorf("deadline %v after the start, want within %v", left, d)
	}
	if m := startMain(t, t.TempDir(), func(cfg *ServeConfig) { cfg.Code, cfg.NoWorkers = false, true }); m.server.WriteTimeout-replyTime <= m.Config.MaxWait {
		t.Errorf("write timeout %v leaves no time past --max-wait %v", m.server.WriteTimeout, m.Config.MaxWait)
	}
}
