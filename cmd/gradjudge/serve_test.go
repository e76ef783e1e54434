package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/exercises"
)

const testAdminPassword = "admin-password-1"

// syncBuffer is a bytes.Buffer safe for the server's concurrent log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// startMain runs the real Main on :0 with a fresh SQLite database in dataDir and an admin.
func startMain(t *testing.T, dataDir string, change func(*ServeConfig)) *Main {
	t.Helper()
	return startMainWith(t, dataDir, func(m *Main) {
		if change != nil {
			change(&m.Config)
		}
	})
}

// startMainWith is startMain with change applied to the whole Main (its clock, say) before Run.
func startMainWith(t *testing.T, dataDir string, change func(*Main)) *Main {
	t.Helper()
	logs := &syncBuffer{}
	m := NewMain(stdio{in: strings.NewReader(""), err: logs})
	m.LookupEnv = func(k string) (string, bool) {
		if k == "GRADJUDGE_INIT_ADMIN_PASSWORD" {
			return testAdminPassword, true
		}
		return "", false
	}
	if err := m.ParseFlags([]string{"--addr", ":0", "--data-dir", dataDir, "--init-admin", "admin@example.edu"}); err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(m)
	}
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		t.Fatalf("Run: %v\nlogs:\n%s", err, logs)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if t.Failed() {
			t.Logf("server logs:\n%s", logs)
		}
	})
	return m
}

// client calls the API of one server as one user.
type client struct {
	t     *testing.T
	base  string
	token string
}

// call sends body (JSON-encoded unless a string) and decodes a JSON answer into out (when not
// nil). It returns the status and the raw body.
func (c *client) call(method, path string, body, out any, headers ...string) (int, string) {
	c.t.Helper()
	var r io.Reader
	if s, ok := body.(string); ok {
		r = strings.NewReader(s)
	} else if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: decoding %s: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode, string(raw)
}

// must is call that fails the test unless the status is want.
func (c *client) must(want int, method, path string, body, out any, headers ...string) string {
	c.t.Helper()
	got, raw := c.call(method, path, body, out, headers...)
	if got != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, got, want, raw)
	}
	return raw
}

func login(t *testing.T, base, email, password string) *client {
	t.Helper()
	var tok struct{ Token string }
	(&client{t: t, base: base}).must(200, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password}, &tok)
	return &client{t: t, base: base, token: tok.Token}
}

// wire types as a client sees them
type (
	idDTO         struct{ ID int64 }
	submissionDTO struct {
		ID      int64
		UserID  int64 `json:"user_id"`
		Status  string
		Verdict *struct {
			Status         string
			Score          float64
			Feedback       []string
			Misconceptions []struct{ Tag, Title string }
		}
	}
	tagCount struct {
		Tag      string
		Students int
	}
	variantDTO struct {
		ID, Kind   string
		Seed       uint64 `json:"seed,string"` // a string on the wire
		Quantities []struct{ ID string }
	}
)

// answers returns the right answer of a numeric exercise's variant and the answer of the first
// tagged misconception with its tag, from the catalog: the test's oracle.
func answers(t *testing.T, cat *exercises.Catalog, id string, seed uint64) (right, wrong map[string]any, tag string) {
	t.Helper()
	in, err := cat.Instance(id, seed)
	if err != nil {
		t.Fatal(err)
	}
	right = map[string]any{}
	for i, q := range in.Exercise.Quantities {
		right[q.ID] = in.Answers[i].Nested()
	}
	for _, p := range in.Predictions() {
		if p.Tag == "" || p.Slip {
			continue
		}
		wrong = map[string]any{}
		for i, q := range in.Exercise.Quantities {
			wrong[q.ID] = right[q.ID]
			if p.Answers[i].Data != nil {
				wrong[q.ID] = p.Answers[i].Nested()
			}
		}
		return right, wrong, p.Tag
	}
	t.Fatalf("%s has no tagged prediction", id)
	return
}

