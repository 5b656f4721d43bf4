//go:build unix && !linux

package external

import "syscall"

// deathSignal does nothing where the kernel offers no parent-death signal.
func deathSignal(*syscall.SysProcAttr) {}

// sweep does nothing without /proc environments; the process group kill
// still applies.
func sweep(string) {}
