//go:build unix

package external

import (
	"os/exec"
	"syscall"
)

// isolate puts the process in a process group of its own, so that kill
// also ends what it started (a shell's children, say) and none of them
// outlives the run; on Linux it also dies with the simulator (see
// deathSignal).
func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	deathSignal(cmd.SysProcAttr)
}

// kill ends the process's group with SIGKILL, whether or not the leader
// is still running: what it left behind goes too.
func kill(cmd *exec.Cmd) {
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
		_ = cmd.Process.Kill()
	}
}