func TestServeEndToEnd(t *testing.T) {
	m := startMain(t, t.TempDir(), nil)
	base := m.URL()
	admin := login(t, base, "admin@example.edu", testAdminPassword)
	for _, u := range []struct{ email, role string }{
		{"inst@example.edu", "instructor"}, {"ta@example.edu", "student"},
		{"alice@example.edu", "student"}, {"bob@example.edu", "student"},
	} {
		admin.must(201, "POST", "/api/v1/users", map[string]string{"email": u.email, "name": strings.Split(u.email, "@")[0], "role": u.role, "password": "password-" + u.email}, nil)
	}
	inst := login(t, base, "inst@example.edu", "password-inst@example.edu")
	alice := login(t, base, "alice@example.edu", "password-alice@example.edu")
	bob := login(t, base, "bob@example.edu", "password-bob@example.edu")
	ta := login(t, base, "ta@example.edu", "password-ta@example.edu")

	const ex = "chain-rule-multiply"
	var course idDTO
	inst.must(201, "POST", "/api/v1/courses", map[string]any{"title": "Backpropagation", "exercise_ids": []string{ex, "fan-out"}}, &course)
	cp := fmt.Sprintf("/api/v1/courses/%d", course.ID)
	for email, role := range map[string]string{"alice@example.edu": "student", "bob@example.edu": "student", "ta@example.edu": "ta"} {
		inst.must(201, "POST", cp+"/enrollments", map[string]string{"email": email, "role": role}, nil)
	}
	ta.must(403, "POST", cp+"/enrollments", map[string]string{"email": "bob@example.edu", "role": "instructor"}, nil)
	// The course's only instructor can neither leave it nor demote themselves.
	var instMe idDTO
	inst.must(200, "GET", "/api/v1/me", nil, &instMe)
	inst.must(409, "DELETE", fmt.Sprintf("%s/enrollments/%d", cp, instMe.ID), nil, nil)
	inst.must(409, "POST", cp+"/enrollments", map[string]string{"email": "inst@example.edu", "role": "student"}, nil)

	var mine struct {
		Courses []struct {
			ID   int64
			Role string
		}
	}
	alice.must(200, "GET", "/api/v1/courses", nil, &mine)
	if len(mine.Courses) != 1 || mine.Courses[0].Role != "student" {
		t.Fatalf("alice's courses = %+v", mine)
	}
	var list struct{ Exercises []struct{ ID string } }
	alice.must(200, "GET", cp+"/exercises", nil, &list)
	if len(list.Exercises) != 2 || list.Exercises[0].ID != ex {
		t.Fatalf("exercises = %+v", list)
	}
	var me idDTO
	alice.must(200, "GET", "/api/v1/me", nil, &me)
	var v variantDTO
	alice.must(200, "GET", cp+"/exercises/"+ex, nil, &v)
	if v.Seed != gradjudge.VariantSeed(course.ID, me.ID, ex) || len(v.Quantities) == 0 {
		t.Errorf("alice's variant = %+v, want seed %d", v, gradjudge.VariantSeed(course.ID, me.ID, ex))
	}
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	right, wrong, tag := answers(t, cat, ex, v.Seed)

	// A wrong answer, judged with ?wait=true, earns its misconception tag.
	var sub submissionDTO
	alice.must(200, "POST", cp+"/exercises/"+ex+"/submissions?wait=true", map[string]any{"fields": wrong}, &sub)
	if sub.Verdict == nil || sub.Verdict.Status == "accepted" || len(sub.Verdict.Misconceptions) == 0 || sub.Verdict.Misconceptions[0].Tag != tag {
		t.Fatalf("wrong answer verdict = %+v, want tag %s", sub.Verdict, tag)
	}
	// The right answer, sent without waiting, is acknowledged and judged in the background.
	var ack submissionDTO
	code, body := alice.call("POST", cp+"/exercises/"+ex+"/submissions", map[string]any{"fields": right}, &ack, "Idempotency-Key", "right-1")
	if code != 202 && code != 200 {
		t.Fatalf("submit: %d %s", code, body)
	}
	var again submissionDTO
	alice.call("POST", cp+"/exercises/"+ex+"/submissions", map[string]any{"fields": right}, &again, "Idempotency-Key", "right-1")
	if again.ID != ack.ID {
		t.Errorf("an idempotent retry made submission %d, want %d", again.ID, ack.ID)
	}
	done := waitJudgedIn(t, m, alice, ack.ID)
	if done.Verdict.Status != "accepted" || done.Verdict.Score != 1 {
		t.Fatalf("right answer verdict = %+v", done.Verdict)
	}
	bob.must(404, "GET", fmt.Sprintf("/api/v1/submissions/%d", ack.ID), nil, nil)
	ta.must(200, "GET", fmt.Sprintf("/api/v1/submissions/%d", ack.ID), nil, nil)
	bob.must(200, "POST", cp+"/exercises/"+ex+"/submissions?wait=true", map[string]any{"fields": wrong}, nil)

	testCodeSubmission(t, m, inst, alice, cp)
	checkProgressStatsCSV(t, cp, alice, bob, ta, inst, ex, tag, done.UserID)
	checkMetrics(t, base)
}

