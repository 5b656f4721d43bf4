//go:build !unix

package main

// lockDir does nothing where flock(2) is missing.
func lockDir(string) (func(), error) { return func() {}, nil }

// tryLockDir never succeeds where there is no lock to tell a live run's
// staging folder from a dead one's: leftovers are not cleaned there.
func tryLockDir(string) (func(), bool) { return nil, false }
