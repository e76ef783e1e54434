package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"gradjudge/exercises"
)

// loadExercise is the exercise the load generator answers: three asked quantities, diagnosis on
// wrong answers.
const loadExercise = "chain-rule-multiply"

// LoadConfig configures one load run.
type LoadConfig struct {
	URL         string        // a running server; empty starts one in-process on a temporary SQLite
	DataDir     string        // where the in-process server's temporary directory goes; empty: os.TempDir
	AdminEmail  string        // with URL: an admin account that may create users and courses
	AdminPass   string        //
	Duration    time.Duration // how long to submit
	Count       int           // when positive, stop after this many submissions (or Duration)
	Concurrency int           // clients submitting at once, each waiting for its verdict
	Users       int           // students the submissions are spread over
	// NoWait measures acknowledgements (stored and queued, 202) instead of verdicts.
	NoWait bool
}

// LoadReport is what one load run measured: submissions acknowledged with their verdict (graded and
// stored), per second, and the latency from request to verdict.
type LoadReport struct {
	What           string // what was counted
	Judged, Errors int64
	Elapsed        time.Duration
	PerSecond      float64
	P50, P90, P99  time.Duration
	Max            time.Duration
	// CPUPer is the process's CPU time (user and system, all cores) per counted submission
	// during the run: the in-process server's and the client's. It varies less than PerSecond
	// on a machine whose cores other work shares; zero with --url or where unavailable.
	CPUPer     time.Duration
	FirstError string
}

func (r LoadReport) String() string {
	s := fmt.Sprintf("%d %s in %.2fs: %.0f/s; latency p50 %v, p90 %v, p99 %v, max %v; %d errors",
		r.Judged, r.What, r.Elapsed.Seconds(), r.PerSecond, r.P50.Round(10*time.Microsecond), r.P90.Round(10*time.Microsecond),
		r.P99.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond), r.Errors)
	if r.CPUPer > 0 {
		s += fmt.Sprintf("; %v CPU per submission", r.CPUPer.Round(time.Microsecond))
	}
	if r.FirstError != "" {
		s += " (first: " + r.FirstError + ")"
	}
	return s
}

func runLoadgen(ctx context.Context, s stdio, args []string) int {
	fs := newFlagSet(s, "loadgen", "[flags]", `
Measures numeric submissions graded and stored per second, and the latency from request to
verdict (?wait=true). Without --url it starts a server in-process on a temporary SQLite database
with no rate limit, configured by the GRADJUDGE_* variables of 'gradjudge serve'; with --url it
loads a running server (start it with --submit-per-minute -1).`)
	c := LoadConfig{Duration: 10 * time.Second, Concurrency: 32, Users: 50}
	fs.StringVar(&c.URL, "url", "", "base URL of a running server (default: start one in-process)")
	fs.StringVar(&c.DataDir, "data-dir", "", "without --url: the parent of the in-process server's temporary data directory (e.g. /dev/shm to leave out the disk)")
	fs.StringVar(&c.AdminEmail, "admin-email", "admin@example.edu", "with --url: an admin account")
	fs.StringVar(&c.AdminPass, "admin-password", os.Getenv("GRADJUDGE_INIT_ADMIN_PASSWORD"), "with --url: its password [$GRADJUDGE_INIT_ADMIN_PASSWORD]")
	fs.DurationVar(&c.Duration, "duration", c.Duration, "how long to submit")
	fs.IntVar(&c.Concurrency, "concurrency", c.Concurrency, "clients submitting at once")
	fs.IntVar(&c.Users, "users", c.Users, "students the submissions are spread over")
	fs.BoolVar(&c.NoWait, "no-wait", false, "measure acknowledgements (stored and queued) instead of verdicts")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run (client and in-process server) to this file")
	if _, code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintf(s.err, "gradjudge loadgen: %v\n", err)
			return 1
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	r, err := RunLoad(ctx, c, s.err)
	if err != nil {
		fmt.Fprintf(s.err, "gradjudge loadgen: %v\n", err)
		return 1
	}
	fmt.Fprintln(s.out, r)
	return 0
}