// waitJudged waits, bounded, until submission id is judged, and returns it as c sees it. For a
// server in another process (the crash tests) there is nothing to wake on: it asks every 20 ms
// until a 30 s deadline and asserts nothing about how long that took. waitJudgedIn waits on a
// signal instead.
func waitJudged(t *testing.T, c *client, id int64) submissionDTO {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		var s submissionDTO
		c.must(200, "GET", fmt.Sprintf("/api/v1/submissions/%d", id), nil, &s)
		if s.Status == "done" {
			return s
		}
		select {
		case <-ctx.Done():
			t.Fatalf("submission %d not judged after 30 s: %+v", id, s)
		case <-tick.C:
		}
	}
}

// waitJudgedIn waits until submission id is judged by m, in this process, and returns it as c
// sees it: m's store wakes the wait when its worker records the verdict.
func waitJudgedIn(t *testing.T, m *Main, c *client, id int64) submissionDTO {
	t.Helper()
	s, err := m.DB.WaitSubmission(t.Context(), id, 30*time.Second)
	if err != nil || s.Status != gradjudge.SubmissionDone {
		t.Fatalf("submission %d: %s, %v; want judged within 30 s", id, s.Status, err)
	}
	var dto submissionDTO
	c.must(200, "GET", fmt.Sprintf("/api/v1/submissions/%d", id), nil, &dto)
	return dto
}

const (
	codeExercise  = "code-neuron-backward"
	codeReference = `package solution

func Backward(x, w, b, y float64) (dw, db float64) {
	z := w*x + b
	a := max(z, 0)
	dL_dz := 0.0
	if z > 0 {
		dL_dz = -2 * (y - a)
	}
	return dL_dz * x, dL_dz
}
`
	codeReluGateIgnored = `package solution

func Backward(x, w, b, y float64) (dw, db float64) {
	z := w*x + b
	a := max(z, 0)
	dL_dz := -2 * (y - a)
	return dL_dz * x, dL_dz
}
`
)

