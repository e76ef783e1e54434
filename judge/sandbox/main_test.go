package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// testLimits are the limits of the shared Builder and Runner: the defaults, but for a longer
// build time. A test machine busy with other packages' tests can take past the default 20 s to
// build a standard package a submission imports for the first time (TestBuildDirectMatchesGoBuild's
// crypto/sha256 did once in CI); these tests compare what builds say, not how fast they are, and
// TestBuildTimeLimit checks the limit itself.
var testLimits = func() Limits {
	l := DefaultLimits()
	l.BuildTime = 2 * time.Minute
	return l
}()

// env is what the tests share: one Builder warmed once, one Runner, and the directories the
// test run watches. TestMain sets the directories; the first test that needs the Builder and
// the Runner sets them up, once.
var env struct {
	once    sync.Once
	root    string // everything the tests write lives under root
	jobs    string // the Builder's TempDir: empty again after every build
	home    string // HOME and TMPDIR of the test process: must stay empty
	tmp     string
	builder *Builder
	runner  *Runner
	noGo    bool  // there is no go command: the sandbox tests skip
	setup   error // why builder and runner are nil: the sandbox tests fail
}

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

// runTests points HOME and TMPDIR at sentinel directories, warms one Builder, runs the tests,
// and then fails the run if any build left something behind outside its job directory.
func runTests(m *testing.M) int {
	root, err := os.MkdirTemp("", "gradjudge-sandbox-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(root)
	env.root = root
	env.jobs, env.home, env.tmp = filepath.Join(root, "jobs"), filepath.Join(root, "home"), filepath.Join(root, "tmp")
	for _, d := range []string{env.jobs, env.home, env.tmp} {
		if err := os.Mkdir(d, 0o700); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	os.Setenv("HOME", env.home)
	os.Setenv("TMPDIR", env.tmp)
	code := m.Run()
	if env.runner != nil {
		env.runner.Close(context.Background())
	}
	for _, d := range []string{env.jobs, env.home, env.tmp} {
		if left := listTree(d); len(left) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: %s: got %d entries after the tests, want none: %q\n",
				d, len(left), left[:min(len(left), 20)])
			code = 1
		}
	}
	return code
}

func setupShared(cache string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	b, err := NewBuilder(BuilderConfig{CacheDir: cache, TempDir: env.jobs, Limits: testLimits})
	if err != nil {
		return err
	}
	if err := b.Warm(ctx); err != nil {
		return err
	}
	r, err := NewRunner(ctx, RunnerConfig{Limits: testLimits})
	if err != nil {
		return err
	}
	env.builder, env.runner = b, r
	return nil
}

// needSandbox sets up the shared Builder and Runner on first use, and skips tb when the go
// toolchain could not be set up.
func needSandbox(tb testing.TB) {
	tb.Helper()
	env.once.Do(func() {
		if _, err := exec.LookPath("go"); err != nil {
			env.noGo = true
			return
		}
		cache := os.Getenv("GRADJUDGE_TEST_GOCACHE") // a warm cache to reuse; default a fresh one
		if cache == "" {
			cache = filepath.Join(env.root, "cache")
		}
		env.setup = setupShared(cache)
	})
	if env.noGo {
		tb.Skip("no go command for the sandbox")
	}
	if env.setup != nil {
		tb.Fatalf("set up the sandbox: %v", env.setup)
	}
}

// listTree returns the paths under dir, relative to it.
func listTree(dir string) []string {
	var paths []string
	filepath.WalkDir(dir, func(path string, _ os.DirEntry, err error) error {
		if rel, _ := filepath.Rel(dir, path); rel != "." {
			paths = append(paths, rel)
		}
		return nil
	})
	return paths
}
