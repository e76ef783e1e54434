package judge

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"gradjudge"
	"gradjudge/exercises"
)

// TestVerdictRecordsExerciseVersion: every verdict, accepted, wrong or unreadable, numeric, choice
// or code, says which version of the exercise it was judged against.
func TestVerdictRecordsExerciseVersion(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	j, _ := New(cat, &fakeCode{})
	pattern := regexp.MustCompile(`^[0-9a-f]{16}/judge-` + Version + `$`)
	for _, e := range cat.All() {
		v, err := j.Grade(context.Background(), e.ID, 3, gradjudge.Answer{Choice: "none", Code: "package solution"})
		if err != nil {
			t.Fatalf("%s: %v", e.ID, err)
		}
		if v.ExerciseVersion != ExerciseVersion(e) || !pattern.MatchString(v.ExerciseVersion) {
			t.Errorf("%s: %s verdict has version %q, want %q", e.ID, v.Status, v.ExerciseVersion, ExerciseVersion(e))
		}
	}
}

// TestLiveCatalogVersion: a judge over a Live catalog grades against the catalog swapped in, and
// its verdicts say so.
func TestLiveCatalogVersion(t *testing.T) {
	miscs, err := os.ReadFile("../exercises/misconceptions.toml")
	if err != nil {
		t.Fatal(err)
	}
	load := func(src string) *exercises.Catalog {
		c, err := exercises.LoadFS(fstest.MapFS{"misconceptions.toml": {Data: miscs}, "catalog/code-neuron.md": {Data: []byte(src)}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	live := exercises.NewLive(load(codeExercise))
	j, _ := New(live, &fakeCode{})
	grade := func() string {
		v, err := j.Grade(context.Background(), "code-neuron", 1, gradjudge.Answer{Code: "package solution"})
		if err != nil {
			t.Fatal(err)
		}
		return v.ExerciseVersion
	}
	before := grade()
	live.Swap(load(strings.Replace(codeExercise, "Write the backward pass of", "Write the backward pass for", 1)))
	if after := grade(); after == before || after == "" {
		t.Errorf("version %q after an edit, %q before: want a new one", after, before)
	}
}
