//go:build unix

package main

import (
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on the folder dir, held until the
// returned function is called or the process ends (flock(2) locks go with
// the open file, which the kernel closes when the process dies, even by
// SIGKILL).
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// tryLockDir takes the lock of dir if no one holds it.
func tryLockDir(dir string) (unlock func(), ok bool) {
	unlock, err := lockDir(dir)
	return unlock, err == nil
}