// RunLoad runs the load c describes; logs of an in-process server go to logs.
func RunLoad(ctx context.Context, c LoadConfig, logs io.Writer) (LoadReport, error) {
	inProcess := c.URL == ""
	if inProcess {
		dir, err := os.MkdirTemp(c.DataDir, "gradjudge-loadgen-")
		if err != nil {
			return LoadReport{}, err
		}
		defer os.RemoveAll(dir)
		m := NewMain(stdio{err: logs})
		c.AdminEmail, c.AdminPass = "admin@example.edu", "loadgen-admin-password"
		m.LookupEnv = func(k string) (string, bool) { // GRADJUDGE_* variables configure the server
			if k == "GRADJUDGE_INIT_ADMIN_PASSWORD" {
				return c.AdminPass, true
			}
			return os.LookupEnv(k)
		}
		err = m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--data-dir", dir, "--init-admin", c.AdminEmail,
			"--submit-per-minute", "-1", "--log-level", "warn", "--code=false"})
		if err != nil {
			return LoadReport{}, err
		}
		if err := m.Run(ctx); err != nil {
			m.Close()
			return LoadReport{}, err
		}
		defer m.Close()
		c.URL = m.URL()
	}
	lc := &loadClient{base: c.URL, http: &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: c.Concurrency}}}
	students, err := lc.setup(ctx, c)
	if err != nil {
		return LoadReport{}, err
	}
	cpu := processCPU()
	r := lc.run(ctx, c, students)
	if used := processCPU() - cpu; inProcess && r.Judged > 0 {
		r.CPUPer = used / time.Duration(r.Judged)
	}
	r.What = "numeric submissions graded and stored"
	if c.NoWait {
		r.What = "numeric submissions stored and queued (acknowledged)"
	}
	return r, nil
}

type loadClient struct {
	base string
	http *http.Client
}

// loadStudent is one student with the course path and their variant's right and wrong answers.
type loadStudent struct {
	token   string
	path    string
	answers [2]map[string]any
}

// call sends a JSON request and decodes a 2xx JSON answer into out.
func (lc *loadClient) call(ctx context.Context, token, method, path string, body, out any) error {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, method, lc.base+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := lc.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return &statusError{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"),
			msg: fmt.Sprintf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(raw))}
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// statusError is an answer of the server other than a success.
type statusError struct {
	status     int
	retryAfter string // the Retry-After header, if any
	msg        string
}

func (e *statusError) Error() string { return e.msg }

