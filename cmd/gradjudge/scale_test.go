package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gradjudge/exercises"
)

// scaleClients is how many clients submit at once, as the issue that asked for this test measured.
const scaleClients = 48

// busyLoop is a code answer that never returns: its judging runs until the run time limit, long
// enough to kill the worker judging it.
const busyLoop = `package solution

func Backward(x, w, b, y float64) (dw, db float64) {
	for x == x {
		w += 1
	}
	return w, b
}
`

// scaleEnv is the topology: two API processes and the worker processes, on one PostgreSQL
// database, started from one binary with one JWT secret.
type scaleEnv struct {
	t       *testing.T
	bin     string
	env     []string
	db      *sql.DB
	apis    [2]*proc
	bases   [2]string
	workers []*proc
	right   map[string]any // the right answer to the numeric exercise's variant
}

// TestScaleOutPostgres runs 2 API processes (serve --no-workers) and 3 worker processes on one
// PostgreSQL database, with every answer judged through the queue, and applies the faults of a
// multi-machine deployment: while 48 clients submit (?wait=true, each with an Idempotency-Key), a
// worker is SIGKILLed mid-judging and an API is SIGKILLed mid-flood (its clients retry on the
// other API with the same key); then the worker judging a slow code answer is SIGKILLed (the time
// until another worker judges it again is measured) and the next one SIGTERMed (it puts the job
// back and exits 0); then every worker is SIGKILLed with a queue left, and new ones started. In
// the end no acknowledged submission is lost, none is stored or counted twice, none is stuck,
// and no request got a 5xx, not even a 503 busy: the API queues for its connections instead.
func TestScaleOutPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs seven processes on PostgreSQL")
	}
	url, db := newPostgresDB(t)
	e := &scaleEnv{t: t, bin: buildBinary(t), db: db, env: []string{
		"GRADJUDGE_DATABASE_URL=" + url, "GRADJUDGE_JWT_SECRET=" + strings.Repeat("5ca1e0ut", 8),
		"GRADJUDGE_INIT_ADMIN_PASSWORD=" + testAdminPassword,
	}}
	e.startAPI(0, "--init-admin", "admin@example.edu")
	e.startAPI(1)
	for range 3 {
		e.startWorker()
	}
	cp, students := e.setup()
	stopSampling := make(chan struct{})
	peak := e.sample(stopSampling)
	ack := &acks{}
	before := e.scrapePool(1)
	e.flood(ack, cp, students, 8*time.Second, false)
	perAnswer := float64(e.scrapePool(1).acquires-before.acquires) / float64(max(ack.answered[1], 1))
	steady50, steady99 := ack.percentile(0.5), ack.percentile(0.99)
	faulty := &acks{}
	e.flood(faulty, cp, students, 16*time.Second, true)
	ack.add(faulty)
	requeue := e.killSlowJob(cp, students[0])
	e.killEveryWorker(cp, students, ack)
	e.check(ack)
	close(stopSampling)
	pool, most := e.scrapePool(1), <-peak
	// At most 2 APIs and 3 workers ran at once (4 for a moment while one was being replaced).
	if budget := 2*serveMaxConns + 4*workerMaxConns; most.conns > budget {
		t.Errorf("%d connections at once, over the budget of %d", most.conns, budget)
	}
	t.Logf("%d clients, numeric answers through the queue: %d acknowledged (%d without their verdict in 30 s), %d 5xx, %d busy (503); "+
		"latency p50 %v p99 %v without faults, p50 %v p99 %v while a worker and an API are killed (%d requests retried on the other API); "+
		"a killed worker's job judged again after %v; at most %d database connections at once; load average up to %.1f; "+
		"API 1: %.1f connection acquires per answer, longest wait for a connection %v, %v waited in all, %d refused",
		scaleClients, len(ack.ids), ack.pending, ack.status5xx, ack.busy, steady50.Round(time.Millisecond), steady99.Round(time.Millisecond),
		faulty.percentile(0.5).Round(time.Millisecond), faulty.percentile(0.99).Round(time.Millisecond), ack.retried, requeue.Round(100*time.Millisecond),
		most.conns, most.load, perAnswer, pool.longest.Round(time.Millisecond), pool.waited.Round(time.Millisecond), pool.refused)
}

func (e *scaleEnv) startAPI(i int, more ...string) {
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", e.t.TempDir(), "--no-workers",
		"--inline-judging=false", "--submit-per-minute", "-1", "--code=false", "--max-wait", "30s"}, more...)
	e.apis[i] = startProc(e.t, e.bin, fmt.Sprintf("api%d", i), e.env, args...)
	e.bases[i] = "http://" + e.apis[i].await(e.t, "serving", 60*time.Second)["addr"].(string)
}

// startWorker starts a worker whose code judging runs a busy loop for 20 s before time_limit.
func (e *scaleEnv) startWorker() *proc {
	w := startProc(e.t, e.bin, fmt.Sprintf("worker%d", len(e.workers)), e.env,
		"worker", "--code-run-time", "20s", "--shutdown-timeout", "1s")
	w.await(e.t, "judging", 180*time.Second) // the code judge warms its build cache first
	e.workers = append(e.workers, w)
	return w
}

