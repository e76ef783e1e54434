//go:build unix

package sandbox

import (
	"os/exec"
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
