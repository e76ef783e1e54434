package api

import (
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// contractCase is one request of the contract test and the status it must get.
type contractCase struct {
	name   string
	op     string // the operationId the request reaches
	as     string // a fixture user; "key" for alice's API key, "metrics" for the metrics token, "" for none
	method string
	path   string
	body   any // see jsonBody
	header map[string]string
	status int
	before func() // runs just before the request
	after  func() // runs just after it
}

// TestContract drives every operation of the served OpenAPI document against a real server over
// a real SQLite store, the happy path and each documented error, and validates every response
// (status, headers, body; no undeclared field) against the document with kin-openapi. Every
// status the document lists must be answered by some case, so that a documented answer the
// server cannot give, or one the test forgot, fails.
func TestContract(t *testing.T) {
	f := newContractFixture(t, 3)
	v := newContractValidator(t, f.http.URL)
	for _, c := range contractCases(t, f) {
		t.Run(c.name, func(t *testing.T) {
			if c.before != nil {
				c.before()
			}
			x := f.do(t, c)
			if c.after != nil {
				c.after()
			}
			if x.status != c.status {
				t.Errorf("%s %s answered %d, want %d: %.300s", c.method, c.path, x.status, c.status, x.respBody)
			}
			v.check(t, x, c.op, false)
		})
	}
	for _, c := range []contractCase{
		{name: "an internal error", op: "getMe", as: "alice", method: "GET", path: "/api/v1/me", status: 500},
		{name: "not ready", op: "checkReadiness", method: "GET", path: "/readyz", status: 503},
	} {
		t.Run(c.name, func(t *testing.T) {
			broken, tok := newBrokenServer(t)
			x := send(t, newRequest(t, broken.URL, c.method, c.path, "Bearer "+tok), nil)
			if x.status != c.status {
				t.Errorf("answered %d, want %d: %s", x.status, c.status, x.respBody)
			}
			v.check(t, x, c.op, c.status == 500)
		})
	}
	t.Run("evaluate while the evaluator is busy", func(t *testing.T) {
		x := f.busyEvaluator(t)
		v.check(t, x, "evalGraph", false)
	})
	x := f.do(t, contractCase{as: "alice", method: "PATCH", path: "/api/v1/me"})
	if x.status != http.StatusMethodNotAllowed {
		t.Errorf("PATCH /api/v1/me answered %d, want 405", x.status)
	}
	v.checkUnlisted(t, x, "getMe")
	if missing := v.unanswered(); len(missing) > 0 {
		slices.Sort(missing)
		t.Errorf("documented answers no case got:\n%s", strings.Join(missing, "\n"))
	}
}

// do sends c's request to the fixture's server.
func (f *contractFixture) do(t *testing.T, c contractCase) exchange {
	t.Helper()
	auth := ""
	switch c.as {
	case "":
	case "key":
	case "metrics":
		auth = "Bearer " + contractMetricsToken
	case "forged":
		auth = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.forged"
	default:
		auth = "Bearer " + f.tok[c.as]
	}
	req := newRequest(t, f.http.URL, c.method, c.path, auth)
	if c.as == "key" {
		req.Header.Set("X-API-Key", f.apiKey)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	body := jsonBody(t, c.body)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return send(t, req, body)
}

func newRequest(t *testing.T, base, method, path, auth string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return req
}

// contractCases is every request of TestContract, in order: later cases see what earlier ones
// did.
func contractCases(t *testing.T, f *contractFixture) []contractCase {
	course := fmt.Sprintf("/api/v1/courses/%d", f.course)
	cases := []contractCase{
		{name: "liveness", op: "checkHealth", method: "GET", path: "/healthz", status: 200},
		{name: "readiness", op: "checkReadiness", method: "GET", path: "/readyz", status: 200},
		{name: "metrics", op: "getMetrics", as: "metrics", method: "GET", path: "/metrics", status: 200},
		{name: "metrics without the token", op: "getMetrics", as: "alice", method: "GET", path: "/metrics", status: 401},
		{name: "the document", op: "getOpenAPIDocument", method: "GET", path: "/api/v1/openapi.json", status: 200},
	}
	cases = append(cases, authCases(f)...)
	cases = append(cases, courseCases(f, course)...)
	cases = append(cases, submissionCases(t, f, course)...)
	cases = append(cases, progressCases(f, course)...)
	cases = append(cases, learningCases(f, course)...)
	cases = append(cases, policyCases(f, course)...)
	return append(cases, graphCases()...)
}

func authCases(f *contractFixture) []contractCase {
	login := func(name, email, password string, status int) contractCase {
		return contractCase{name: name, op: "login", method: "POST", path: "/api/v1/auth/login",
			body: map[string]string{"email": email, "password": password}, status: status}
	}
	cases := []contractCase{
		login("sign in", "alice@example.edu", contractPassword("alice"), 200),
		{name: "sign in without a password", op: "login", method: "POST", path: "/api/v1/auth/login", body: `{"email": "alice@example.edu"}`, status: 400},
		{name: "sign in with a huge body", op: "login", method: "POST", path: "/api/v1/auth/login", body: bigJSON(), status: 413},
	}
	// The per-email limit lets 10 attempts through at once: the eleventh is refused.
	for i := range 10 {
		cases = append(cases, login(fmt.Sprintf("wrong password %d", i+1), "carol@example.edu", "wrong", 401))
	}
	cases = append(cases, login("one sign-in too many", "carol@example.edu", "wrong", 429),
		contractCase{name: "me", op: "getMe", as: "alice", method: "GET", path: "/api/v1/me", status: 200},
		contractCase{name: "me with an API key", op: "getMe", as: "key", method: "GET", path: "/api/v1/me", status: 200},
		contractCase{name: "me without credentials", op: "getMe", method: "GET", path: "/api/v1/me", status: 401},
		contractCase{name: "me with a forged token", op: "getMe", as: "forged", method: "GET", path: "/api/v1/me", status: 401},
		contractCase{name: "API keys", op: "listAPIKeys", as: "alice", method: "GET", path: "/api/v1/me/api-keys", status: 200},
		contractCase{name: "API keys without credentials", op: "listAPIKeys", method: "GET", path: "/api/v1/me/api-keys", status: 401},
		contractCase{name: "create an API key", op: "createAPIKey", as: "alice", method: "POST", path: "/api/v1/me/api-keys", body: map[string]any{"name": "lms", "expires_in_days": 30}, status: 201},
		contractCase{name: "create an API key for 0 days", op: "createAPIKey", as: "alice", method: "POST", path: "/api/v1/me/api-keys", body: map[string]any{"name": "lms", "expires_in_days": 0}, status: 400},
		contractCase{name: "create an API key without credentials", op: "createAPIKey", method: "POST", path: "/api/v1/me/api-keys", body: map[string]any{"name": "lms"}, status: 401},
		contractCase{name: "create an API key with an API key", op: "createAPIKey", as: "key", method: "POST", path: "/api/v1/me/api-keys", body: map[string]any{"name": "lms"}, status: 403},
		contractCase{name: "create an API key with a huge body", op: "createAPIKey", as: "alice", method: "POST", path: "/api/v1/me/api-keys", body: bigJSON(), status: 413},
		contractCase{name: "revoke an API key", op: "revokeAPIKey", as: "alice", method: "DELETE", path: fmt.Sprintf("/api/v1/me/api-keys/%d", f.apiKeyID), status: 204},
		contractCase{name: "revoke API key zero", op: "revokeAPIKey", as: "alice", method: "DELETE", path: "/api/v1/me/api-keys/0", status: 400},
		contractCase{name: "revoke without credentials", op: "revokeAPIKey", method: "DELETE", path: "/api/v1/me/api-keys/1", status: 401},
		contractCase{name: "revoke someone else's key", op: "revokeAPIKey", as: "bob", method: "DELETE", path: fmt.Sprintf("/api/v1/me/api-keys/%d", f.apiKeyID), status: 404},
		contractCase{name: "users", op: "listUsers", as: "admin", method: "GET", path: "/api/v1/users", status: 200},
		contractCase{name: "users without credentials", op: "listUsers", method: "GET", path: "/api/v1/users", status: 401},
		contractCase{name: "users as a student", op: "listUsers", as: "alice", method: "GET", path: "/api/v1/users", status: 403},
		contractCase{name: "create a user", op: "createUser", as: "admin", method: "POST", path: "/api/v1/users", body: map[string]string{"email": "erin@example.edu", "name": "Erin", "role": "student", "password": "erin-password"}, status: 201},
		contractCase{name: "create a user without a role", op: "createUser", as: "admin", method: "POST", path: "/api/v1/users", body: map[string]string{"email": "fay@example.edu", "password": "fay-password"}, status: 400},
		contractCase{name: "create a user without credentials", op: "createUser", method: "POST", path: "/api/v1/users", body: map[string]string{"email": "fay@example.edu", "role": "student", "password": "fay-password"}, status: 401},
		contractCase{name: "create a user as a student", op: "createUser", as: "alice", method: "POST", path: "/api/v1/users", body: map[string]string{"email": "fay@example.edu", "role": "student", "password": "fay-password"}, status: 403},
		contractCase{name: "create a user whose email is taken", op: "createUser", as: "admin", method: "POST", path: "/api/v1/users", body: map[string]string{"email": "erin@example.edu", "role": "student", "password": "erin-password"}, status: 409},
		contractCase{name: "create a user with a huge body", op: "createUser", as: "admin", method: "POST", path: "/api/v1/users", body: bigJSON(), status: 413},
		contractCase{name: "misconceptions", op: "listMisconceptions", as: "alice", method: "GET", path: "/api/v1/misconceptions", status: 200},
		contractCase{name: "misconceptions without credentials", op: "listMisconceptions", method: "GET", path: "/api/v1/misconceptions", status: 401},
	)
	return cases
}

// busyEvaluator returns the answer to a graph evaluation sent while every evaluation slot of the
// server (one per GOMAXPROCS) is taken by a slow one: a 429. It sends as many slow evaluations at
// once and small ones until a small one is refused, or all slow ones are done; then it tries again
// with evaluations twice as slow, three times at most.
func (f *contractFixture) busyEvaluator(t *testing.T) exchange {
	t.Helper()
	small := contractCase{as: "inst", method: "POST", path: "/api/v1/graph/eval", body: map[string]any{"program": "y = 2*x", "inputs": map[string]any{"x": 1}}}
	for lines := 200; lines <= 800; lines *= 2 {
		slow := small
		slow.body = slowEvaluation(lines)
		done := make(chan exchange, runtime.GOMAXPROCS(0))
		for range cap(done) {
			go func() {
				var x exchange
				defer func() { done <- x }() // also when do fails the test and ends this goroutine
				x = f.do(t, slow)
			}()
		}
		var busy *exchange
		for finished := 0; finished < cap(done); {
			select {
			case <-done:
				finished++
			default:
				if x := f.do(t, small); x.status == http.StatusTooManyRequests && busy == nil {
					busy = &x
				}
			}
		}
		if busy != nil {
			return *busy
		}
	}
	t.Fatal("no evaluation was refused while the evaluator was busy")
	return exchange{}
}

// slowEvaluation is a graph evaluation that takes a while: lines products of 32×32 matrices
// (about 0.2 s for 100 lines here), with their gradients.
func slowEvaluation(lines int) map[string]any {
	var b strings.Builder
	b.WriteString("a0 = tanh(W)\n")
	for i := 1; i <= lines; i++ {
		fmt.Fprintf(&b, "a%d = tanh(a%d @ W)\n", i, i-1)
	}
	fmt.Fprintf(&b, "L = sum(a%d)\n", lines)
	w := make([][]float64, 32)
	for i := range w {
		w[i] = make([]float64, 32)
		for j := range w[i] {
			w[i][j] = 0.01 * float64((i+j)%7)
		}
	}
	return map[string]any{"program": b.String(), "inputs": map[string]any{"W": w}}
}
