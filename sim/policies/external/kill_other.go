//go:build !unix

package external

import "os/exec"

// isolate does nothing where process groups are not available.
func isolate(*exec.Cmd) {}

// kill ends the process only; exec.Cmd.WaitDelay keeps a child that holds
// its pipes from blocking the simulator.
func kill(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

// sweep does nothing here; see the Linux version.
func sweep(string) {}
