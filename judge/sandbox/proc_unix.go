//go:build unix

package sandbox

import (
	"os/exec"
	"syscall"
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
