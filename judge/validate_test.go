package judge

import (
	"bytes"
	"context"
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

// TestValidate is `gradjudge exercises validate --no-code`: the catalog is the judge's regression
// suite. TestCodeSolutions builds the code solutions.
func TestValidate(t *testing.T) {
	rep := newJudge(t).Validate(context.Background(), ValidateOptions{Seeds: ValidateSeeds})
	var buf bytes.Buffer
	rep.Write(&buf)
	if !rep.OK() {
		t.Fatalf("validation failed:\n%s", buf.String())
	}
	t.Logf("\n%s", buf.String())
}
