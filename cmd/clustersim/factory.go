package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// factory holds what commands need from the outside world, so tests can
// swap it.
type factory struct {
	out, errOut io.Writer
	// errIsTerminal reports whether errOut is a terminal (progress bars
	// are drawn only then).
	errIsTerminal func() bool
	// getenv reads the environment (GITHUB_ACTIONS).
	getenv func(string) string
	// limits are the resource-limit flags (see limits.go).
	limits *limitFlags
}

func newFactory() *factory {
	return &factory{
		out:           os.Stdout,
		errOut:        os.Stderr,
		errIsTerminal: func() bool { return term.IsTerminal(int(os.Stderr.Fd())) },
		getenv:        os.Getenv,
		limits:        defaultLimits(),
	}
}
