package sandbox

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Job directories and their ownership. Every build has its own directory in the Builder's
// TempDir, removed when the build ends; a process killed during a build (SIGKILL, out of memory,
// a power cut) cannot remove it. So that such directories do not pile up forever, the building
// process holds a lock on a file in its job directory for as long as the build lasts (flock: the
// kernel drops it the moment the process dies, however it dies), and a starting Builder removes
// the job directories nobody holds: a second live judge on the same machine keeps every folder
// it is building in.
const (
	jobPrefix = "gradjudge-job-"
	// jobLockName is the lock file of a job directory. It is locked under a temporary name and
	// then renamed, so a job's lock file never exists unlocked while its owner lives.
	jobLockName    = ".gradjudge-lock"
	jobLockPending = ".gradjudge-lock-pending"
	// UnlockedJobStaleAge is how old a job directory without a lock file must be to be removed: one
	// made before job directories were locked, or whose process died between creating it and
	// locking it. A younger one may be a job being set up this very moment.
	UnlockedJobStaleAge = time.Minute
)

// job is one build's directory, locked for the life of the build.
type job struct {
	dir  string
	lock *os.File
}

// newJob creates and locks a job directory in parent.
func newJob(parent string) (*job, error) {
	dir, err := os.MkdirTemp(parent, jobPrefix)
	if err != nil {
		return nil, fmt.Errorf("sandbox: create job directory: %w", err)
	}
	lock, err := lockJob(dir)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("sandbox: lock job directory: %w", err), os.RemoveAll(dir))
	}
	return &job{dir: dir, lock: lock}, nil
}

// lockJob creates dir's lock file, locked, under its final name.
func lockJob(dir string) (*os.File, error) {
	pending := filepath.Join(dir, jobLockPending)
	f, err := os.OpenFile(pending, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lockNow(f); err != nil {
		f.Close()
		return nil, err
	}
	if err := os.Rename(pending, filepath.Join(dir, jobLockName)); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// remove removes the job directory, then releases its lock.
func (j *job) remove() error {
	err := removeJob(j.dir)
	return errors.Join(err, j.lock.Close())
}

// SweepStaleJobs removes the job directories in dir that no live process is building in: those
// whose lock file nobody holds, and those without a lock file older than UnlockedJobStaleAge.
// Only directories named like a job and owned by this user are looked at; anything else in dir
// is left alone, and so is one that cannot be checked or removed (a sweep must not stop a judge
// from starting). It returns how many it removed; its error says only that dir cannot be read.
// NewBuilder calls it on its TempDir.
func SweepStaleJobs(dir string, now time.Time) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("sandbox: sweep job directories: %w", err)
	}
	removed := 0
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), jobPrefix) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if stale, err := staleJob(path, now); err == nil && stale && os.RemoveAll(path) == nil {
			removed++
		}
	}
	return removed, nil
}

// staleJob reports whether the job directory path is no live build's.
func staleJob(path string, now time.Time) (bool, error) {
	info, err := os.Lstat(path)
	if err != nil || !info.IsDir() || !ownedByMe(info) {
		return false, err
	}
	f, err := os.OpenFile(filepath.Join(path, jobLockName), os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return now.Sub(info.ModTime()) > UnlockedJobStaleAge, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close() // releases the lock taken below, after the directory is removed
	held, err := heldElsewhere(f)
	return !held && err == nil, err
}
