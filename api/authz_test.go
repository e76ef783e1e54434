package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/internal/ratelimit"
)

// TestAuthorization walks the object scoping rules: who may read and write what.
func TestAuthorization(t *testing.T) {
	e := newEnv(t)
	w := e.do("alice", "POST", e.path("/courses/{course}/exercises/chain/submissions"), numericAnswer)
	wantStatus(t, w, http.StatusOK)
	aliceSub := "/api/v1/submissions/" + strconv.FormatInt(decode[submissionDTO](t, w).ID, 10)
	other := strconv.FormatInt(e.course+1, 10)
	aliceID := strconv.FormatInt(e.ids["alice"], 10)

	tests := []struct {
		name, user, method, path string
		body                     any
		want                     int
	}{
		{"owner reads own submission", "alice", "GET", aliceSub, nil, 200},
		{"student cannot read another's submission", "bob", "GET", aliceSub, nil, 404},
		{"TA reads a course submission", "ta", "GET", aliceSub, nil, 200},
		{"instructor of another course cannot", "other", "GET", aliceSub, nil, 404},
		{"admin reads any", "admin", "GET", aliceSub, nil, 200},
		{"student cannot list another's submissions", "bob", "GET", e.path("/courses/{course}/submissions?user=" + aliceID), nil, 403},
		{"student cannot read another's progress", "bob", "GET", e.path("/courses/{course}/students/" + aliceID + "/progress"), nil, 403},
		{"TA reads a student's progress", "ta", "GET", e.path("/courses/{course}/students/" + aliceID + "/progress"), nil, 200},
		{"instructor cannot read another course", "inst", "GET", "/api/v1/courses/" + other, nil, 404},
		{"instructor cannot read another course's stats", "inst", "GET", "/api/v1/courses/" + other + "/stats", nil, 404},
		{"instructor cannot enroll in another course", "inst", "POST", "/api/v1/courses/" + other + "/enrollments",
			map[string]string{"email": "bob@example.edu", "role": "student"}, 404},
		{"student cannot see stats", "alice", "GET", e.path("/courses/{course}/stats"), nil, 403},
		{"student cannot download grades", "alice", "GET", e.path("/courses/{course}/grades.csv"), nil, 403},
		{"TA cannot enroll", "ta", "POST", e.path("/courses/{course}/enrollments"),
			map[string]string{"email": "bob@example.edu", "role": "ta"}, 403},
		{"TA cannot unenroll", "ta", "DELETE", e.path("/courses/{course}/enrollments/" + aliceID), nil, 403},
		{"TA cannot change the exercises", "ta", "PUT", e.path("/courses/{course}/exercises"), map[string]any{"exercise_ids": []string{"chain"}}, 403},
		{"student cannot enroll themselves as instructor", "alice", "POST", e.path("/courses/{course}/enrollments"),
			map[string]string{"email": "alice@example.edu", "role": "instructor"}, 403},
		{"student cannot create a course", "alice", "POST", "/api/v1/courses", map[string]string{"title": "Mine"}, 403},
		{"student cannot create users", "alice", "POST", "/api/v1/users",
			map[string]string{"email": "x@example.edu", "role": "admin", "password": "password123"}, 403},
		{"student cannot run graph eval", "alice", "POST", "/api/v1/graph/eval", map[string]string{"program": "y = x"}, 403},
		{"outsider cannot submit", "other", "POST", e.path("/courses/{course}/exercises/chain/submissions"), numericAnswer, 404},
		{"instructor enrolls", "inst", "POST", e.path("/courses/{course}/enrollments"),
			map[string]string{"email": "other@example.edu", "role": "ta"}, 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(tt.user, tt.method, tt.path, tt.body)
			if w.Code != tt.want {
				t.Errorf("%s %s as %s: status = %d, want %d; body %s", tt.method, tt.path, tt.user, w.Code, tt.want, w.Body.String())
			}
		})
	}
}

