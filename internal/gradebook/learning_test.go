package gradebook

import (
	"strings"
	"testing"

	"gradjudge"
	"gradjudge/internal/app"
	"gradjudge/internal/mastery"
)

// TestWriteLearningCSV checks the columns, a student's statuses and counts, a student missing
// from the roster, the class row, and a defused name.
func TestWriteLearningCSV(t *testing.T) {
	cl := app.ClassLearning{
		ClassMastery: app.ClassMastery{
			Concepts: []mastery.ConceptSummary{{Concept: "chain-rule", Students: 2, Mastered: 1, MeanP: 0.6}},
			Tags:     []mastery.TagStatus{{Tag: "chain-rule-add", Active: 1, Resolved: 1}, {Tag: "relu-gate-ignored", Active: 1}},
		},
		Students: []app.Learning{
			{UserID: 7, Concepts: []mastery.Explanation{{Concept: "chain-rule", P: 0.97}},
				Misconceptions: []mastery.MisconceptionView{{MisconceptionStatus: gradjudge.MisconceptionStatus{Tag: "chain-rule-add"}},
					{MisconceptionStatus: gradjudge.MisconceptionStatus{Tag: "relu-gate-ignored", Active: true}}}},
			{UserID: 8, Concepts: []mastery.Explanation{{Concept: "chain-rule", P: 0.23}},
				Misconceptions: []mastery.MisconceptionView{{MisconceptionStatus: gradjudge.MisconceptionStatus{Tag: "chain-rule-add", Active: true}}}},
		},
	}
	cl.Roster = []gradjudge.Enrollment{{UserID: 7, Email: "ann@example.edu", Name: "=HYPERLINK()"}}
	var b strings.Builder
	if err := WriteLearningCSV(&b, cl); err != nil {
		t.Fatal(err)
	}
	want := "user_id,email,name,mastery:chain-rule,misconception:chain-rule-add,misconception:relu-gate-ignored,active,resolved\n" +
		"7,ann@example.edu,'=HYPERLINK(),0.9700,resolved,active,1,1\n" +
		"8,,,0.2300,active,,1,0\n" +
		",,(class),0.6000,\"1 active, 1 resolved\",\"1 active, 0 resolved\",2,1\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
