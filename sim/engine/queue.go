package engine

// Kind selects the handler an event is dispatched to. Kinds are handed out
// by Sim.Register.
type Kind uint16

// Event is one pending occurrence. Events are stored by value in the queue;
// Target and Arg are two payload words whose meaning belongs to the handler
// (typically an entity index and a request index).
type Event struct {
	At     Time   // when it fires
	seq    uint64 // insertion sequence: breaks ties in At, first scheduled first
	Arg    int64  // payload word
	Target int32  // payload word, usually an entity index
	slot   int32  // cancellation slot, 0 when the event cannot be cancelled
	Kind   Kind   // handler to dispatch to
}

// before reports whether a fires before b: earlier time, then earlier
// insertion. The order is total because sequences are unique.
func before(a, b *Event) bool {
	return a.At < b.At || (a.At == b.At && a.seq < b.seq)
}

// queue is a 4-ary min-heap of events ordered by (At, seq). A 4-ary heap is
// shallower than a binary one and touches fewer cache lines per operation.
type queue struct {
	ev []Event
}

func (q *queue) len() int { return len(q.ev) }

func (q *queue) push(e Event) {
	q.ev = append(q.ev, e)
	q.up(len(q.ev) - 1)
}

// pop removes and returns the earliest event. The queue must not be empty.
func (q *queue) pop() Event {
	top := q.ev[0]
	n := len(q.ev) - 1
	last := q.ev[n]
	q.ev = q.ev[:n]
	if n > 0 {
		q.down(0, last)
	}
	return top
}

// up moves the event at i towards the root until its parent is earlier.
func (q *queue) up(i int) {
	e := q.ev[i]
	for i > 0 {
		p := (i - 1) / 4
		if !before(&e, &q.ev[p]) {
			break
		}
		q.ev[i] = q.ev[p]
		i = p
	}
	q.ev[i] = e
}

// down places e in the hole at i, moving earlier children up.
func (q *queue) down(i int, e Event) {
	ev := q.ev
	n := len(ev)
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := c + 4
		if end > n {
			end = n
		}
		for j := c + 1; j < end; j++ {
			if before(&ev[j], &ev[m]) {
				m = j
			}
		}
		if !before(&ev[m], &e) {
			break
		}
		ev[i] = ev[m]
		i = m
	}
	ev[i] = e
}

// heapify restores the heap property over the whole slice in O(n).
func (q *queue) heapify() {
	n := len(q.ev)
	if n < 2 {
		return
	}
	for i := (n - 2) / 4; i >= 0; i-- {
		q.down(i, q.ev[i])
	}
}
