// Command clustersim simulates service clusters from TOML scenarios. See
// `clustersim --help` and the README.
package main

import (
	"errors"
	"fmt"
	"os"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	interrupts.listen()
	f := newFactory()
	root := newCmdRoot(f)
	err := root.Execute()
	if err == nil && interrupts.interrupted() {
		// The signal came as the command finished: it did its work, but
		// the shell is told it was interrupted.
		err = interrupts.err()
	}
	if err != nil {
		fmt.Fprintln(f.errOut, "clustersim: "+err.Error())
		os.Exit(exitCode(err))
	}
}

// exitError carries a process exit code with an error.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// badInput marks err as the user's input being wrong: exit code 2.
func badInput(err error) error { return &exitError{code: 2, err: err} }

// exitCode maps an error to the process exit status: 128+N for a
// signal N (130 SIGINT, 143 SIGTERM), 2 for bad input (flags, scenario
// files), 1 otherwise.
func exitCode(err error) int {
	var ie *interruptError
	if errors.As(err, &ie) {
		return ie.code()
	}
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return 1
}
