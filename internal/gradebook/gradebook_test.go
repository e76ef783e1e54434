package gradebook

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/internal/app"
)

// TestWriteCSV checks the columns, the order of exercises (the course's, not the progress's),
// blank scores for exercises not attempted, the total and count solved, a student missing from
// the roster, and defused formula cells.
func TestWriteCSV(t *testing.T) {
	solved := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	exercises := []gradjudge.Exercise{{ID: "b"}, {ID: "a"}, {ID: "c"}}
	rows := []gradjudge.Progress{
		{UserID: 7, Exercises: []gradjudge.ExerciseProgress{
			{ExerciseID: "a", BestScore: 1, SolvedAt: &solved}, {ExerciseID: "b", BestScore: 0.5}}},
		{UserID: 8},
		{UserID: 9, Exercises: []gradjudge.ExerciseProgress{{ExerciseID: "c", BestScore: 1, SolvedAt: &solved}}},
	}
	roster := []gradjudge.Enrollment{
		{UserID: 7, Email: "ann@example.edu", Name: "Ann, \"A.\""},
		{UserID: 8, Email: "=cmd@example.edu", Name: "@SUM(A1)"},
	}
	var b strings.Builder
	// Exercise a's grade follows a policy that took 20% off ann's best for earlier wrong attempts.
	grades := Grades{"a": {Rule: "best attempt, −20% per earlier wrong attempt", ByUser: map[int64]float64{7: 0.8}}}
	if err := WriteCSV(&b, exercises, rows, roster, grades); err != nil {
		t.Fatal(err)
	}
	want := "user_id,email,name,b,b rule,a,a rule,c,c rule,total,solved\n" +
		"7,ann@example.edu,\"Ann, \"\"A.\"\"\",0.5000,best attempt,0.8000,\"best attempt, −20% per earlier wrong attempt\",0.0000,best attempt,1.3000,1\n" +
		"8,'=cmd@example.edu,'@SUM(A1),0.0000,best attempt,0.0000,\"best attempt, −20% per earlier wrong attempt\",0.0000,best attempt,0.0000,0\n" +
		"9,,,0.0000,best attempt,0.0000,\"best attempt, −20% per earlier wrong attempt\",1.0000,best attempt,1.0000,1\n"
	if got := b.String(); got != want {
		t.Errorf("WriteCSV =\n%s\nwant\n%s", got, want)
	}
}

// TestWriteCSVError returns the writer's error.
func TestWriteCSVError(t *testing.T) {
	if err := WriteCSV(failingWriter{}, nil, nil, nil, nil); err == nil {
		t.Error("a failed write returned no error")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteMisconceptionsCSV(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	rows := []app.MisconceptionRow{{
		Student:       gradjudge.Enrollment{UserID: 7, Email: "a@x.org", Name: "=cmd"},
		Misconception: gradjudge.Misconception{Tag: "chain-rule-add", Title: "Adding, not multiplying"},
		First:         at, Last: at.Add(time.Hour), Count: 3,
	}}
	var b strings.Builder
	if err := WriteMisconceptionsCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	want := "user_id,email,name,tag,misconception,first_seen,last_seen,count\n" +
		"7,a@x.org,'=cmd,chain-rule-add,\"Adding, not multiplying\",2026-03-01T09:00:00Z,2026-03-01T10:00:00Z,3\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
