package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/policies/external"
)

// Signals (README, "Limits and guarantees"). The first SIGINT or SIGTERM,
// in any phase (parse, simulate, plot, write, waiting on an external
// policy):
//   - kills every external policy's process group at once, which also
//     ends a wait for its answer;
//   - cancels the run: the simulation stops at its next progress
//     callback, plotting between panels, check and variants start
//     nothing new; the run then removes its staging folder and temporary
//     files and the process exits 128+signal (130 for SIGINT, 143 for
//     SIGTERM);
//   - arms a watchdog: if the process is still running forceAfter later,
//     it removes what is left (staging folders, temporary files) and
//     exits with the same status.
//
// A second signal does what the watchdog does, at once. Signals are
// process-wide, so this state is too.

// forceAfter is how long the first signal gives the run to stop on its
// own before the watchdog exits, wall clock. It keeps the whole stop
// within a second of the signal.
const forceAfter = 400 * time.Millisecond

// interrupter is the process's signal state.
type interrupter struct {
	mu     sync.Mutex
	sig    os.Signal          // the first signal; nil until then
	ctx    context.Context    // cancelled by the first signal
	cancel context.CancelFunc //
	temps  map[string]struct{}
	forced bool // the watchdog or a second signal is exiting

	// commit is held while an output folder is swapped into place, so a
	// forced exit never stops between the two renames.
	commit sync.Mutex
	// exit ends the process; tests replace it.
	exit func(code int)
	// watch: a first signal arms the watchdog (listen sets it).
	watch bool
}

// interrupts is the process's one interrupter.
var interrupts = newInterrupter()

func newInterrupter() *interrupter {
	in := &interrupter{temps: map[string]struct{}{}, exit: os.Exit}
	in.ctx, in.cancel = context.WithCancel(context.Background())
	return in
}

// listen handles SIGINT and SIGTERM for the rest of the process's life.
func (in *interrupter) listen() {
	in.mu.Lock()
	in.watch = true
	in.mu.Unlock()
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		for sig := range ch {
			in.trigger(sig)
		}
	}()
}

// trigger is the arrival of sig.
func (in *interrupter) trigger(sig os.Signal) {
	in.mu.Lock()
	first := in.sig == nil
	if first {
		in.sig = sig
	}
	watch := in.watch
	in.mu.Unlock()
	if !first {
		in.force()
		return
	}
	in.cancel() // first: a run failing because its policy died sees why
	external.KillAll()
	if watch {
		time.AfterFunc(watchdogDelay(), in.force)
	}
}

// force removes every staging folder and temporary file and exits with
// the first signal's status. It does not return (unless exit is
// replaced).
func (in *interrupter) force() {
	in.mu.Lock()
	if in.forced {
		in.mu.Unlock()
		return
	}
	in.forced = true
	in.mu.Unlock()
	external.KillAll()
	in.commit.Lock() // let a swap in progress finish; never released
	in.mu.Lock()
	for p := range in.temps {
		os.RemoveAll(p)
	}
	code := in.errLocked().code()
	in.mu.Unlock()
	reports.RemoveTemps()
	fmt.Fprintf(os.Stderr, "clustersim: %s\n", in.errLocked())
	in.exit(code)
}

// context is cancelled by the first signal.
func (in *interrupter) context() context.Context { return in.ctx }

// interrupted reports whether a signal arrived.
func (in *interrupter) interrupted() bool { return in.ctx.Err() != nil }

// err is the error a command returns once interrupted, carrying the exit
// status: nil before any signal.
func (in *interrupter) err() error {
	if in.ctx.Err() == nil {
		return nil
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.errLocked()
}

func (in *interrupter) errLocked() *interruptError {
	sig := in.sig
	if sig == nil {
		sig = os.Interrupt
	}
	return &interruptError{sig: sig}
}

// track records path (a staging folder or temporary folder) as removed
// by a forced exit until the returned function is called.
func (in *interrupter) track(path string) (untrack func()) {
	in.mu.Lock()
	in.temps[path] = struct{}{}
	in.mu.Unlock()
	return func() {
		in.mu.Lock()
		delete(in.temps, path)
		in.mu.Unlock()
	}
}

// interruptError is a command stopped by a signal; its exit status is
// 128 + the signal's number, as shells report it.
type interruptError struct{ sig os.Signal }

func (e *interruptError) Error() string {
	return fmt.Sprintf("interrupted by %s: stopped, no output written", signalName(e.sig))
}

// code is the exit status.
func (e *interruptError) code() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130
}

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// Test hooks for the end-to-end signal tests (signal_unix_test.go), read
// from the environment; unset in normal use:
//   - CLUSTERSIM_TEST_STALL=PHASE: print "clustersim: test: phase P" to
//     stderr on reaching each phase P (parse, simulate, plot, write),
//     and on reaching PHASE hang there without ever checking for a
//     signal, the worst case the watchdog must cover;
//   - CLUSTERSIM_TEST_WATCHDOG=DURATION replaces forceAfter, so a test
//     can tell a second signal's immediate exit from the watchdog's.
const (
	stallEnv    = "CLUSTERSIM_TEST_STALL"
	watchdogEnv = "CLUSTERSIM_TEST_WATCHDOG"
)

// stall announces phase and hangs forever there if the stall hook names
// it; it does nothing when the hook is unset.
func stall(phase string) {
	hook := os.Getenv(stallEnv)
	if hook == "" {
		return
	}
	fmt.Fprintf(os.Stderr, "clustersim: test: phase %s\n", phase)
	for hook == phase {
		time.Sleep(time.Hour)
	}
}

// watchdogDelay is forceAfter, or the test hook's replacement.
func watchdogDelay() time.Duration {
	if d, err := time.ParseDuration(os.Getenv(watchdogEnv)); err == nil && d > 0 {
		return d
	}
	return forceAfter
}
