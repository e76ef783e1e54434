package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// errorMessage reads the message of an error answer, failing when the body is not valid JSON.
func errorMessage(t *testing.T, body []byte) string {
	t.Helper()
	var e errorDTO
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body is not JSON: %v: %q", err, body)
	}
	return e.Error.Message
}

// TestBadTextRefused: invalid UTF-8 or NUL in a body, an answer field or an Idempotency-Key is a
// 400 that names the problem, and nothing is stored (a stored one would make every later reply
// holding it invalid JSON).
func TestBadTextRefused(t *testing.T) {
	e := newEnv(t)
	path := e.path("/courses/{course}/exercises/chain/submissions")
	for _, c := range []struct {
		name    string
		body    string
		headers []string
		says    string
	}{
		{"invalid UTF-8 in a field", "{\"fields\": {\"dz\": \"\xff\xfe\"}}", nil, "UTF-8"},
		{"invalid UTF-8 in a raw number", "{\"fields\": {\"dz\": [1, \"\xff\"]}}", nil, "UTF-8"},
		{"invalid UTF-8 in the key", `{"fields": {"dz": "6"}}`, []string{"Idempotency-Key", "k\xff\xfe"}, "Idempotency-Key"},
		{"NUL in the key", `{"fields": {"dz": "6"}}`, []string{"Idempotency-Key", "k\x00"}, "Idempotency-Key"},
	} {
		w := e.do("alice", "POST", path, c.body, c.headers...)
		wantStatus(t, w, http.StatusBadRequest)
		if msg := errorMessage(t, w.Body.Bytes()); !strings.Contains(msg, c.says) {
			t.Errorf("%s: message %q does not say %q", c.name, msg, c.says)
		}
	}
	if len(e.db.subs) != 0 {
		t.Errorf("%d submissions stored, want none", len(e.db.subs))
	}
	w := e.do("admin", "POST", "/api/v1/users", `{"email": "n@example.edu", "name": "N\u0000", "role": "student", "password": "password-n"}`)
	wantStatus(t, w, http.StatusBadRequest)
	if msg := errorMessage(t, w.Body.Bytes()); !strings.Contains(msg, "name") {
		t.Errorf("a NUL in a name: message %q does not name the field", msg)
	}
}

// TestBodyProblemsInPlainWords: trailing data is refused, and no message names a Go type or the
// validator's internals.
func TestBodyProblemsInPlainWords(t *testing.T) {
	e := newEnv(t)
	path := e.path("/courses/{course}/exercises/chain/submissions")
	for _, c := range []struct {
		name, path, body, says string
	}{
		{"trailing data", path, `{"fields": {"dz": "6"}}garbage`, "more than one JSON value"},
		{"a second object", path, `{"fields": {"dz": "6"}} {}`, "more than one JSON value"},
		{"fields as a list", path, `{"fields": [1, 2]}`, "fields must be an object, not an array"},
		{"code as a number", path, `{"code": 5}`, "code must be a string, not a number"},
		{"not an object", path, `[1]`, "must be a JSON object"},
		{"broken JSON", path, `{"fields": `, "ends in the middle"},
		{"empty body", path, ``, "needs a JSON object"},
		{"login without an email", "/api/v1/auth/login", `{"password": "x"}`, "enter your email and password"},
		{"exercise ids as a string", e.path("/courses/{course}/exercises"), `{"exercise_ids": "chain"}`, "exercise_ids must be a list, not a string"},
	} {
		user := "alice"
		if strings.HasSuffix(c.path, "/exercises") {
			user = "inst"
		}
		w := e.do(user, map[bool]string{true: "PUT", false: "POST"}[strings.HasSuffix(c.path, "/exercises")], c.path, c.body)
		wantStatus(t, w, http.StatusBadRequest)
		msg := errorMessage(t, w.Body.Bytes())
		if !strings.Contains(msg, c.says) {
			t.Errorf("%s: message %q does not say %q", c.name, msg, c.says)
		}
		for _, leak := range []string{"Go struct", "map[string]", "json.RawMessage", "Key: '", "Error:Field", "submitRequest", "loginRequest"} {
			if strings.Contains(msg, leak) {
				t.Errorf("%s: message %q names internals (%s)", c.name, msg, leak)
			}
		}
	}
	if len(e.db.subs) != 0 {
		t.Errorf("%d submissions stored, want none", len(e.db.subs))
	}
}

// TestNotYoursIsNotThere: a course the caller is not in and a course that does not exist get the
// same 404, word for word; so do another user's submission and a missing one.
func TestNotYoursIsNotThere(t *testing.T) {
	e := newEnv(t)
	w := e.do("alice", "POST", e.path("/courses/{course}/exercises/chain/submissions"), numericAnswer)
	wantStatus(t, w, http.StatusOK)
	id := decode[submissionDTO](t, w).ID
	w = e.do("other", "POST", "/api/v1/courses", map[string]string{"title": "Someone else's"})
	wantStatus(t, w, http.StatusCreated)
	other := decode[courseDTO](t, w).ID
	pairs := [][2]string{
		{"/api/v1/courses/" + strconv.FormatInt(other, 10), "/api/v1/courses/99999"},
		{"/api/v1/submissions/" + strconv.FormatInt(id, 10), "/api/v1/submissions/99999"},
	}
	for _, p := range pairs {
		a, b := e.do("bob", "GET", p[0], nil), e.do("bob", "GET", p[1], nil)
		wantStatus(t, a, http.StatusNotFound)
		wantStatus(t, b, http.StatusNotFound)
		if ma, mb := errorMessage(t, a.Body.Bytes()), errorMessage(t, b.Body.Bytes()); ma != mb {
			t.Errorf("not yours (%s): %q; not there (%s): %q; want the same", p[0], ma, p[1], mb)
		}
	}
}

// TestNoStoreHeaders: every API answer, the CSV too, is kept out of caches and not sniffed.
func TestNoStoreHeaders(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ user, path string }{
		{"alice", "/api/v1/me"}, {"", "/api/v1/me"}, {"ta", e.path("/courses/{course}/grades.csv")},
		{"", "/api/v1/openapi.json"}, {"alice", "/api/v1/nope"},
	} {
		w := e.do(c.user, "GET", c.path, nil)
		if w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s (%d): Cache-Control %q, X-Content-Type-Options %q", c.path, w.Code,
				w.Header().Get("Cache-Control"), w.Header().Get("X-Content-Type-Options"))
		}
	}
}