// TestRequestCannotSetIdentityOrScore sends fields a client must never control; the stored
// submission belongs to the caller and its score comes from the judge. A seed only says which
// variant the answer was worked on: one that is not the caller's is refused, never judged.
func TestRequestCannotSetIdentityOrScore(t *testing.T) {
	e := newEnv(t)
	body := `{"fields": {"dz": "5"}, "user_id": ` + strconv.FormatInt(e.ids["bob"], 10) +
		`, "score": 1, "status": "accepted", "role": "instructor", "course_id": 999`
	w := e.do("alice", "POST", e.path("/courses/{course}/exercises/chain/submissions"), body+`, "seed": "1"}`)
	wantStatus(t, w, http.StatusConflict)
	if len(e.db.subs) != 0 {
		t.Fatalf("an answer to a variant not the caller's was stored: %+v", e.db.subs)
	}
	w = e.do("alice", "POST", e.path("/courses/{course}/exercises/chain/submissions"), body+`}`)
	wantStatus(t, w, http.StatusOK)
	got := decode[submissionDTO](t, w)
	if got.UserID != e.ids["alice"] || got.CourseID != e.course || got.Verdict.Score != 0 || got.Verdict.Status != "wrong_answer" {
		t.Errorf("stored submission = %+v, want alice's, in the course, score 0", got)
	}
	if stored := e.db.subs[0]; stored.Seed != gradjudge.VariantSeed(e.course, e.ids["alice"], "chain") {
		t.Errorf("seed = %d, want the server's", stored.Seed)
	}
	w = e.do("alice", "GET", "/api/v1/me", `{"role": "admin"}`)
	if decode[userDTO](t, w).Role != "student" {
		t.Errorf("role changed: %s", w.Body.String())
	}
	w = e.do("inst", "POST", "/api/v1/courses", `{"title": "T", "created_by": 1, "role": "student"}`)
	wantStatus(t, w, http.StatusCreated)
	if id := decode[courseDTO](t, w).ID; e.db.courses[id].CreatedBy != e.ids["inst"] {
		t.Errorf("course created by %d, want the caller", e.db.courses[id].CreatedBy)
	}
}

func TestStudentListsOnlyOwnSubmissions(t *testing.T) {
	e := newEnv(t)
	e.do("alice", "POST", e.path("/courses/{course}/exercises/chain/submissions"), numericAnswer)
	e.do("bob", "POST", e.path("/courses/{course}/exercises/chain/submissions"), numericAnswer)
	w := e.do("bob", "GET", e.path("/courses/{course}/submissions"), nil)
	wantStatus(t, w, http.StatusOK)
	subs := decode[struct{ Submissions []submissionDTO }](t, w).Submissions
	if len(subs) != 1 || subs[0].UserID != e.ids["bob"] {
		t.Errorf("bob sees %+v, want only his own", subs)
	}
	w = e.do("ta", "GET", e.path("/courses/{course}/submissions?exercise=chain"), nil)
	if n := len(decode[struct{ Submissions []submissionDTO }](t, w).Submissions); n != 2 {
		t.Errorf("the TA sees %d submissions, want 2", n)
	}
}

func TestSubmissionLimits(t *testing.T) {
	e := newEnv(t)
	path := e.path("/courses/{course}/exercises/relu-code/submissions")
	big := strings.Repeat("x", app.MaxCodeBytes+1)
	wantStatus(t, e.do("alice", "POST", path, map[string]string{"code": big}), http.StatusRequestEntityTooLarge)
	huge := `{"code": "` + strings.Repeat("x", MaxJSONBodyBytes) + `"}`
	wantStatus(t, e.do("alice", "POST", path, huge), http.StatusRequestEntityTooLarge)
	wantStatus(t, e.do("alice", "POST", path, `{"code": `), http.StatusBadRequest)
	wantStatus(t, e.do("alice", "POST", path, numericAnswer), http.StatusBadRequest)
	wantStatus(t, e.do("alice", "POST", e.path("/courses/{course}/exercises/nope/submissions"), numericAnswer), http.StatusNotFound)
	long := strings.Repeat("k", app.MaxIdempotencyKeyBytes+1)
	wantStatus(t, e.do("alice", "POST", path, map[string]string{"code": "package x"}, "Idempotency-Key", long), http.StatusBadRequest)
}

// TestAnswerMustFitTheExerciseKind sends answers with parts the exercise's kind does not take:
// 400 with a message naming the stray part, and nothing stored. Only the kind decides how an
// answer is judged, so a correct numeric answer with code attached is no way into the code path.
func TestAnswerMustFitTheExerciseKind(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		name, exercise string
		body           any
		want           string
	}{
		{"numeric with code", "chain", map[string]any{"fields": map[string]any{"dz": "6"}, "code": "xx"}, `without "code"`},
		{"numeric with choice", "chain", map[string]any{"fields": map[string]any{"dz": "6"}, "choice": "a"}, `without "choice"`},
		{"numeric with code only", "chain", map[string]any{"code": "package x"}, "answered with numbers"},
		{"code with fields", "relu-code", map[string]any{"code": "package x", "fields": map[string]any{"dz": "6"}}, `without "fields"`},
		{"code with fields only", "relu-code", numericAnswer, "answered with Go code"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := e.do("alice", "POST", e.path("/courses/{course}/exercises/"+c.exercise+"/submissions?wait=true"), c.body)
			wantStatus(t, w, http.StatusBadRequest)
			got := decode[struct{ Error struct{ Message string } }](t, w).Error.Message
			if !strings.Contains(got, c.want) {
				t.Errorf("message %q, want it to say %q", got, c.want)
			}
		})
	}
	if len(e.db.subs) != 0 {
		t.Errorf("%d submissions stored, want none", len(e.db.subs))
	}
}

