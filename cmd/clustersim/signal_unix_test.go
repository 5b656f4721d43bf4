//go:build unix

package main

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestInterrupter: the first signal cancels the run and names its exit
// status (128+n: 130 for SIGINT, 143 for SIGTERM, bash(1) "EXIT
// STATUS"); a second one removes every tracked staging folder and exits
// at once with the first signal's status.
func TestInterrupter(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		want int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		in := newInterrupter()
		exited := -1
		in.exit = func(code int) { exited = code }
		stage := filepath.Join(t.TempDir(), ".out.tmp-1")
		if err := os.MkdirAll(filepath.Join(stage, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		in.track(stage)
		if in.interrupted() || in.err() != nil {
			t.Fatal("interrupted before any signal")
		}
		in.trigger(tc.sig)
		if !in.interrupted() || in.context().Err() == nil {
			t.Fatal("the first signal did not cancel the run")
		}
		var ie *interruptError
		if !errors.As(in.err(), &ie) || exitCode(in.err()) != tc.want {
			t.Fatalf("%v: exit code %d, want %d", tc.sig, exitCode(in.err()), tc.want)
		}
		if exited != -1 {
			t.Fatal("the first signal exited at once")
		}
		in.trigger(syscall.SIGINT) // the second: exit with the first's status
		if exited != tc.want {
			t.Fatalf("second signal: exit %d, want %d", exited, tc.want)
		}
		if _, err := os.Stat(stage); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("staging folder left behind: %v", err)
		}
	}
}

// TestInterruptedErrorWinsOverBadInput: an interrupted check reports the
// signal's status, not 2 ("could not be checked") or 1.
func TestInterruptedErrorWinsOverBadInput(t *testing.T) {
	err := badInput(&interruptError{sig: syscall.SIGTERM})
	if got := exitCode(err); got != 143 {
		t.Fatalf("exit %d, want 143", got)
	}
}
