package engine

import (
	"fmt"
	"math/rand/v2"
)

// Handler handles one event. It runs at ev.At, which Sim.Now also reports.
type Handler func(ev Event)

// Handle identifies a cancellable event. The zero Handle refers to nothing
// and cancelling it is a no-op.
type Handle struct {
	slot int32
	seq  uint64
}

// Valid reports whether h refers to a scheduled event (which may since have
// fired or been cancelled).
func (h Handle) Valid() bool { return h.slot != 0 }

// progressMask sets how often the progress callback runs: every 2^16 events.
const progressMask = 1<<16 - 1

// tuneMask sets how often the pending-event set re-chooses its layout:
// every 2^12 events.
const tuneMask = 1<<12 - 1

// Sim is a discrete-event simulator: a clock, a pending-event set ordered by
// (time, insertion sequence), a handler table and named random streams. It
// knows nothing of what it simulates. A Sim is not safe for concurrent use.
type Sim struct {
	now      Time
	seq      uint64
	q        queue
	handlers []Handler
	names    []string
	executed int64
	seed     uint64
	stopped  bool
	// firing is true while a handler runs and the event it handles still
	// sits at the top of the heap: the handler's first Schedule replaces
	// it in one sift-down instead of a pop plus a push.
	firing bool

	// Cancellation: a cancellable event owns a slot while it is live.
	// Cancelled events stay in the heap and are skipped
	// when popped; when they outnumber the live ones the heap is compacted,
	// so cancelled timers neither leak nor slow the queue for long.
	slots slotTable
	dead  int

	progress func(now Time)
	tunedAt  Time // when the queue's layout was last tuned
}

// New returns a simulator at time 0 whose streams derive from seed.
func New(seed uint64) *Sim {
	s := &Sim{seed: seed, slots: newSlotTable(), handlers: make([]Handler, 0, 16)}
	s.q.init()
	return s
}

// Register adds a handler and returns the Kind that dispatches to it. The
// name is used in panics and debugging output.
func (s *Sim) Register(name string, h Handler) Kind {
	if h == nil {
		panic("engine: nil handler for " + name)
	}
	s.handlers = append(s.handlers, h)
	s.names = append(s.names, name)
	return Kind(len(s.handlers) - 1)
}

// Warmer is called for a pending event shortly before it is due, with the
// event's payload, to bring the memory its handler will use into cache.
// It must only read: it runs at no defined time and changes nothing.
type Warmer func(ev *Event)

// SetWarmer installs w for events of kind. With a large pending set, the
// queue loads events a time bucket (a few dozen events) at a time; w runs
// for each event of kind in a bucket as it is loaded, so the cache misses
// of the whole bucket overlap instead of stalling one handler each. With
// few pending events everything is in cache already and w never runs.
func (s *Sim) SetWarmer(kind Kind, w Warmer) {
	if n := int(kind) + 1; len(s.q.warm) < n {
		s.q.warm = append(s.q.warm, make([]Warmer, n-len(s.q.warm))...)
	}
	s.q.warm[kind] = w
}

// KindName returns the name a Kind was registered with.
func (s *Sim) KindName(k Kind) string { return s.names[k] }

// Now returns the current simulated time.
func (s *Sim) Now() Time { return s.now }

// Seed returns the seed the simulator's streams derive from.
func (s *Sim) Seed() uint64 { return s.seed }

// Stream returns the random stream of the named component; see NewStream.
func (s *Sim) Stream(name string) *rand.Rand { return NewStream(s.seed, name) }

// Executed returns the number of events handled so far (cancelled events
// are not counted).
func (s *Sim) Executed() int64 { return s.executed }

// Pending returns the number of events in the queue, including cancelled
// ones not yet discarded.
func (s *Sim) Pending() int { return s.q.len() - s.firingCount() }

func (s *Sim) firingCount() int {
	if s.firing {
		return 1
	}
	return 0
}

// Live returns the number of pending events that have not been cancelled.
func (s *Sim) Live() int { return s.Pending() - s.dead }

// SetProgress installs fn, called every 65,536 events with the current
// time. Pass nil to remove it.
func (s *Sim) SetProgress(fn func(now Time)) { s.progress = fn }

// Schedule arranges for the handler of kind to run at time at with the two
// payload words. Scheduling in the past is a bug and panics.
func (s *Sim) Schedule(at Time, kind Kind, target int32, arg int64) {
	if at < s.now {
		panic(fmt.Sprintf("engine: schedule in the past: %v < now %v (%s)", at, s.now, s.names[kind]))
	}
	s.nextSeq()
	s.push(Event{At: at, key: makeKey(s.seq, kind), Arg: arg, Target: target})
}

