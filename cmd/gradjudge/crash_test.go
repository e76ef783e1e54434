package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/exercises"
)

// buildBinary builds gradjudge into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gradjudge")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// serveProcess is `gradjudge serve` running in its own process.
type serveProcess struct {
	cmd  *exec.Cmd
	base string
}

// startProcess starts the binary on a free port with dataDir and more flags, and waits for its
// "serving" line.
func startProcess(t *testing.T, bin, dataDir string, more ...string) *serveProcess {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir,
		"--init-admin", "admin@example.edu", "--submit-per-minute", "-1", "--code=false"}, more...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "GRADJUDGE_INIT_ADMIN_PASSWORD="+testAdminPassword)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd}
	t.Cleanup(func() { p.kill() })
	addr := make(chan string, 1)
	go scanServing(stderr, addr)
	select {
	case a := <-addr:
		p.base = "http://" + a
	case <-time.After(60 * time.Second):
		t.Fatal("the server did not start in 60 s")
	}
	return p
}

// scanServing sends the address of the "serving" log line, then drains the logs.
func scanServing(r io.Reader, addr chan<- string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var line struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving" {
			addr <- line.Addr
		}
	}
}

func (p *serveProcess) kill() {
	if p.cmd.ProcessState == nil {
		p.cmd.Process.Signal(syscall.SIGKILL)
		p.cmd.Wait()
	}
}

// TestCrashLosesNothing kills a serve process with SIGKILL in the middle of a stream of
// submissions. After a restart on the same data directory, every acknowledged submission is
// there and judged, each exactly once; a client retrying its unacknowledged requests with their
// Idempotency-Key makes no duplicates.
//
// "queue" runs the first server with --inline-judging=false, so that the kill finds submissions
// queued and judging in River's durable queue, and restarts with the default: the queue left
// behind is judged while new answers are graded inline. "inline" crashes the default server,
// whose submissions commit with their verdicts.
func TestCrashLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs four servers")
	}
	bin := buildBinary(t)
	t.Run("queue", func(t *testing.T) { testCrash(t, bin, false, "--inline-judging=false") })
	t.Run("inline", func(t *testing.T) { testCrash(t, bin, true) })
}

// testCrash kills the server bin started with flags, and restarts it with the default flags.
// inline says whether the first server acknowledges submissions with their verdict.
func testCrash(t *testing.T, bin string, inline bool, flags ...string) {
	dataDir := t.TempDir()
	p := startProcess(t, bin, dataDir, flags...)
	cp, student := crashSetup(t, p.base)
	answers := crashAnswers(t, student, cp)

	acked, failed := submitUntilKilled(t, student, cp, answers, p)
	if len(acked) < 20 {
		t.Fatalf("only %d submissions acknowledged before the kill", len(acked))
	}
	t.Logf("killed with %d acknowledged and %d unacknowledged submissions", len(acked), len(failed))
	for key, a := range acked {
		if a.done != inline {
			t.Fatalf("submission %d (%s) acknowledged done=%v; want %v", a.id, key, a.done, inline)
		}
	}

	p = startProcess(t, bin, dataDir)
	student.base = p.base
	for key := range failed { // the client retries what it never heard back about
		student.call("POST", cp+"/exercises/chain-rule-multiply/submissions", map[string]any{"fields": answers[keyIndex(key)%2]}, nil, "Idempotency-Key", key)
	}
	for key, a := range acked {
		s := waitJudged(t, student, a.id)
		if s.Verdict == nil || s.Verdict.Status == "internal_error" {
			t.Errorf("submission %d (%s) verdict %+v", a.id, key, s.Verdict)
		}
	}
	checkExactlyOnce(t, student, cp, len(acked)+len(failed))
}

func crashSetup(t *testing.T, base string) (string, *client) {
	admin := login(t, base, "admin@example.edu", testAdminPassword)
	admin.must(201, "POST", "/api/v1/users", map[string]string{"email": "s@example.edu", "role": "student", "password": "password-s"}, nil)
	var course idDTO
	admin.must(201, "POST", "/api/v1/courses", map[string]any{"title": "Crash", "exercise_ids": []string{"chain-rule-multiply"}}, &course)
	cp := fmt.Sprintf("/api/v1/courses/%d", course.ID)
	admin.must(201, "POST", cp+"/enrollments", map[string]string{"email": "s@example.edu", "role": "student"}, nil)
	return cp, login(t, base, "s@example.edu", "password-s")
}

