package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gradjudge/exercises"
)

// TestPolicyOverTheAPI: an instructor sets a policy and an extension through the API; a student
// reads their standing, gets a fresh variant after a wrong attempt, and grades.csv follows the
// policy and says its rule.
func TestPolicyOverTheAPI(t *testing.T) {
	const ex = "chain-rule-multiply"
	m := startMain(t, t.TempDir(), nil)
	inst, alice, cp, aliceID := courseWithAlice(t, m, "Policies", ex)

	due := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
	pol := map[string]any{"due_at": due, "max_attempts": 3, "fresh_variant_after": 1, "grade_rule": "penalised_best", "penalty_per_wrong": 0.25, "hints_after": 1}
	alice.must(403, "PUT", cp+"/exercises/"+ex+"/policy", pol, nil)
	inst.must(400, "PUT", cp+"/exercises/"+ex+"/policy", map[string]any{"grade_rule": "average"}, nil)
	var got struct {
		MaxAttempts int `json:"max_attempts"`
		Rule        string
	}
	inst.must(200, "PUT", cp+"/exercises/"+ex+"/policy", pol, &got)
	if got.MaxAttempts != 3 || got.Rule != "best of 3 attempts, −25% per earlier wrong attempt; nothing after the due date" {
		t.Errorf("policy %+v", got)
	}
	ext := fmt.Sprintf("%s/exercises/%s/extensions/%d", cp, ex, aliceID)
	inst.must(400, "PUT", ext, map[string]any{"due_at": due.Add(-time.Hour)}, nil)
	inst.must(204, "PUT", ext, map[string]any{"due_at": due.Add(time.Hour)}, nil)

	var before variantDTO
	alice.must(200, "GET", cp+"/exercises/"+ex, nil, &before)
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	_, wrong, _ := answers(t, cat, ex, before.Seed)
	alice.must(200, "POST", cp+"/exercises/"+ex+"/submissions?wait=true", map[string]any{"fields": wrong}, nil)
	// Hints are given, and recorded as evidence, only when asked for.
	var hinted struct {
		HintLevel int `json:"hint_level"`
		Hints     []string
	}
	alice.must(200, "GET", cp+"/exercises/"+ex+"/standing", nil, &hinted)
	if hinted.HintLevel != 1 || len(hinted.Hints) != 0 {
		t.Errorf("standing after a wrong attempt, hints not asked for: %+v; want hint level 1 and no hints", hinted)
	}
	alice.must(200, "GET", cp+"/exercises/"+ex+"/standing?hints=true", nil, &hinted)
	var after variantDTO
	alice.must(200, "GET", cp+"/exercises/"+ex, nil, &after)
	if after.Seed == before.Seed {
		t.Error("the variant did not change after the wrong attempt")
	}
	right, _, _ := answers(t, cat, ex, after.Seed)
	alice.must(200, "POST", cp+"/exercises/"+ex+"/submissions?wait=true", map[string]any{"fields": right}, nil)
	var st struct {
		Attempt     int
		MaxAttempts int `json:"max_attempts"`
		Grade       float64
		Rules       []string
		DueAt       time.Time `json:"due_at"`
	}
	alice.must(200, "GET", cp+"/exercises/"+ex+"/standing", nil, &st)
	if st.Attempt != 3 || st.MaxAttempts != 3 || st.Grade != 0.75 || !st.DueAt.Equal(due.Add(time.Hour)) || len(st.Rules) == 0 {
		t.Errorf("standing %+v: want attempt 3 of 3, grade 0.75, the extended due date", st)
	}
	csv := inst.must(200, "GET", cp+"/grades.csv", nil, nil)
	if !strings.Contains(csv, `alice@example.edu,alice,0.7500,"best of 3 attempts, −25% per earlier wrong attempt; nothing after the due date"`) {
		t.Errorf("grades.csv =\n%s", csv)
	}
	inst.must(204, "DELETE", ext, nil, nil)
}

// courseWithAlice makes, through m's API, an instructor (inst@example.edu) and a student
// (alice@example.edu, named alice), and a course titled title of exercise ex with alice enrolled.
// It returns both signed in, the course's API path and alice's user id.
func courseWithAlice(t *testing.T, m *Main, title, ex string) (inst, alice *client, cp string, aliceID int64) {
	t.Helper()
	admin := login(t, m.URL(), "admin@example.edu", testAdminPassword)
	for _, u := range []struct{ email, role string }{{"inst@example.edu", "instructor"}, {"alice@example.edu", "student"}} {
		admin.must(201, "POST", "/api/v1/users", map[string]string{"email": u.email, "name": strings.Split(u.email, "@")[0], "role": u.role, "password": "password-" + u.email}, nil)
	}
	inst = login(t, m.URL(), "inst@example.edu", "password-inst@example.edu")
	alice = login(t, m.URL(), "alice@example.edu", "password-alice@example.edu")
	var course idDTO
	inst.must(201, "POST", "/api/v1/courses", map[string]any{"title": title, "exercise_ids": []string{ex}}, &course)
	cp = fmt.Sprintf("/api/v1/courses/%d", course.ID)
	var enr struct {
		UserID int64 `json:"user_id"`
	}
	inst.must(201, "POST", cp+"/enrollments", map[string]string{"email": "alice@example.edu", "role": "student"}, &enr)
	return inst, alice, cp, enr.UserID
}