func TestSubmissionRateLimit(t *testing.T) {
	e := newEnv(t) // burst 3, 60 a minute
	path := e.path("/courses/{course}/exercises/chain/submissions")
	for i := range 3 {
		wantStatus(t, e.do("alice", "POST", path, numericAnswer), http.StatusOK)
		_ = i
	}
	w := e.do("alice", "POST", path, numericAnswer)
	wantStatus(t, w, http.StatusTooManyRequests)
	if got := w.Header().Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After = %q, want 1", got)
	}
	wantStatus(t, e.do("bob", "POST", path, numericAnswer), http.StatusOK) // per user
	e.clock.Advance(time.Second)
	wantStatus(t, e.do("alice", "POST", path, numericAnswer), http.StatusOK)
}

func TestIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	path := e.path("/courses/{course}/exercises/chain/submissions")
	first := decode[submissionDTO](t, e.do("alice", "POST", path, numericAnswer, "Idempotency-Key", "k1"))
	again := decode[submissionDTO](t, e.do("alice", "POST", path, numericAnswer, "Idempotency-Key", "k1"))
	if first.ID != again.ID || len(e.db.subs) != 1 {
		t.Errorf("a retry made a second submission: %d and %d", first.ID, again.ID)
	}
	w := e.do("alice", "POST", path, map[string]any{"fields": map[string]any{"dz": "7"}}, "Idempotency-Key", "k1")
	wantStatus(t, w, http.StatusConflict)
}

func TestQueuedSubmissionIsAccepted202(t *testing.T) {
	e := newEnv(t)
	e.db.judge = nil
	w := e.do("alice", "POST", e.path("/courses/{course}/exercises/chain/submissions?wait=true&timeout=0.01"), numericAnswer)
	wantStatus(t, w, http.StatusAccepted)
	got := decode[submitAcceptedDTO](t, w)
	if got.Status != "queued" || w.Header().Get("Location") != "/api/v1/submissions/"+strconv.FormatInt(got.ID, 10) {
		t.Errorf("202 answer = %+v, Location %q", got, w.Header().Get("Location"))
	}
}

// TestWaitTimeout checks ?timeout=: capped by MaxWait before it becomes a Duration (huge and
// infinite values used to overflow to a negative wait, which returned at once), and 400 for
// anything but a number of seconds ≥ 0, with nothing stored.
func TestWaitTimeout(t *testing.T) {
	e := newEnv(t)
	e.db.judge = nil // queued: the handler waits
	max := app.DefaultMaxWait
	for _, c := range []struct {
		query string
		want  time.Duration // -1: no wait
	}{
		{"wait=true", max},
		{"wait=true&timeout=0", max},
		{"wait=true&timeout=0.5", 500 * time.Millisecond},
		{"wait=true&timeout=9.3e9", max},
		{"wait=true&timeout=1e308", max},
		{"wait=true&timeout=1e400", max},
		{"wait=true&timeout=Inf", max},
		{"wait=true&timeout=%2BInf", max},
		{"timeout=5", -1},
	} {
		e.db.lastWait = -1
		e.clock.Advance(time.Minute) // past the rate limit
		w := e.do("alice", "POST", e.path("/courses/{course}/exercises/chain/submissions?"+c.query), numericAnswer)
		wantStatus(t, w, http.StatusAccepted)
		if e.db.lastWait != c.want {
			t.Errorf("?%s waited %v, want %v", c.query, e.db.lastWait, c.want)
		}
	}
	stored := len(e.db.subs)
	for _, q := range []string{"NaN", "-1", "-Inf", "-0.5", "soon", "1s"} {
		w := e.do("alice", "POST", e.path("/courses/{course}/exercises/chain/submissions?wait=true&timeout="+q), numericAnswer)
		wantStatus(t, w, http.StatusBadRequest)
	}
	if len(e.db.subs) != stored {
		t.Errorf("bad timeouts stored %d submissions, want none", len(e.db.subs)-stored)
	}
}

