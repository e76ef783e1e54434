//go:build unix

package sandbox

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// killGroupOnCancel puts cmd in its own process group and makes cancelling it kill the whole
// group: `go build` runs the compiler and linker as children, and killing only the go command
// would leave them running.
func killGroupOnCancel(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// awaitGroupExit kills what is left of cmd's process group and waits, at most limit, until no
// process of it remains, so that none writes into the job directory while it is removed.
func awaitGroupExit(cmd *exec.Cmd, limit time.Duration) {
	if cmd.Process == nil {
		return
	}
	pgid := cmd.Process.Pid
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); {
		if syscall.Kill(-pgid, syscall.SIGKILL) == syscall.ESRCH {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// shell runs a tool under an address-space limit; without it, builds run unlimited.
const shell = "/bin/sh"

// withAddressSpaceLimit returns the command line that runs tool with args under an address-space
// limit of limit bytes, inherited by the processes it starts: the shell sets the limit, then
// replaces itself with the tool (same process, so killing the group still works). os/exec cannot
// set a limit between fork and exec itself.
func withAddressSpaceLimit(tool string, args []string, limit int64) (string, []string) {
	if limit <= 0 {
		return tool, args
	}
	if _, err := os.Stat(shell); err != nil {
		return tool, args
	}
	script := "ulimit -v " + strconv.FormatInt(limit>>10, 10) + ` && exec "$0" "$@"`
	return shell, append([]string{"-c", script, tool}, args...)
}
