package judge

import (
	"testing"

	"gradjudge/exercises"
)

func newJudge(t testing.TB) *Judge {
	t.Helper()
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	j, err := New(cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	return j
}