// testCodeSubmission submits Go code to a code exercise in a course of its own: the reference
// solution is accepted, a ReLU backward that ignores the gate earns its tag, code that does not
// compile gets compile_error, and a code answer to a numeric exercise is refused, with numbers
// or without.
func testCodeSubmission(t *testing.T, m *Main, inst, alice *client, cp string) {
	var course idDTO
	inst.must(201, "POST", "/api/v1/courses", map[string]any{"title": "Code", "exercise_ids": []string{codeExercise}}, &course)
	code := fmt.Sprintf("/api/v1/courses/%d", course.ID)
	inst.must(201, "POST", code+"/enrollments", map[string]string{"email": "alice@example.edu", "role": "student"}, nil)
	var v struct{ Signature, Starter string }
	alice.must(200, "GET", code+"/exercises/"+codeExercise, nil, &v)
	if !strings.Contains(v.Signature, "func Backward") || !strings.Contains(v.Starter, "package") {
		t.Errorf("code variant = %+v", v)
	}
	for _, tt := range []struct{ name, src, status, tag string }{
		{"reference", codeReference, "accepted", ""},
		{"relu gate ignored", codeReluGateIgnored, "wrong_answer", "relu-gate-ignored"},
		{"does not compile", "package solution\n\nfunc Backward(x, w, b, y float64) (dw, db float64) { return x }\n", "compile_error", ""},
	} {
		var sub submissionDTO
		alice.must(200, "POST", code+"/exercises/"+codeExercise+"/submissions?wait=true&timeout=60", map[string]string{"code": tt.src}, &sub)
		if sub.Verdict == nil {
			sub = waitJudgedIn(t, m, alice, sub.ID)
		}
		tags := fmt.Sprint(sub.Verdict.Misconceptions)
		if sub.Verdict.Status != tt.status || !strings.Contains(tags, tt.tag) {
			t.Errorf("%s: verdict %+v, want %s with tag %q", tt.name, sub.Verdict, tt.status, tt.tag)
		}
	}
	_, body := alice.call("POST", cp+"/exercises/chain-rule-multiply/submissions", map[string]string{"code": codeReference}, nil)
	if !strings.Contains(body, "answered with numbers") {
		t.Errorf("code answer to a numeric exercise: %s", body)
	}
	status, body := alice.call("POST", cp+"/exercises/chain-rule-multiply/submissions?wait=true",
		map[string]any{"fields": map[string]string{"dz": "6"}, "code": "xx"}, nil)
	if status != 400 || !strings.Contains(body, `without \"code\"`) {
		t.Errorf("numbers and code to a numeric exercise: %d %s, want 400 refusing the code", status, body)
	}
	big := strings.Repeat("x", 64<<10+1)
	alice.must(413, "POST", code+"/exercises/"+codeExercise+"/submissions", map[string]string{"code": big}, nil)
}

func checkProgressStatsCSV(t *testing.T, cp string, alice, bob, ta, inst *client, ex, tag string, aliceID int64) {
	var p struct {
		Exercises []struct {
			ExerciseID string `json:"exercise_id"`
			Attempts   int
			Solved     bool
		}
		Concepts       []struct{ Concept string }
		Misconceptions []struct{ Tag string }
	}
	alice.must(200, "GET", cp+"/progress", nil, &p)
	if len(p.Exercises) == 0 || p.Exercises[0].ExerciseID != ex || p.Exercises[0].Attempts != 2 || !p.Exercises[0].Solved {
		t.Errorf("alice's progress = %+v", p)
	}
	if len(p.Misconceptions) != 1 || p.Misconceptions[0].Tag != tag || len(p.Concepts) == 0 {
		t.Errorf("alice's misconception history = %+v, concepts %+v", p.Misconceptions, p.Concepts)
	}
	bob.must(403, "GET", fmt.Sprintf("%s/students/%d/progress", cp, aliceID), nil, nil)
	ta.must(200, "GET", fmt.Sprintf("%s/students/%d/progress", cp, aliceID), nil, nil)

	var st struct {
		Exercises []struct {
			ExerciseID           string `json:"exercise_id"`
			Attempts             int
			PassRate             float64 `json:"pass_rate"`
			MedianAttemptsToPass float64 `json:"median_attempts_to_pass"`
			Misconceptions       []tagCount
		}
	}
	alice.must(403, "GET", cp+"/stats", nil, nil)
	inst.must(200, "GET", cp+"/stats", nil, &st)
	if len(st.Exercises) == 0 || st.Exercises[0].Attempts != 3 || st.Exercises[0].PassRate != 0.5 ||
		st.Exercises[0].MedianAttemptsToPass != 2 || !slices.ContainsFunc(st.Exercises[0].Misconceptions, func(c tagCount) bool { return c.Tag == tag && c.Students >= 1 }) {
		t.Errorf("stats = %+v, want 3 attempts, pass rate 0.5, median 2, tag %s", st, tag)
	}
	csv := ta.must(200, "GET", cp+"/grades.csv", nil, nil)
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if len(lines) != 3 || lines[0] != "user_id,email,name,"+ex+","+ex+" rule,fan-out,fan-out rule,total,solved" ||
		!strings.Contains(csv, "alice@example.edu,alice,1.0000,best attempt,0.0000,best attempt,1.0000,1") {
		t.Errorf("grades.csv =\n%s", csv)
	}
}

