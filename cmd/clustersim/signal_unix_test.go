//go:build unix

package main

import (
	"syscall"
	"testing"
	"time"
)

// TestInterruptFlagIsPerRun: a SIGINT during one run sets that run's flag
// only; the next run starts uninterrupted.
func TestInterruptFlagIsPerRun(t *testing.T) {
	first, stop := interruptOnSignal()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !first.Load() {
		if time.Now().After(deadline) {
			t.Fatal("SIGINT did not set the flag")
		}
		time.Sleep(time.Millisecond)
	}
	stop()
	second, stop := interruptOnSignal()
	defer stop()
	if second.Load() {
		t.Fatal("the next run starts interrupted")
	}
}
