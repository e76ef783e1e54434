package code

import (
	"bytes"
	"context"
	"testing"

	"gradjudge/exercises"
	"gradjudge/judge"
)

// TestValidate is `gradjudge exercises validate --no-code`: the catalog is the judge's regression
// suite, numeric exercises through judge.Validate and code exercises' cases through
// ValidateCases. TestCodeSolutions builds the code solutions.
func TestValidate(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	j, err := judge.New(cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := j.Validate(context.Background(), judge.ValidateOptions{Seeds: judge.ValidateSeeds, CodeCases: ValidateCases})
	var buf bytes.Buffer
	rep.Write(&buf)
	if !rep.OK() {
		t.Fatalf("validation failed:\n%s", buf.String())
	}
	t.Logf("\n%s", buf.String())
}