// crashAnswers returns the student's right answer and a wrong one with a misconception tag.
func crashAnswers(t *testing.T, c *client, cp string) [2]map[string]any {
	var v variantDTO
	c.must(200, "GET", cp+"/exercises/chain-rule-multiply", nil, &v)
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	right, wrong, _ := answers(t, cat, "chain-rule-multiply", v.Seed)
	return [2]map[string]any{right, wrong}
}

func keyIndex(key string) int {
	var i int
	fmt.Sscanf(key, "k%d", &i)
	return i
}

// submitUntilKilled streams submissions from 8 clients and SIGKILLs the server after 100
// acknowledgements, with requests still in flight. It returns the acknowledged keys with their
// submission ids and the keys whose request failed.
func submitUntilKilled(t *testing.T, c *client, cp string, answers [2]map[string]any, p *serveProcess) (map[string]crashAck, map[string]bool) {
	var mu sync.Mutex
	acked, failed := map[string]crashAck{}, map[string]bool{}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var next int
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				mu.Lock()
				key := fmt.Sprintf("k%d", next)
				next++
				mu.Unlock()
				ack, err := rawSubmit(c, cp, answers[keyIndex(key)%2], key)
				mu.Lock()
				if err != nil {
					failed[key] = true
				} else {
					acked[key] = ack
					if len(acked) == 100 {
						p.kill()
					}
				}
				mu.Unlock()
				if err != nil {
					stop() // the server is gone
				}
			}
		}()
	}
	wg.Wait()
	return acked, failed
}

// crashAck is an acknowledged submission: its id, and whether it came back judged.
type crashAck struct {
	id   int64
	done bool
}

// rawSubmit posts one answer; any failure to get a 2xx acknowledgement is an error.
func rawSubmit(c *client, cp string, fields map[string]any, key string) (crashAck, error) {
	b, _ := json.Marshal(map[string]any{"fields": fields})
	req, _ := http.NewRequest("POST", c.base+cp+"/exercises/chain-rule-multiply/submissions", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return crashAck{}, err
	}
	defer resp.Body.Close()
	var ack struct {
		ID     int64
		Status string
	}
	if err := json.NewDecoder(resp.Body).Decode(&ack); err != nil || resp.StatusCode >= 300 || ack.ID == 0 {
		return crashAck{}, fmt.Errorf("status %d, %v", resp.StatusCode, err)
	}
	return crashAck{id: ack.ID, done: ack.Status == "done"}, nil
}

// checkExactlyOnce compares the student's submissions with their progress: one attempt per judged
// submission and one misconception event per tag of each verdict. A submission judged twice would
// count twice.
func checkExactlyOnce(t *testing.T, c *client, cp string, keys int) {
	var all []submissionDTO
	before := ""
	for {
		var page struct{ Submissions []submissionDTO }
		c.must(200, "GET", cp+"/submissions?limit=500"+before, nil, &page)
		all = append(all, page.Submissions...)
		if len(page.Submissions) < 500 {
			break
		}
		before = fmt.Sprintf("&before=%d", page.Submissions[len(page.Submissions)-1].ID)
	}
	if len(all) != keys {
		t.Errorf("%d submissions stored for %d idempotency keys", len(all), keys)
	}
	attempts, tags := 0, 0
	for _, s := range all {
		s = waitJudged(t, c, s.ID)
		if gradjudge.Status(s.Verdict.Status).CountsAsAttempt() {
			attempts++
		}
		tags += len(s.Verdict.Misconceptions)
	}
	var p struct {
		Exercises      []struct{ Attempts int }
		Misconceptions []struct {
			SubmissionID int64 `json:"submission_id"`
		}
	}
	c.must(200, "GET", cp+"/progress", nil, &p)
	if len(p.Exercises) != 1 || p.Exercises[0].Attempts != attempts || len(p.Misconceptions) != tags {
		t.Errorf("progress counts %+v attempts and %d misconception events; the verdicts give %d and %d",
			p.Exercises, len(p.Misconceptions), attempts, tags)
	}
}
