//go:build !unix

package sandbox

import (
	"io/fs"
	"os"
)

// lockNow cannot lock files here: job directories go unlocked.
func lockNow(*os.File) error { return nil }

// heldElsewhere cannot tell here, so it says every lock file is held: SweepStaleJobs then removes
// only job directories without one, past UnlockedJobStaleAge.
func heldElsewhere(*os.File) (bool, error) { return true, nil }

// ownedByMe cannot tell file owners here; the directory's permissions decide what can be removed.
func ownedByMe(fs.FileInfo) bool { return true }
