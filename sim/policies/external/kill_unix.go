//go:build unix

package external

import (
	"os/exec"
	"syscall"
)

// isolate puts the process in a process group of its own, so that kill
// also ends what it started (a shell's children, say) and none of them
// outlives the run.
func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// kill ends the process's group with SIGKILL.
func kill(cmd *exec.Cmd) {
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
		_ = cmd.Process.Kill()
	}
}
