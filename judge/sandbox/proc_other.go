//go:build !unix

package sandbox

import (
	"os/exec"
	"time"
)

// killGroupOnCancel kills only the go command on systems without process groups; its compiler
// and linker children end when they next write to the closed pipes.
func killGroupOnCancel(cmd *exec.Cmd) {
	cmd.Cancel = func() error { return cmd.Process.Kill() }
}

// awaitGroupExit has no process group to wait for.
func awaitGroupExit(*exec.Cmd, time.Duration) {}
