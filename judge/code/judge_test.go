package code

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gradjudge"
	"gradjudge/exercises"
	"gradjudge/judge"
)

// codeEnv is what the code tests share: one Judge, warmed once into a build cache in a
// temporary directory, set up by the first test that needs it.
var codeEnv struct {
	once  sync.Once
	root  string
	code  *Judge
	judge *judge.Judge
	cat   *exercises.Catalog
	noGo  bool
	err   error
}

func TestMain(m *testing.M) {
	root, err := os.MkdirTemp("", "gradjudge-judge-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	codeEnv.root = root
	for _, d := range []string{"jobs", "home", "tmp"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o700); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	os.Setenv("HOME", filepath.Join(root, "home")) // sentinels: nothing may write there
	os.Setenv("TMPDIR", filepath.Join(root, "tmp"))
	code := m.Run()
	if codeEnv.code != nil {
		codeEnv.code.Close()
	}
	for _, d := range []string{"jobs", "home", "tmp"} {
		if left := dirEntries(filepath.Join(root, d)); len(left) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: %s: got %d entries after the tests, want none: %q\n", d, len(left), left)
			code = 1
		}
	}
	os.RemoveAll(root)
	os.Exit(code)
}

func dirEntries(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// testGoCacheEnv names a Go build cache the code tests may reuse across runs; by default each run
// warms a fresh one, which takes minutes on a busy machine.
const testGoCacheEnv = "GRADJUDGE_TEST_GOCACHE"

// testCodeConfig is the configuration of the shared judge: two workers, the default limits.
func testCodeConfig() Config {
	cache := os.Getenv(testGoCacheEnv)
	if cache == "" {
		cache = filepath.Join(codeEnv.root, "gocache")
	}
	return Config{Workers: 2, CacheDir: cache, TempDir: filepath.Join(codeEnv.root, "jobs")}
}

// needCode sets up the shared judge on first use and skips tb without a go command.
func needCode(tb testing.TB) (*judge.Judge, *Judge) {
	tb.Helper()
	codeEnv.once.Do(func() {
		if _, err := exec.LookPath("go"); err != nil {
			codeEnv.noGo = true
			return
		}
		codeEnv.err = setupCode()
	})
	if codeEnv.noGo {
		tb.Skip("no go command for the code judge")
	}
	if codeEnv.err != nil {
		tb.Fatalf("set up the code judge: %v", codeEnv.err)
	}
	return codeEnv.judge, codeEnv.code
}

func setupCode() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cj, err := New(ctx, testCodeConfig())
	if err != nil {
		return err
	}
	cat, err := exercises.Load()
	if err != nil {
		return err
	}
	j, err := judge.New(cat, cj)
	if err != nil {
		return err
	}
	codeEnv.code, codeEnv.judge, codeEnv.cat = cj, j, cat
	return nil
}

// gradeCode grades src for exercise id and seed through the whole judge.
func gradeCode(t *testing.T, id string, seed uint64, src string) gradjudge.Verdict {
	t.Helper()
	j, _ := needCode(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	v, err := j.Grade(ctx, id, seed, gradjudge.Answer{Code: src})
	if err != nil {
		t.Fatalf("Grade %s: %v", id, err)
	}
	return v
}

// TestCodeSolutions is the building part of `gradjudge exercises validate`: every solution shipped
// with every code exercise is built and graded, the reference accepted, each known-wrong one
// rejected with its tag. TestValidate checks the cases of every seed without building.
func TestCodeSolutions(t *testing.T) {
	j, _ := needCode(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep := j.Validate(ctx, judge.ValidateOptions{Solutions: true, CodeCases: ValidateCases})
	var buf bytes.Buffer
	rep.Write(&buf)
	n := 0
	for _, e := range rep.Exercises {
		if e.Kind != gradjudge.KindCode {
			continue
		}
		n++
		if e.Shipped < 2 || e.Solutions != e.Shipped {
			t.Errorf("%s: %d of %d solutions graded as they should be; want a reference and at least one known-wrong", e.ID, e.Solutions, e.Shipped)
		}
	}
	if n < 9 {
		t.Errorf("got %d code exercises; want at least 9", n)
	}
	if !rep.OK() {
		t.Fatalf("validation failed:\n%s", buf.String())
	}
}

// TestCodePlans lays out the calls of every code exercise on a few seeds: the reference agrees
// with central differences, and the result frames fit in half the output limit.
func TestCodePlans(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cat.All() {
		if e.Code == nil {
			continue
		}
		for seed := range uint64(5) {
			p, err := newPlan(e, seed)
			if err != nil {
				t.Fatalf("%s seed %d: %v", e.ID, seed, err)
			}
			if n := p.resultBytes(); seed == 0 {
				t.Logf("%s: %d calls, at most %d bytes of results", e.ID, len(p.calls), n)
			}
		}
	}
}

// TestCodeFeedbackHidesTheValue grades code that is 20% off, and code that gives 0.5 where the
// answer is 0: the feedback names the error's band, never an exact error.
func TestCodeFeedbackHidesTheValue(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"20% too large", "\tz := w*x + b\n\tif z <= 0 {\n\t\treturn 0, 0\n\t}\n\tg := -2 * (y - z) * 1.2\n\treturn g * x, g",
			"too large in size, with a relative error of about 20%"},
		{"not zero where the unit is off", "\tz := w*x + b\n\tif z <= 0 {\n\t\treturn 0.5, 0.5\n\t}\n\tg := -2 * (y - z)\n\treturn g * x, g",
			"it should be much closer to zero"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := gradeCode(t, "code-neuron-backward", 3, neuron("", "", tc.body))
			feedback := strings.Join(v.Feedback, "\n")
			if v.Status != gradjudge.StatusWrongAnswer || !strings.Contains(feedback, tc.want) {
				t.Errorf("got %s, feedback %q; want wrong_answer, feedback containing %q", v.Status, feedback, tc.want)
			}
			if strings.Contains(feedback, "absolute error") || strings.Contains(feedback, "relative error is 0") {
				t.Errorf("feedback gives an exact error: %q", feedback)
			}
		})
	}
}
