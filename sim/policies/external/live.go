package external

import "sync"

// live holds the policy processes started and not yet reaped, so that a
// process about to exit on a signal can kill them all (KillAll) from
// another goroutine, whatever the simulation is doing.
var live struct {
	sync.Mutex
	procs map[*process]struct{}
}

// track records pr as running until untrack.
func track(pr *process) {
	live.Lock()
	defer live.Unlock()
	if live.procs == nil {
		live.procs = map[*process]struct{}{}
	}
	live.procs[pr] = struct{}{}
}

// untrack forgets pr once it has been stopped: reaped, its group killed.
func untrack(pr *process) {
	live.Lock()
	defer live.Unlock()
	delete(live.procs, pr)
}

// KillAll kills every running policy process, its process group and what
// left the group (see sweep), at once and without waiting: for a
// simulator interrupted by a signal. A Decide blocked on one of them
// returns ErrExited promptly. It is safe to call from any goroutine and
// more than once.
func KillAll() {
	live.Lock()
	procs := make([]*process, 0, len(live.procs))
	// map order: every process is killed; the order they die in reaches no output.
	for pr := range live.procs {
		procs = append(procs, pr)
	}
	live.Unlock()
	for _, pr := range procs {
		kill(pr.cmd)
		sweep(pr.marker)
	}
}
