package external

// live holds the policy processes started and not yet stopped, so that a
// process about to exit on a signal can kill them all (KillAll) from
// another goroutine, whatever the simulation is doing. liveLock, a
// one-slot channel, guards it (the package keeps to channels: see
// sim/engine/purity_test.go).
var (
	live     []*process
	liveLock = make(chan struct{}, 1)
)

// track records pr as running until untrack.
func track(pr *process) {
	liveLock <- struct{}{}
	live = append(live, pr)
	<-liveLock
}

// untrack forgets pr once it has been stopped: reaped, its group killed.
func untrack(pr *process) {
	liveLock <- struct{}{}
	for i, p := range live {
		if p == pr {
			live = append(live[:i], live[i+1:]...)
			break
		}
	}
	<-liveLock
}

// KillAll kills every running policy process, its process group and what
// left the group (see sweep), at once and without waiting: for a
// simulator interrupted by a signal. A Decide blocked on one of them
// returns ErrExited promptly. It is safe to call from any goroutine and
// more than once.
func KillAll() {
	liveLock <- struct{}{}
	procs := append([]*process(nil), live...)
	<-liveLock
	for _, pr := range procs {
		kill(pr.cmd)
		sweep(pr.marker)
	}
}
