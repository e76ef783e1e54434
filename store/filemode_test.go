//go:build unix

package store

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSQLiteFileModes checks that the SQLite files, which hold password and API key hashes, are
// the service user's alone: the data directory 0700, the database and its -wal and -shm 0600,
// with a umask of 0 that narrows nothing; and that files an earlier version left 0644 are
// narrowed on the next open. It changes the process's umask: not parallel.
func TestSQLiteFileModes(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0))
	dir := filepath.Join(t.TempDir(), "data", "gradjudge")
	db := openTestDB(t, Config{DataDir: dir})
	newFixture(t, db) // writes: the -wal and -shm files exist while the database is open
	path := SQLitePath(dir)
	wantMode(t, dir, DataDirMode)
	wantMode(t, filepath.Dir(dir), DataDirMode)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		wantMode(t, p, SQLiteFileMode)
	}

	db.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o644); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	db = openTestDB(t, Config{DataDir: dir})
	if _, err := db.Users(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		wantMode(t, p, SQLiteFileMode)
	}
}

func wantMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %v, want %v", filepath.Base(path), got, want)
	}
}
