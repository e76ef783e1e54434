package sandbox

import (
	"os"
	"strconv"
	"syscall"
)

// shell runs a tool under an address-space limit; without it, builds run unlimited.
const shell = "/bin/sh"

// Exit statuses of the limit wrapper itself, never of a toolchain binary: 125 when the limit
// cannot be set, and the shell's own 126 (not executable) and 127 (not found) when the tool
// cannot be started. They mean the judge is broken, not the student's build.
const (
	wrapperCannotLimit = 125
	shellCannotExec    = 126
	shellNotFound      = 127
)

// withAddressSpaceLimit returns the command line that runs tool with args under an address-space
// limit of limit bytes, inherited by the processes it starts, and whether it wraps the tool. The
// shell lowers the soft limit, then replaces itself with the tool (same process, so killing the
// group still works); os/exec cannot set a limit between fork and exec itself. A limit the judge
// already runs under that is as low or lower is left as it is, never raised.
func withAddressSpaceLimit(tool string, args []string, limit int64) (string, []string, bool) {
	kib := limit >> 10
	if kib <= 0 {
		return tool, args, false
	}
	var cur syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &cur); err != nil || cur.Cur <= uint64(limit) {
		return tool, args, false
	}
	if _, err := os.Stat(shell); err != nil {
		return tool, args, false
	}
	script := "ulimit -S -v " + strconv.FormatInt(kib, 10) + " || exit " + strconv.Itoa(wrapperCannotLimit) +
		`; exec "$0" "$@"`
	return shell, append([]string{"-c", script, tool}, args...), true
}

// wrapperFailed reports whether an exit status is the limit wrapper's own failure.
func wrapperFailed(status int) bool {
	return status == wrapperCannotLimit || status == shellCannotExec || status == shellNotFound
}

// addressSpaceLimited reports whether builds here run under Limits.CompileMemoryBytes.
func addressSpaceLimited(limit int64) bool {
	_, _, wrapped := withAddressSpaceLimit("true", nil, limit)
	return wrapped
}
