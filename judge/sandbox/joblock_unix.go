//go:build unix

package sandbox

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// lockNow takes an exclusive lock on f without waiting. It lasts until f is closed or the process
// ends, however it ends.
func lockNow(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// heldElsewhere reports whether another open file holds f's lock: another process's, or another
// build's of this process. When it is free, f now holds it.
func heldElsewhere(f *os.File) (bool, error) {
	err := lockNow(f)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	return false, err
}

// ownedByMe reports whether this process's user owns the file: others' job directories are
// theirs to sweep.
func ownedByMe(info fs.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}
