//go:build linux

package external

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// deathSignal has the kernel kill the process if the simulator dies
// first, even by SIGKILL.
func deathSignal(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }

// sweep kills every process of ours whose environment holds marker: the
// descendants of a policy that left its process group (setsid, a double
// fork). A process that scrubbed its environment as well escapes; a
// policy is arbitrary code running with the user's rights.
func sweep(marker string) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	needle := []byte(marker)
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err != nil {
			continue // gone, or not ours
		}
		for _, kv := range bytes.Split(env, []byte{0}) {
			if bytes.Equal(kv, needle) {
				_ = syscall.Kill(pid, syscall.SIGKILL)
				break
			}
		}
	}
}