func checkMetrics(t *testing.T, base string) {
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`gradjudge_verdicts_total{status="accepted"} 2`, `gradjudge_verdicts_total{status="compile_error"} 1`, `gradjudge_judge_duration_seconds_count{kind="code"} 3`, "gradjudge_queue_depth 0", "gradjudge_judge_duration_seconds_bucket", "gradjudge_http_requests_total"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestServeRestartKeepsTokens restarts the server on the same data directory: the generated JWT
// secret is kept, so a token issued before still works, and --init-admin does not duplicate.
func TestServeRestartKeepsTokens(t *testing.T) {
	dir := t.TempDir()
	noCode := func(c *ServeConfig) { c.Code = false }
	m := startMain(t, dir, noCode)
	admin := login(t, m.URL(), "admin@example.edu", testAdminPassword)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m2 := startMain(t, dir, noCode)
	admin.base = m2.URL()
	admin.must(200, "GET", "/api/v1/me", nil, nil)
	var users struct{ Users []struct{ Email string } }
	admin.must(200, "GET", "/api/v1/users", nil, &users)
	if len(users.Users) != 1 {
		t.Errorf("users after restart = %+v, want the one admin", users)
	}
}

func TestServeHelpListsEnvironment(t *testing.T) {
	code, _, errOut := runCLI(t, "", "serve", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"-addr", "$GRADJUDGE_ADDR", "$GRADJUDGE_DATABASE_URL", "$GRADJUDGE_JWT_SECRET", "$GRADJUDGE_INIT_ADMIN", "GRADJUDGE_INIT_ADMIN_PASSWORD",
		"-metrics-token", "$GRADJUDGE_METRICS_TOKEN", "empty: /metrics is open",
		"-trusted-proxies", "$GRADJUDGE_TRUSTED_PROXIES", "every user shares the proxy's sign-in limit"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("serve --help lacks %s:\n%s", want, errOut)
		}
	}
}

func TestServeConfigFromEnvironment(t *testing.T) {
	env := map[string]string{"GRADJUDGE_ADDR": ":9999", "GRADJUDGE_MAX_WAIT": "3s", "GRADJUDGE_NO_WORKERS": "true"}
	m := newMainWithEnv(env)
	if err := m.ParseFlags([]string{"--max-wait", "5s"}); err != nil {
		t.Fatal(err)
	}
	if m.Config.Addr != ":9999" || m.Config.MaxWait != 5*time.Second || !m.Config.NoWorkers {
		t.Errorf("config = %+v: want the environment's addr, the flag's max-wait", m.Config)
	}
	env["GRADJUDGE_MAX_WAIT"] = "soon"
	if err := newMainWithEnv(env).ParseFlags(nil); err == nil || !strings.Contains(err.Error(), "GRADJUDGE_MAX_WAIT") {
		t.Errorf("a bad variable: error %v, want one naming it", err)
	}
}

func newMainWithEnv(env map[string]string) *Main {
	m := NewMain(stdio{err: io.Discard})
	m.LookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	return m
}
