package main

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver: test databases and checks
)

// postgresEnv names the PostgreSQL server the multi-process tests use; `.ci/postgres.sh` starts
// one and prints the line that sets it.
const postgresEnv = "GRADJUDGE_TEST_POSTGRES_URL"

// newPostgresDB creates a database on the test server, dropped when t ends, and returns its URL
// and a connection to it. It skips t when no server is configured.
func newPostgresDB(t *testing.T) (string, *sql.DB) {
	t.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		t.Skip(postgresEnv + " is unset: the multi-process PostgreSQL test is skipped (run `eval \"$(.ci/postgres.sh)\"` to enable it)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := "gj_scale_" + strings.ReplaceAll(time.Now().Format("150405.000000"), ".", "_")
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(2)
	t.Cleanup(func() {
		db.Close()
		if _, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			t.Logf("drop test database: %v", err)
		}
	})
	return u.String(), db
}

// proc is a gradjudge process of a multi-process test, its JSON logs kept.
type proc struct {
	name string
	cmd  *exec.Cmd
	logs syncBuffer
	mu   sync.Mutex
	seen map[string]map[string]any // the first log line of each message
	line chan struct{}             // closed and replaced at every log line
	exit chan struct{}             // closed when the process has exited
}

// startProc starts bin with args and env added to the environment, killed when t ends.
func startProc(t *testing.T, bin, name string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, cmd: exec.Command(bin, args...), seen: map[string]map[string]any{},
		line: make(chan struct{}), exit: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go p.scan(stderr)
	t.Cleanup(func() { p.signal(syscall.SIGKILL); <-p.exit })
	return p
}

func (p *proc) scan(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		p.logs.Write(append(sc.Bytes(), '\n'))
		var line map[string]any
		_ = json.Unmarshal(sc.Bytes(), &line)
		p.mu.Lock()
		if msg, _ := line["msg"].(string); msg != "" && p.seen[msg] == nil {
			p.seen[msg] = line
		}
		close(p.line)
		p.line = make(chan struct{})
		p.mu.Unlock()
	}
	p.cmd.Wait()
	close(p.exit)
}

// await waits, bounded, for the log line msg and returns it.
func (p *proc) await(t *testing.T, msg string, within time.Duration) map[string]any {
	t.Helper()
	deadline := time.After(within)
	for {
		p.mu.Lock()
		line, next := p.seen[msg], p.line
		p.mu.Unlock()
		if line != nil {
			return line
		}
		select {
		case <-next:
		case <-p.exit:
			t.Fatalf("%s exited (%v) before logging %q:\n%s", p.name, p.cmd.ProcessState, msg, p.logs.String())
		case <-deadline:
			t.Fatalf("%s logged no %q in %v:\n%s", p.name, msg, within, p.logs.String())
		}
	}
}

// signal sends sig unless the process has exited.
func (p *proc) signal(sig syscall.Signal) {
	select {
	case <-p.exit:
	default:
		p.cmd.Process.Signal(sig)
	}
}

// kill sends SIGKILL and waits for the process to end.
func (p *proc) kill() {
	p.signal(syscall.SIGKILL)
	<-p.exit
}

// stop sends SIGTERM and returns the exit code, bounded by within.
func (p *proc) stop(t *testing.T, within time.Duration) int {
	t.Helper()
	p.signal(syscall.SIGTERM)
	select {
	case <-p.exit:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(within):
		t.Fatalf("%s still running %v after SIGTERM:\n%s", p.name, within, p.logs.String())
		return -1
	}
}