// nextSeq advances the insertion sequence.
func (s *Sim) nextSeq() {
	s.seq++
	if s.seq >= 1<<seqBits {
		panic("engine: event sequence exhausted (2^48 events scheduled)")
	}
}

// push adds e to the heap, reusing the slot of the event being handled
// if it is still at the top.
func (s *Sim) push(e Event) {
	if s.firing {
		s.firing = false
		s.q.replaceTop(e)
		return
	}
	s.q.push(e)
}

// dropFiring removes the handled event from the top of the heap if it is
// still there.
func (s *Sim) dropFiring() {
	if s.firing {
		s.firing = false
		s.q.pop()
	}
}

// After schedules kind to run d from now.
func (s *Sim) After(d Duration, kind Kind, target int32, arg int64) {
	s.Schedule(s.now.Add(d), kind, target, arg)
}

// ScheduleCancellable is Schedule returning a Handle for Cancel.
func (s *Sim) ScheduleCancellable(at Time, kind Kind, target int32, arg int64) Handle {
	if at < s.now {
		panic(fmt.Sprintf("engine: schedule in the past: %v < now %v (%s)", at, s.now, s.names[kind]))
	}
	s.nextSeq()
	slot := s.slots.take(s.seq)
	s.push(Event{At: at, key: makeKey(s.seq, kind), Arg: arg, Target: target, slot: slot})
	return Handle{slot: slot, seq: s.seq}
}

// Cancel stops a pending event from firing. It reports whether the event
// was still pending; cancelling a fired or already cancelled event is a
// no-op.
func (s *Sim) Cancel(h Handle) bool {
	if !s.slots.alive(h.slot, h.seq) {
		return false
	}
	s.slots.release(h.slot)
	s.dead++
	if s.dead > 1024 && 2*s.dead > s.q.len() {
		s.compact()
	}
	return true
}

// compact drops cancelled events from the heap and restores heap order.
// Heap order is a total order on (At, seq), so compaction never changes
// which event fires next.
func (s *Sim) compact() {
	s.dropFiring()
	s.q.rebuild(s.now, s.q.shift, len(s.q.heads), func(e *Event) bool {
		return e.slot != 0 && !s.slots.alive(e.slot, e.seq())
	})
	s.dead = 0
}

// Stop makes the current Run or RunUntil return after the running handler.
func (s *Sim) Stop() { s.stopped = true }

// skipDead discards cancelled events at the front of the queue and reports
// whether a live event remains.
func (s *Sim) skipDead() bool {
	for s.q.len() > 0 {
		top := s.q.top()
		if top.slot == 0 || s.slots.alive(top.slot, top.seq()) {
			return true
		}
		s.q.pop()
		s.dead--
	}
	return false
}

// Step handles the next pending event, skipping cancelled ones. It reports
// false when no event is left.
func (s *Sim) Step() bool {
	if !s.skipDead() {
		return false
	}
	s.fireTop()
	return true
}

// fireTop handles the event at the top of the heap, which must be live.
// The event stays in the heap while its handler runs (see push).
func (s *Sim) fireTop() {
	if s.executed&tuneMask == 0 {
		s.q.tune(s.now, s.now.Sub(s.tunedAt), tuneMask+1)
		s.tunedAt = s.now
	}
	ev := *s.q.top()
	if ev.slot != 0 {
		s.slots.release(ev.slot)
	}
	s.now = ev.At
	s.executed++
	s.firing = true
	s.handlers[ev.Kind()](ev)
	s.dropFiring()
	if s.executed&progressMask == 0 && s.progress != nil {
		s.progress(s.now)
	}
}

// RunUntil handles events in order until the next one would fire after
// horizon, the queue empties or Stop is called; then the clock reads
// horizon (unless stopped early). Events at exactly horizon are handled.
func (s *Sim) RunUntil(horizon Time) {
	s.stopped = false
	for !s.stopped && s.skipDead() && s.q.top().At <= horizon {
		s.fireTop()
	}
	if !s.stopped && s.now < horizon {
		s.now = horizon
	}
}

// Run handles events until none is left or Stop is called.
func (s *Sim) Run() {
	s.stopped = false
	for !s.stopped && s.Step() {
	}
}
