package regrade

import (
	"strings"
	"testing"

	"gradjudge/internal/policy"
)

func TestReportString(t *testing.T) {
	rep := Report{Run: Run{ID: 4, Request: Request{ExerciseID: "fan-out", DryRun: true}, Total: 3}, Done: 3, Changed: 1, Up: 1,
		Moves:  map[string]int{"wrong_answer → accepted": 1},
		Grades: []GradeMove{{CourseID: 2, Email: "ann@example.edu", Before: policy.Grade{Score: 0.5}, After: policy.Grade{Score: 1, Rule: "best attempt"}}}}
	got := rep.String()
	for _, want := range []string{"regrade 4 of fan-out: 3 of 3 submissions judged; dry run: would change 1 verdicts (1 up, 0 down); 1 grades moved",
		"wrong_answer → accepted", "course 2  ann@example.edu: 0.5000 → 1.0000 (best attempt)"} {
		if !strings.Contains(got, want) {
			t.Errorf("report %q lacks %q", got, want)
		}
	}
}