func TestVariantIsTheCallersOwn(t *testing.T) {
	e := newEnv(t)
	get := func(user string) variantDTO {
		w := e.do(user, "GET", e.path("/courses/{course}/exercises/chain"), nil)
		wantStatus(t, w, http.StatusOK)
		return decode[variantDTO](t, w)
	}
	a, b := get("alice"), get("bob")
	if a.Seed != gradjudge.VariantSeed(e.course, e.ids["alice"], "chain") || a.Seed == b.Seed {
		t.Errorf("seeds alice %d, bob %d", a.Seed, b.Seed)
	}
	if again := get("alice"); again.Seed != a.Seed {
		t.Errorf("alice's seed changed: %d then %d", a.Seed, again.Seed)
	}
	wantStatus(t, e.do("alice", "GET", e.path("/courses/{course}/exercises/nope"), nil), http.StatusNotFound)
	// On the wire the seed is a decimal string: a uint64 would lose digits in JavaScript, and a
	// student who copies it into `gradjudge check --seed` would grade another variant.
	var raw map[string]any
	if err := json.Unmarshal(e.do("alice", "GET", e.path("/courses/{course}/exercises/chain"), nil).Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if raw["seed"] != strconv.FormatUint(a.Seed, 10) {
		t.Errorf("seed on the wire = %#v, want the string %q", raw["seed"], strconv.FormatUint(a.Seed, 10))
	}
}

func TestGradesCSV(t *testing.T) {
	e := newEnv(t)
	e.db.users[e.ids["bob"]] = gradjudge.User{ID: e.ids["bob"], Email: "bob@example.edu", Name: "=HYPERLINK(1)", Role: gradjudge.RoleStudent}
	e.do("alice", "POST", e.path("/courses/{course}/exercises/chain/submissions"), numericAnswer)
	w := e.do("ta", "GET", e.path("/courses/{course}/grades.csv"), nil)
	wantStatus(t, w, http.StatusOK)
	body := w.Body.String()
	if !strings.HasPrefix(body, "user_id,email,name,chain,chain rule,relu-code,relu-code rule,total,solved\n") ||
		!strings.Contains(body, "alice@example.edu,alice,1.0000,best attempt,0.0000,best attempt,1.0000,") || !strings.Contains(body, "'=HYPERLINK") {
		t.Errorf("grades.csv =\n%s", body)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestGraphEval(t *testing.T) {
	e := newEnv(t)
	w := e.do("inst", "POST", "/api/v1/graph/eval", map[string]any{"program": "z = w*x\nL = z^2", "inputs": map[string]float64{"w": 2, "x": 3}})
	wantStatus(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `"w":36`) {
		t.Errorf("eval = %s, want dL/dw = 36", w.Body.String())
	}
	w = e.do("inst", "POST", "/api/v1/graph/eval", map[string]any{"program": "L = reLU(w)"})
	if !strings.Contains(w.Body.String(), `"unknown_function"`) {
		t.Errorf("eval of a bad program = %s", w.Body.String())
	}
}

func TestInternalErrorsAreHidden(t *testing.T) {
	e := newEnv(t)
	e.srv = e.newServer(app.Deps{Progress: failingProgress{}})
	w := e.do("alice", "GET", e.path("/courses/{course}/progress"), nil)
	wantStatus(t, w, http.StatusInternalServerError)
	got := decode[errorDTO](t, w)
	if got.Error.Message != "internal error" || got.Error.RequestID == "" || strings.Contains(w.Body.String(), "disk") {
		t.Errorf("error body = %s", w.Body.String())
	}
}

type failingProgress struct{ gradjudge.ProgressService }

func (failingProgress) ProgressRecords(context.Context, int64, []int64) (gradjudge.ProgressRecords, error) {
	return gradjudge.ProgressRecords{}, errors.New("disk on fire")
}

func (failingProgress) ExerciseRecords(context.Context, int64, string, []int64) (gradjudge.ProgressRecords, error) {
	return gradjudge.ProgressRecords{}, errors.New("disk on fire")
}

func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t)
	bad := map[string]string{"email": "Alice@example.edu", "password": "guess"}
	for range ratelimit.SignInEmailBurst {
		wantStatus(t, e.do("", "POST", "/api/v1/auth/login", bad), http.StatusUnauthorized)
	}
	w := e.do("", "POST", "/api/v1/auth/login", map[string]string{"email": "alice@example.edu ", "password": "password-alice"})
	wantStatus(t, w, http.StatusTooManyRequests)
	wantStatus(t, e.do("", "POST", "/api/v1/auth/login", map[string]string{"email": "bob@example.edu", "password": "password-bob"}), http.StatusOK)
	e.clock.Advance(time.Minute)
	wantStatus(t, e.do("", "POST", "/api/v1/auth/login", map[string]string{"email": "alice@example.edu", "password": "password-alice"}), http.StatusOK)
}