// setup creates a course with a numeric and a code exercise and one student per client, each
// signed in once: a token is good on both APIs.
func (e *scaleEnv) setup() (string, []*client) {
	admin := login(e.t, e.bases[0], "admin@example.edu", testAdminPassword)
	var course idDTO
	admin.must(201, "POST", "/api/v1/courses", map[string]any{"title": "Scale", "exercise_ids": []string{"chain-rule-multiply", codeExercise}}, &course)
	cp := fmt.Sprintf("/api/v1/courses/%d", course.ID)
	students := make([]*client, scaleClients)
	for i := range students {
		email := fmt.Sprintf("s%d@example.edu", i)
		admin.must(201, "POST", "/api/v1/users", map[string]string{"email": email, "role": "student", "password": "password-" + email}, nil)
		admin.must(201, "POST", cp+"/enrollments", map[string]string{"email": email, "role": "student"}, nil)
		students[i] = login(e.t, e.bases[i%2], email, "password-"+email)
	}
	return cp, students
}

// acks is what the clients heard back.
type acks struct {
	mu        sync.Mutex
	ids       []int64         // acknowledged submissions
	keys      int             // idempotency keys used
	latencies []time.Duration // of answers acknowledged with their verdict
	status5xx int             // 5xx other than 503
	first5xx  string          // the status and body of the first 5xx, a 503 included
	// busy counts 503s: a full connection pool's answer, with Retry-After, which a client honours
	// by sending the same answer again after a second. The API must not need it at this load:
	// any is a failure, but the answer is retried so that the other counts stay meaningful.
	busy     int
	answered [2]int // requests answered (any status) by each API
	retried  int    // requests that failed in transport (their API died) and were sent again
	pending  int    // answers acknowledged without their verdict (202)
}

// add adds what b heard to a.
func (a *acks) add(b *acks) {
	a.ids, a.keys, a.latencies = append(a.ids, b.ids...), a.keys+b.keys, append(a.latencies, b.latencies...)
	a.status5xx, a.retried, a.pending = a.status5xx+b.status5xx, a.retried+b.retried, a.pending+b.pending
	a.busy += b.busy
	a.answered[0], a.answered[1] = a.answered[0]+b.answered[0], a.answered[1]+b.answered[1]
	if a.first5xx == "" {
		a.first5xx = b.first5xx
	}
}

func (a *acks) percentile(p float64) time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.latencies) == 0 {
		return 0
	}
	s := slices.Clone(a.latencies)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

// flood submits from every client for d, each waiting for its verdict before the next answer.
// With faults it SIGKILLs a worker after d/4 and API 0 after d/2.
func (e *scaleEnv) flood(a *acks, cp string, students []*client, d time.Duration, faults bool) {
	cat, err := exercises.Load()
	if err != nil {
		e.t.Fatal(err)
	}
	var v variantDTO
	students[0].must(200, "GET", cp+"/exercises/chain-rule-multiply", nil, &v)
	right, wrong, _ := answers(e.t, cat, "chain-rule-multiply", v.Seed)
	e.right = right
	down := make(chan struct{})
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var wg sync.WaitGroup
	for i, s := range students {
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				fields := [2]map[string]any{right, wrong}[n%2]
				e.submit(a, s, (i+n)%2, down, cp, fields, fmt.Sprintf("%v-c%d-%d", faults, i, n))
			}
		})
	}
	if faults {
		time.Sleep(d / 4)
		e.workers[0].kill()
		time.Sleep(d / 4)
		e.apis[0].kill()
		close(down)
	}
	wg.Wait()
}

// submit sends one numeric answer with key to API api (API 1 once down is closed), and again to
// the other API, same key, while the transport fails.
func (e *scaleEnv) submit(a *acks, c *client, api int, down chan struct{}, cp string, fields map[string]any, key string) {
	a.mu.Lock()
	a.keys++
	a.mu.Unlock()
	for {
		select {
		case <-down:
			api = 1
		default:
		}
		start := time.Now()
		status, s, err := postAnswer(e.bases[api], c.token, cp+"/exercises/chain-rule-multiply/submissions?wait=true&timeout=30", fields, key)
		a.mu.Lock()
		switch {
		case err != nil:
			a.retried++
			api = 1 - api
		case status == http.StatusServiceUnavailable:
			a.busy++
		case status >= 500:
			a.status5xx++
		}
		if err == nil {
			a.answered[api]++
		}
		if status >= 500 && a.first5xx == "" {
			a.first5xx = fmt.Sprintf("%d %+v", status, s)
		}
		switch {
		case err == nil && status < 300:
			a.ids = append(a.ids, s.ID)
			if s.Status == "done" {
				a.latencies = append(a.latencies, time.Since(start))
			} else {
				a.pending++
			}
		}
		a.mu.Unlock()
		if status == http.StatusServiceUnavailable {
			time.Sleep(time.Second) // the server's Retry-After
			continue
		}
		if err == nil {
			return
		}
	}
}

// postAnswer posts fields with an Idempotency-Key; err is a transport failure.
func postAnswer(base, token, path string, fields map[string]any, key string) (int, submissionDTO, error) {
	b, _ := json.Marshal(map[string]any{"fields": fields})
	req, _ := http.NewRequest("POST", base+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		return 0, submissionDTO{}, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var s submissionDTO
	json.Unmarshal(raw, &s)
	if resp.StatusCode >= 500 {
		s.Status = string(raw) // for the report
	}
	return resp.StatusCode, s, nil
}
