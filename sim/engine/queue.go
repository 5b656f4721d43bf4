package engine

// Kind selects the handler an event is dispatched to. Kinds are handed out
// by Sim.Register.
type Kind uint16

// Event is one pending occurrence. Events are stored by value in the queue;
// Target and Arg are two payload words whose meaning belongs to the handler
// (typically an entity index and a request index). An Event is 32 bytes,
// so a node's four children in the heap share two cache lines.
type Event struct {
	At     Time   // when it fires
	key    uint64 // insertion sequence << 16 | kind: orders ties in At, first scheduled first
	Arg    int64  // payload word
	Target int32  // payload word, usually an entity index
	slot   int32  // cancellation slot, 0 when the event cannot be cancelled
}

// seqBits is how many bits of key hold the insertion sequence: 2^48
// events, some eight months of simulation at ten million events a second.
const seqBits = 48

func makeKey(seq uint64, kind Kind) uint64 { return seq<<16 | uint64(kind) }

// Kind returns the handler the event dispatches to.
func (e *Event) Kind() Kind { return Kind(e.key & 0xffff) }

func (e *Event) seq() uint64 { return e.key >> 16 }

// before reports whether a fires before b: earlier time, then earlier
// insertion. The order is total because sequences are unique, and the
// kind bits below the sequence never decide it.
func before(a, b *Event) bool {
	return a.At < b.At || (a.At == b.At && a.key < b.key)
}

// before reports whether e fires before an event at time at with insertion
// sequence seq.
func (e *Event) before(at Time, seq uint64) bool {
	return e.At < at || (e.At == at && e.seq() < seq)
}

// heap4 is a 4-ary min-heap of events ordered by (At, seq). A 4-ary heap
// is shallower than a binary one and touches fewer cache lines per
// operation. Element k is stored at ev[k+pad], so that the four children
// of any element (4k+1 .. 4k+4, stored from 4k+4) start on a multiple of
// four slots: with 32-byte events, one 128-byte aligned block.
type heap4 struct {
	ev []Event // ev[:pad] is unused padding
}

const pad = 3

func (q *heap4) len() int { return len(q.ev) - pad }

func (q *heap4) init() { q.ev = make([]Event, pad, 64) }

// top returns the earliest event. The queue must not be empty.
func (q *heap4) top() *Event { return &q.ev[pad] }

func (q *heap4) push(e Event) {
	q.ev = append(q.ev, e)
	q.up(q.len() - 1)
}

// pop removes and returns the earliest event. The queue must not be empty.
func (q *heap4) pop() Event {
	top := q.ev[pad]
	n := len(q.ev) - 1
	last := q.ev[n]
	q.ev = q.ev[:n]
	if n > pad {
		q.down(0, last)
	}
	return top
}

// up moves the element at k towards the root until its parent is earlier.
func (q *heap4) up(k int) {
	ev := q.ev
	e := ev[k+pad]
	for k > 0 {
		p := (k - 1) / 4
		if !before(&e, &ev[p+pad]) {
			break
		}
		ev[k+pad] = ev[p+pad]
		k = p
	}
	ev[k+pad] = e
}

// down places e in the hole at k, moving earlier children up.
func (q *heap4) down(k int, e Event) {
	ev := q.ev
	n := len(ev)
	for {
		c := 4*k + 1 + pad // first child's storage index
		if c >= n {
			break
		}
		m := c
		end := min(c+4, n)
		for j := c + 1; j < end; j++ {
			if before(&ev[j], &ev[m]) {
				m = j
			}
		}
		if !before(&ev[m], &e) {
			break
		}
		ev[k+pad] = ev[m]
		k = m - pad
	}
	ev[k+pad] = e
}

// heapify restores the heap property over the whole queue in O(n).
func (q *heap4) heapify() {
	n := q.len()
	if n < 2 {
		return
	}
	for k := (n - 2) / 4; k >= 0; k-- {
		q.down(k, q.ev[k+pad])
	}
}
