package sandbox

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// holdJobEnv makes the test binary a judge that creates a job directory in the named parent,
// prints its path and then builds "forever": the process TestSweepStaleJobs kills.
const holdJobEnv = "GRADJUDGE_TEST_HOLD_JOB_IN"

func TestHoldJobHelper(t *testing.T) {
	parent := os.Getenv(holdJobEnv)
	if parent == "" {
		t.Skip("only run as the helper process of TestSweepStaleJobs")
	}
	j, err := newJob(parent)
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString(j.dir + "\n")
	time.Sleep(time.Hour)
}

// TestSweepStaleJobs: a job directory survives a sweep while its process lives, even another
// process's, and is removed by the next sweep once that process is SIGKILLed; a job of this very
// process survives too; old unlocked job directories go, young ones stay, and nothing that is not
// a job directory is touched.
func TestSweepStaleJobs(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("job directories are locked with flock")
	}
	parent := t.TempDir()
	now := time.Now()
	other := startHolder(t, parent)
	mine, err := newJob(parent)
	if err != nil {
		t.Fatal(err)
	}
	defer mine.remove()
	for _, name := range []string{"gradjudge-job-old", "gradjudge-job-young", "not-a-job", "gradjudge-jobless"} {
		if err := os.Mkdir(filepath.Join(parent, name), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	old := now.Add(-2 * UnlockedJobStaleAge)
	os.Chtimes(filepath.Join(parent, "gradjudge-job-old"), old, old)
	os.WriteFile(filepath.Join(parent, "gradjudge-job-file"), nil, 0o600)

	n, err := SweepStaleJobs(parent, now)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Base(other.dir), filepath.Base(mine.dir), "gradjudge-job-file", "gradjudge-job-young",
		"gradjudge-jobless", "not-a-job"}
	checkEntries(t, "while both builds live", parent, want, n, 1)

	other.cmd.Process.Kill() // SIGKILL: the helper cannot clean up
	other.cmd.Wait()
	n, err = SweepStaleJobs(parent, now)
	if err != nil {
		t.Fatal(err)
	}
	checkEntries(t, "after the other process was killed", parent, slices.Delete(want, 0, 1), n, 1)
	if err := mine.remove(); err != nil {
		t.Errorf("the live job could not remove its directory: %v", err)
	}
}

type holder struct {
	cmd *exec.Cmd
	dir string
}

// startHolder starts the helper process and waits until its job directory exists.
func startHolder(t *testing.T, parent string) holder {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldJobHelper$")
	// The helper's own test set-up goes into a directory this test removes: a killed process
	// cannot remove it itself.
	cmd.Env = append(os.Environ(), holdJobEnv+"="+parent, "TMPDIR="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, parent) {
		t.Fatalf("helper: got %q, %v; want its job directory", line, err)
	}
	return holder{cmd: cmd, dir: strings.TrimSpace(line)}
}

func checkEntries(t *testing.T, when, dir string, want []string, removed, wantRemoved int) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) || removed != wantRemoved {
		t.Errorf("%s: removed %d, left %q; want %d removed, %q left", when, removed, got, wantRemoved, want)
	}
}
