package engine

// DelayQueue holds timers that all share one delay, such as a workload's
// client timeout. Their deadlines are reached in the order they were
// started, so a FIFO ring replaces the heap: starting and stopping a timer
// is O(1), and the engine's queue holds a single event for the earliest
// live deadline however many timers are pending. Stopped timers are
// skipped when they reach the front.
//
// A timer that fires is dispatched to the handler of its kind like any
// other event and counts as one executed event. A timer takes its place in
// the (time, insertion sequence) order when it is started, exactly as if it
// had been scheduled then: the internal wake-up event carries the front
// timer's own sequence, and timers due at the same instant as other events
// fire in that order.
type DelayQueue struct {
	sim   *Sim
	delay Duration
	kind  Kind // handler the timers fire
	tick  Kind // internal: wake up at the front's deadline
	ring  []delayEntry
	spare []delayEntry // the other buffer compaction copies into
	head  int
	n     int
	dead  int // stopped timers still in the ring
	slots slotTable
	armed bool
}

type delayEntry struct {
	at     Time
	seq    uint64
	arg    int64
	target int32
	slot   int32
}

// NewDelayQueue returns a queue of timers firing kind's handler delay after
// they are started. The name labels its internal event kind.
func (s *Sim) NewDelayQueue(name string, delay Duration, kind Kind) *DelayQueue {
	if delay < 0 {
		panic("engine: negative delay for " + name)
	}
	q := &DelayQueue{sim: s, delay: delay, kind: kind, slots: newSlotTable()}
	q.tick = s.Register("delay:"+name, q.onTick)
	return q
}

// Start starts a timer that fires kind's handler with target and arg after
// the queue's delay, unless stopped first.
func (q *DelayQueue) Start(target int32, arg int64) Handle {
	at := q.sim.now.Add(q.delay)
	q.sim.nextSeq()
	seq := q.sim.seq
	slot := q.slots.take(seq)
	if q.n == len(q.ring) {
		q.grow()
	}
	q.ring[(q.head+q.n)%len(q.ring)] = delayEntry{at: at, seq: seq, arg: arg, target: target, slot: slot}
	q.n++
	if !q.armed {
		q.arm(at, seq)
	}
	return Handle{slot: slot, seq: seq}
}

// arm schedules the wake-up event at the front timer's deadline with the
// front timer's own sequence, so it sorts where the timer would. The
// sequence was taken when the timer started, so it is unique.
func (q *DelayQueue) arm(at Time, seq uint64) {
	q.armed = true
	q.sim.push(Event{At: at, key: makeKey(seq, q.tick)})
}

// Stop stops a timer and reports whether it was still pending.
func (q *DelayQueue) Stop(h Handle) bool {
	if !q.slots.alive(h.slot, h.seq) {
		return false
	}
	q.slots.release(h.slot)
	q.dead++
	if q.dead > 4096 && 4*q.dead > 3*q.n {
		q.compact()
	}
	return true
}

// compact drops stopped timers from the ring, keeping the order, so a
// long delay with mostly stopped timers does not hold memory.
func (q *DelayQueue) compact() {
	nr := q.spare
	if len(nr) != len(q.ring) {
		nr = make([]delayEntry, len(q.ring))
	}
	kept := 0
	for i := range q.n {
		e := q.ring[(q.head+i)%len(q.ring)]
		if q.slots.alive(e.slot, e.seq) {
			nr[kept] = e
			kept++
		}
	}
	q.ring, q.spare = nr, q.ring
	q.head, q.n, q.dead = 0, kept, 0
}

// Len returns the number of timers held, including stopped ones not yet
// discarded.
func (q *DelayQueue) Len() int { return q.n }

func (q *DelayQueue) grow() {
	nr := make([]delayEntry, max(16, 2*len(q.ring)))
	for i := range q.n {
		nr[i] = q.ring[(q.head+i)%len(q.ring)]
	}
	q.ring, q.head = nr, 0
}

// front discards stopped timers at the front and returns the first live
// one, or nil.
func (q *DelayQueue) front() *delayEntry {
	for q.n > 0 {
		e := &q.ring[q.head]
		if q.slots.alive(e.slot, e.seq) {
			return e
		}
		q.popFront()
		q.dead--
	}
	return nil
}

func (q *DelayQueue) popFront() {
	q.head++
	if q.head == len(q.ring) {
		q.head = 0
	}
	q.n--
}

// onTick fires the front timer, then every following one that is due now
// and sorts before the engine's next event; it re-arms for the first timer
// that does not, which keeps the (time, sequence) order without a heap
// operation per timer when timeouts come in bursts.
func (q *DelayQueue) onTick(tick Event) {
	// While it runs, timers started by the handlers it calls join the ring
	// without arming a second wake-up: the loop below reaches them.
	s := q.sim
	for {
		e := q.front()
		if e == nil {
			q.armed = false
			return
		}
		// The timer the wake-up was armed for fires at once; if it was
		// stopped, or once it has fired, the next one is checked.
		if e.seq != tick.seq() {
			if e.at > s.now {
				q.arm(e.at, e.seq)
				return
			}
			// Due now: it may run here only if no pending event sorts
			// before it. The wake-up event may still be at the top of the
			// engine queue (see Sim.push); take it off to look below it.
			s.dropFiring()
			if s.q.len() > 0 && s.q.top().before(e.at, e.seq) {
				q.arm(e.at, e.seq)
				return
			}
		}
		ev := Event{At: e.at, key: makeKey(e.seq, q.kind), Arg: e.arg, Target: e.target}
		q.slots.release(e.slot)
		q.popFront()
		s.executed++
		s.handlers[q.kind](ev)
	}
}