// login signs in, waiting as the server asks when it limits sign-ins (per client address: all
// of loadgen's students sign in from one).
func (lc *loadClient) login(ctx context.Context, email, password string) (string, error) {
	for {
		var tok struct{ Token string }
		err := lc.call(ctx, "", "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password}, &tok)
		var se *statusError
		if !errors.As(err, &se) || se.status != http.StatusTooManyRequests {
			return tok.Token, err
		}
		wait, perr := strconv.Atoi(se.retryAfter)
		if perr != nil || wait < 1 {
			wait = 1
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(time.Duration(wait) * time.Second):
		}
	}
}

// setup creates a course and c.Users students enrolled in it, and works out each student's answers.
func (lc *loadClient) setup(ctx context.Context, c LoadConfig) ([]loadStudent, error) {
	admin, err := lc.login(ctx, c.AdminEmail, c.AdminPass)
	if err != nil {
		return nil, err
	}
	var course struct{ ID int64 }
	if err := lc.call(ctx, admin, "POST", "/api/v1/courses", map[string]any{"title": "loadgen", "exercise_ids": []string{loadExercise}}, &course); err != nil {
		return nil, err
	}
	cat, err := exercises.Load()
	if err != nil {
		return nil, err
	}
	path := fmt.Sprintf("/api/v1/courses/%d", course.ID)
	run := time.Now().UnixNano()
	students := make([]loadStudent, c.Users)
	for i := range students {
		if students[i], err = lc.newStudent(ctx, admin, path, fmt.Sprintf("load-%d-%d@example.edu", run, i), cat, c.NoWait); err != nil {
			return nil, err
		}
	}
	return students, nil
}

func (lc *loadClient) newStudent(ctx context.Context, admin, path, email string, cat *exercises.Catalog, noWait bool) (loadStudent, error) {
	const password = "loadgen-password"
	err := lc.call(ctx, admin, "POST", "/api/v1/users", map[string]string{"email": email, "role": "student", "password": password}, nil)
	if err == nil {
		err = lc.call(ctx, admin, "POST", path+"/enrollments", map[string]string{"email": email, "role": "student"}, nil)
	}
	st := loadStudent{path: path + "/exercises/" + loadExercise + "/submissions?wait=true"}
	if noWait {
		st.path = path + "/exercises/" + loadExercise + "/submissions"
	}
	if err == nil {
		st.token, err = lc.login(ctx, email, password)
	}
	var v struct {
		Seed uint64 `json:"seed,string"`
	}
	if err == nil {
		err = lc.call(ctx, st.token, "GET", path+"/exercises/"+loadExercise, nil, &v)
	}
	if err == nil {
		st.answers, err = loadAnswers(cat, v.Seed)
	}
	return st, err
}

// loadAnswers is the right answer of a variant and the answer of its first tagged misconception.
func loadAnswers(cat *exercises.Catalog, seed uint64) ([2]map[string]any, error) {
	in, err := cat.Instance(loadExercise, seed)
	if err != nil {
		return [2]map[string]any{}, err
	}
	right, wrong := map[string]any{}, map[string]any{}
	for i, q := range in.Exercise.Quantities {
		right[q.ID], wrong[q.ID] = in.Answers[i].Nested(), in.Answers[i].Nested()
	}
	for _, p := range in.Predictions() {
		if p.Tag != "" && !p.Slip {
			for i, q := range in.Exercise.Quantities {
				if p.Answers[i].Data != nil {
					wrong[q.ID] = p.Answers[i].Nested()
				}
			}
			break
		}
	}
	return [2]map[string]any{{"fields": right}, {"fields": wrong}}, nil
}

// run submits from c.Concurrency clients for c.Duration, half right and half wrong answers, each
// waiting for its verdict, and reports throughput and latency.
func (lc *loadClient) run(ctx context.Context, c LoadConfig, students []loadStudent) LoadReport {
	ctx, cancel := context.WithTimeout(ctx, c.Duration)
	defer cancel()
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      atomic.Int64
		firstErr  atomic.Value
		seq       atomic.Int64
		wg        sync.WaitGroup
	)
	start := time.Now()
	for range c.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for ctx.Err() == nil {
				n := seq.Add(1)
				if c.Count > 0 && n > int64(c.Count) {
					break
				}
				st := students[int(n)%len(students)]
				t0 := time.Now()
				var sub struct{ Status string }
				err := lc.call(ctx, st.token, "POST", st.path, st.answers[n%2], &sub)
				switch {
				case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil:
				case err == nil && (sub.Status == "done" || c.NoWait):
					mine = append(mine, time.Since(t0))
				default:
					errs.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprint(err, " status ", sub.Status))
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return report(latencies, time.Since(start), errs.Load(), firstErr.Load())
}

func report(lat []time.Duration, elapsed time.Duration, errs int64, firstErr any) LoadReport {
	slices.Sort(lat)
	r := LoadReport{Judged: int64(len(lat)), Errors: errs, Elapsed: elapsed, PerSecond: float64(len(lat)) / elapsed.Seconds()}
	if s, ok := firstErr.(string); ok {
		r.FirstError = s
	}
	if len(lat) > 0 {
		q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
		r.P50, r.P90, r.P99, r.Max = q(0.50), q(0.90), q(0.99), lat[len(lat)-1]
	}
	return r
}
