package web

import (
	"reflect"
	"strings"
	"testing"

	"gradjudge"
	"gradjudge/internal/app"
)

func TestStateCells(t *testing.T) {
	solved := t0
	got := stateCells([]gradjudge.ExerciseProgress{{SolvedAt: &solved, Attempts: 2, BestScore: 1}, {Attempts: 3, BestScore: 0.5}, {Attempts: 4}, {}})
	want := `<td class="c-solved">✓</td><td class="c-partly-right">½</td><td class="c-tried">4×</td><td class="c-not-started"></td>`
	if string(got) != want {
		t.Errorf("stateCells = %s, want %s", got, want)
	}
}

// TestSplitRows: each group of a pass-rate split is said in words, with the node as the pictures
// write it and a ReLU's argument marked as its gate.
func TestSplitRows(t *testing.T) {
	tests := []struct {
		name  string
		split app.SplitRate
		want  splitRow
	}{
		{"gate", app.SplitRate{Name: "z1", Gate: "relu", AtOrBelow: 10, PassedBelow: 3, Above: 12, PassedAbove: 7, RateAtOrBelow: 0.3, RateAbove: 7.0 / 12},
			splitRow{Node: "z₁", Gate: "ReLU gate", AtOrBelow: "z₁ ≤ 0: 3 of 10 passed (30%)", Above: "z₁ > 0: 7 of 12 passed (58%)"}},
		{"input", app.SplitRate{Name: "x", AtOrBelow: 1, PassedBelow: 1, Above: 4, RateAtOrBelow: 1},
			splitRow{Node: "x", AtOrBelow: "x ≤ 0: 1 of 1 passed (100%)", Above: "x > 0: 0 of 4 passed (0%)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := splitRows([]app.SplitRate{tt.split}); len(got) != 1 || got[0] != tt.want {
				t.Errorf("splitRows(%+v) = %+v, want %+v", tt.split, got, tt.want)
			}
		})
	}
}

// TestGroupStuck: the stuck list names each student once, with every exercise they are stuck on
// (most attempts first, the first three named); those stuck on more exercises come first.
func TestGroupStuck(t *testing.T) {
	ada := gradjudge.Enrollment{UserID: 7, Name: "Ada"}
	bob := gradjudge.Enrollment{UserID: 9, Name: "Bob"}
	ex := func(id string) gradjudge.Exercise { return gradjudge.Exercise{ID: id, Title: "T " + id} }
	on := func(id string, n int) stuckOn {
		return stuckOn{Title: "T " + id, Link: "/courses/1/exercises/" + id + "/stats", Attempts: n}
	}
	tests := []struct {
		name  string
		stuck []app.Stuck
		want  []stuckStudent
	}{
		{"nobody", nil, nil},
		{"one student twice", []app.Stuck{{Student: ada, Exercise: ex("a"), Attempts: 5}, {Student: ada, Exercise: ex("b"), Attempts: 3}},
			[]stuckStudent{{Student: ada, Link: "/courses/1/students/7", On: []stuckOn{on("a", 5), on("b", 3)}, Of: 2}}},
		{"the first three named", []app.Stuck{{Student: ada, Exercise: ex("a"), Attempts: 6}, {Student: ada, Exercise: ex("b"), Attempts: 5},
			{Student: ada, Exercise: ex("c"), Attempts: 4}, {Student: ada, Exercise: ex("d"), Attempts: 3}},
			[]stuckStudent{{Student: ada, Link: "/courses/1/students/7", On: []stuckOn{on("a", 6), on("b", 5), on("c", 4)}, Of: 4}}},
		{"more exercises first", []app.Stuck{{Student: bob, Exercise: ex("a"), Attempts: 9}, {Student: ada, Exercise: ex("a"), Attempts: 4},
			{Student: ada, Exercise: ex("b"), Attempts: 3}},
			[]stuckStudent{{Student: ada, Link: "/courses/1/students/7", On: []stuckOn{on("a", 4), on("b", 3)}, Of: 2},
				{Student: bob, Link: "/courses/1/students/9", On: []stuckOn{on("a", 9)}, Of: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := groupStuck(tt.stuck, "/courses/1"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("groupStuck = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestStudentListStuck: a student stuck on two exercises is one line of the stuck list, naming
// both with their attempts.
func TestStudentListStuck(t *testing.T) {
	e := newEnv(t)
	at := t0
	e.f.records[course] = gradjudge.ProgressRecords{Exercises: []gradjudge.ExerciseRecord{
		{UserID: bob, ExerciseProgress: gradjudge.ExerciseProgress{ExerciseID: "ex-a", Attempts: 4, LastAttemptAt: &at}},
		{UserID: bob, ExerciseProgress: gradjudge.ExerciseProgress{ExerciseID: "ex-b", Attempts: 3, BestScore: 0.5, LastAttemptAt: &at}},
	}}
	body := e.get(inst, "/courses/10/students").Body.String()
	start, end := strings.Index(body, `<ul id="stuck"`), strings.Index(body, `id="idle-h"`)
	if start < 0 || end < start {
		t.Fatalf("no stuck list:\n%s", body)
	}
	list := body[start:end]
	want := `<li data-user="5"><a href="/courses/10/students/5">Bob Student</a> <span class="on">on 2 exercises: <a href="/courses/10/exercises/ex-a/stats">Effects multiply</a> 4×; <a href="/courses/10/exercises/ex-b/stats">The &lt;b&gt;ReLU&lt;/b&gt; gate</a> 3×</span></li>`
	if !strings.Contains(list, want) || strings.Count(list, "<li") != 1 || !strings.Contains(body, `<a href="#stuck-h">Stuck: 1</a>`) {
		t.Errorf("stuck list:\n%s\nwant bob once:\n%s", list, want)
	}
}

// TestPersonName: a person without a name is named by their email, on every page that lists them.
func TestPersonName(t *testing.T) {
	for _, tt := range []struct{ name, email, want string }{
		{"Ada", "ada@example.edu", "Ada"},
		{"", "ada@example.edu", "ada@example.edu"},
		{"  ", "ada@example.edu", "ada@example.edu"},
	} {
		if got := personName(tt.name, tt.email); got != tt.want {
			t.Errorf("personName(%q, %q) = %q, want %q", tt.name, tt.email, got, tt.want)
		}
	}
}

// TestCourseNavHere: the course's navigation marks the page it is on, and only that one.
func TestCourseNavHere(t *testing.T) {
	e := newEnv(t)
	for path, want := range map[string]string{
		"/courses/10":                      `<a href="/courses/10" aria-current="page">Dashboard</a>`,
		"/courses/10/students":             `<a href="/courses/10/students" aria-current="page">Students</a>`,
		"/courses/10/manage":               `<a href="/courses/10/manage" aria-current="page">Settings</a>`,
		"/courses/10/students/4/learning":  "",
		"/courses/10/exercises/ex-a/stats": "",
	} {
		body := e.get(inst, path).Body.String()
		if n := strings.Count(body, `aria-current="page"`); (want == "" && n != 0) || (want != "" && (n != 1 || !strings.Contains(body, want))) {
			t.Errorf("%s: %d pages marked current, want %q", path, n, want)
		}
	}
}
