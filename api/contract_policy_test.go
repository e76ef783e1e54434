package api

import (
	"fmt"
	"time"
)

// policyCases drive the policy, extension, standing and regrade operations. They set a due date
// in the fixture's course, give alice an extension and take it back, and regrade the numeric
// exercise (nothing to do: no answer was judged against another version).
func policyCases(f *contractFixture, course string) []contractCase {
	ex := course + "/exercises/" + numericExercise
	due := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	policy := map[string]any{"due_at": due, "max_attempts": 5, "grade_rule": "penalised_best", "penalty_per_wrong": 0.1, "hints_after": 2}
	ext := fmt.Sprintf("%s/extensions/%d", ex, f.ids["alice"])
	later := map[string]any{"due_at": due.Add(48 * time.Hour)}
	return []contractCase{
		with("set a policy", "setExercisePolicy", "inst", "PUT", ex+"/policy", policy, 200),
		with("set a policy that does not hold together", "setExercisePolicy", "inst", "PUT", ex+"/policy", map[string]any{"penalty_per_wrong": 0.1}, 400),
		with("set a policy without credentials", "setExercisePolicy", "", "PUT", ex+"/policy", policy, 401),
		with("set a policy as a TA", "setExercisePolicy", "ta", "PUT", ex+"/policy", policy, 403),
		with("set a policy in a course of others", "setExercisePolicy", "dave", "PUT", ex+"/policy", policy, 404),
		with("set a policy with a huge body", "setExercisePolicy", "inst", "PUT", ex+"/policy", bigJSON(), 413),
		get("a policy", "getExercisePolicy", "ta", ex+"/policy", 200),
		get("a policy of course abc", "getExercisePolicy", "ta", "/api/v1/courses/abc/exercises/"+numericExercise+"/policy", 400),
		get("a policy without credentials", "getExercisePolicy", "", ex+"/policy", 401),
		get("a policy as a student", "getExercisePolicy", "alice", ex+"/policy", 403),
		get("a policy of no such exercise", "getExercisePolicy", "ta", course+"/exercises/nope/policy", 404),
		with("extend", "setExtension", "inst", "PUT", ext, later, 204),
		with("extend to before the due date", "setExtension", "inst", "PUT", ext, map[string]any{"due_at": due.Add(-time.Hour)}, 400),
		with("extend without credentials", "setExtension", "", "PUT", ext, later, 401),
		with("extend as a TA", "setExtension", "ta", "PUT", ext, later, 403),
		with("extend for someone not in the course", "setExtension", "inst", "PUT", fmt.Sprintf("%s/extensions/%d", ex, f.ids["dave"]), later, 404),
		with("extend with a huge body", "setExtension", "inst", "PUT", ext, bigJSON(), 413),
		get("my standing", "getStanding", "alice", ex+"/standing", 200),
		get("a standing in course abc", "getStanding", "alice", "/api/v1/courses/abc/exercises/"+numericExercise+"/standing", 400),
		get("a standing without credentials", "getStanding", "", ex+"/standing", 401),
		get("a standing in a course of others", "getStanding", "dave", ex+"/standing", 404),
		with("take an extension back", "deleteExtension", "inst", "DELETE", ext, nil, 204),
		with("take back the extension of user abc", "deleteExtension", "inst", "DELETE", ex+"/extensions/abc", nil, 400),
		with("take an extension back without credentials", "deleteExtension", "", "DELETE", ext, nil, 401),
		with("take an extension back as a TA", "deleteExtension", "ta", "DELETE", ext, nil, 403),
		with("take an extension back in a course of others", "deleteExtension", "dave", "DELETE", ext, nil, 404),
		with("regrade", "startRegrade", "inst", "POST", ex+"/regrade", map[string]any{"dry_run": true}, 202),
		with("regrade in course abc", "startRegrade", "inst", "POST", "/api/v1/courses/abc/exercises/"+numericExercise+"/regrade", map[string]any{}, 400),
		with("regrade without credentials", "startRegrade", "", "POST", ex+"/regrade", map[string]any{}, 401),
		with("regrade as a TA", "startRegrade", "ta", "POST", ex+"/regrade", map[string]any{}, 403),
		with("regrade in a course of others", "startRegrade", "dave", "POST", ex+"/regrade", map[string]any{}, 404),
		with("regrade with a huge body", "startRegrade", "inst", "POST", ex+"/regrade", bigJSON(), 413),
		get("a regrade", "getRegrade", "inst", course+"/regrades/1", 200),
		get("regrade abc", "getRegrade", "inst", course+"/regrades/abc", 400),
		get("a regrade without credentials", "getRegrade", "", course+"/regrades/1", 401),
		get("a regrade as a TA", "getRegrade", "ta", course+"/regrades/1", 403),
		get("no such regrade", "getRegrade", "inst", course+"/regrades/999999", 404),
	}
}
