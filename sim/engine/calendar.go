package engine

import (
	"math"
	"math/bits"
)

// queue is the pending-event set: a calendar of time buckets in front of
// two 4-ary heaps, in the manner of a ladder queue (Tang, Goh and Thng,
// "Ladder Queue: An O(1) Priority Queue Structure for Large-Scale Discrete
// Event Simulation", ACM TOMACS 15(3), 2005), reduced to one rung.
//
// Time is cut into buckets of 2^shift nanoseconds, numbered At >> shift.
// Every pending event is in exactly one of three places:
//
//   - near, a heap of the events in buckets up to cur, the current bucket;
//   - the ring, nb unsorted buckets for bucket numbers cur+1 .. cur+nb-1,
//     each a linked list of chunks of up to chunkLen events, from one slab
//     (a chunk's events are contiguous, so loading a bucket is a few
//     dependent memory accesses, not one per event);
//   - far, a heap of the events in bucket cur+nb or later.
//
// Removing the earliest event takes it from near; when near runs dry, cur
// moves to the next non-empty bucket, whose events are heapified into
// near, and far events now inside the window move into the ring. With a
// bucket width of a few dozen events, near stays small and hot in cache
// whatever the number of pending events, so a large pending set costs
// O(1) per event instead of a deep sift through a heap that no longer
// fits in cache.
//
// With few pending events a plain heap is faster; the queue is then in
// heap mode (shift 63: every event is in bucket 0, which is cur, so all of
// them are in near) and tune switches between the modes as the pending set
// grows and shrinks.
//
// Whatever the layout, events leave in (At, seq) order, a total order, so
// the layout never changes what a simulation does: tuning is invisible
// except in speed.
type queue struct {
	near heap4
	far  heap4

	shift  uint    // bucket width is 1<<shift ns; heapMode: one bucket for all time
	cur    int64   // current bucket number: near holds buckets <= cur
	end    int64   // first bucket past the ring: far holds buckets >= end
	heads  []int32 // ring slot -> first chunk of its bucket's list, -1 when empty
	fill   []uint8 // ring slot -> events in its first chunk (the others are full)
	bits   []uint64
	chunks []chunk // slab of chunks
	next   []int32 // chunk -> next chunk of its bucket, or of the free list; -1 ends
	free   int32
	ring   int // events in the ring

	scratch []Event // reused by rebuild

	warm []Warmer // by Kind: called for each event of that kind loaded into near; nil for none
}

// chunkLen is the number of events in a chunk: 256 bytes of events.
const chunkLen = 8

// chunk holds some of a ring bucket's events: 256 bytes, four cache
// lines. The first chunk of a bucket is the one being filled; its count
// and the links between chunks are kept apart (queue.fill, queue.next), so
// adding an event touches one line of the chunk.
type chunk [chunkLen]Event

// heapMode is the shift that puts every event of a non-negative time in
// bucket 0.
const heapMode = 63

// Calendar tuning: the ring is switched on when more than ringOn events
// are pending and off again below ringOff; bucket widths aim at
// bucketEvents events per bucket at the recent event rate, and the ring
// spans ringSpan times the pending events' worth of buckets. Chosen by
// BenchmarkHold and BenchmarkFleet (see BENCHMARKS.md).
const (
	ringOn       = 256
	ringOff      = 64
	bucketEvents = 32
	ringSpan     = 16
	minRing      = 64
	maxRing      = 1 << 16
)

func (q *queue) init() {
	q.near.init()
	q.far.init()
	q.shift = heapMode
	q.free = -1
}

// len returns the number of pending events.
func (q *queue) len() int { return q.near.len() + q.ring + q.far.len() }

// bucket returns the number of the bucket holding time t.
func (q *queue) bucket(t Time) int64 { return int64(t) >> q.shift }

// push adds an event.
func (q *queue) push(e Event) {
	if b := q.bucket(e.At); b > q.cur {
		q.pushLater(b, e)
		return
	}
	q.near.push(e)
}

// pushLater adds an event of bucket b, after the current one.
func (q *queue) pushLater(b int64, e Event) {
	if b < q.end {
		q.link(b, e)
		return
	}
	q.far.push(e)
}

// top returns the earliest event. The queue must not be empty.
func (q *queue) top() *Event {
	if q.near.len() == 0 {
		q.advance()
	}
	return q.near.top()
}

// pop removes and returns the earliest event. The queue must not be empty.
func (q *queue) pop() Event {
	if q.near.len() == 0 {
		q.advance()
	}
	return q.near.pop()
}

// replaceTop removes the earliest event, which top has just returned, and
// adds e: in one sift-down when e belongs in near.
func (q *queue) replaceTop(e Event) {
	if b := q.bucket(e.At); b > q.cur {
		q.near.pop()
		q.pushLater(b, e)
		return
	}
	q.near.down(0, e)
}

// link adds e to the ring bucket b, which must be inside the window.
func (q *queue) link(b int64, e Event) {
	i := int(b) & (len(q.heads) - 1)
	c, n := q.heads[i], q.fill[i]
	if c < 0 || n == chunkLen {
		c, n = q.newChunk(c), 0
		q.heads[i] = c
		q.bits[i>>6] |= 1 << (i & 63)
	}
	q.chunks[c][n] = e
	q.fill[i] = n + 1
	q.ring++
}

// newChunk returns an empty chunk whose successor is next.
func (q *queue) newChunk(next int32) int32 {
	c := q.free
	if c < 0 {
		q.chunks = append(q.chunks, chunk{})
		q.next = append(q.next, 0)
		c = int32(len(q.chunks) - 1)
	} else {
		q.free = q.next[c]
	}
	q.next[c] = next
	return c
}

// advance moves cur to the next bucket holding events and loads it into
// near, which must be empty. The queue must not be empty.
func (q *queue) advance() {
	if q.ring == 0 {
		q.cur = q.bucket(q.far.top().At) // jump over the empty stretch
	} else {
		q.cur = q.nextBucket()
	}
	q.setEnd()
	for q.far.len() > 0 {
		if b := q.bucket(q.far.top().At); b >= q.end && b > q.cur {
			break
		}
		q.push(q.far.pop())
	}
	if len(q.heads) == 0 {
		return
	}
	i := int(q.cur) & (len(q.heads) - 1)
	n := int(q.fill[i])
	for c := q.heads[i]; c >= 0; {
		q.near.ev = append(q.near.ev, q.chunks[c][:n]...)
		q.ring -= n
		n = chunkLen
		next := q.next[c]
		q.next[c] = q.free
		q.free = c
		c = next
	}
	q.heads[i] = -1
	q.fill[i] = 0
	q.bits[i>>6] &^= 1 << (i & 63)
	if q.warm != nil {
		for k := pad; k < len(q.near.ev); k++ {
			if kind := int(q.near.ev[k].Kind()); kind < len(q.warm) && q.warm[kind] != nil {
				q.warm[kind](&q.near.ev[k])
			}
		}
	}
	q.near.heapify()
}

// setEnd places the end of the ring's window after cur, saturating at the
// end of time rather than wrapping.
func (q *queue) setEnd() {
	q.end = q.cur + int64(len(q.heads))
	if q.end < q.cur {
		q.end = math.MaxInt64
	}
}

// nextBucket returns the number of the first non-empty ring bucket after
// cur. The ring must not be empty.
func (q *queue) nextBucket() int64 {
	mask := len(q.heads) - 1
	start := int(q.cur+1) & mask
	w := start >> 6
	word := q.bits[w] &^ (1<<(start&63) - 1)
	for word == 0 {
		w++
		if w == len(q.bits) {
			w = 0
		}
		word = q.bits[w]
	}
	i := w<<6 + bits.TrailingZeros64(word)
	return q.cur + 1 + int64((i-start)&mask)
}

// tune re-chooses the layout for n pending events, none earlier than now,
// given that the last events handled covered span of simulated time. It
// must not run while an event is being handled (the handled event sits at
// the top of near).
func (q *queue) tune(now Time, span Duration, events int) {
	n := q.len()
	if q.shift == heapMode {
		if n <= ringOn {
			return
		}
	} else if n < ringOff {
		q.rebuild(now, heapMode, 0, nil)
		return
	}
	// Bucket width: bucketEvents events at the recent rate.
	width := float64(span) * bucketEvents / float64(max(events, 1)) // in float64: no overflow for any span
	width = min(max(width, 1), 1<<62)
	shift := uint(bits.Len64(uint64(width)) - 1)
	slots := 1 << bits.Len(uint(max(ringSpan*n/bucketEvents, minRing)-1))
	slots = min(slots, maxRing)
	if q.shift == heapMode || diff(shift, q.shift) >= 2 || slots >= 4*len(q.heads) || 4*slots <= len(q.heads) {
		q.rebuild(now, shift, slots, nil)
	}
}

func diff(a, b uint) uint {
	if a > b {
		return a - b
	}
	return b - a
}

// rebuild lays all pending events, none earlier than floor, out again with
// a bucket width of 1<<shift and a ring of slots buckets (none in heap
// mode), dropping those for which drop reports true.
func (q *queue) rebuild(floor Time, shift uint, slots int, drop func(*Event) bool) {
	all := append(q.scratch[:0], q.near.ev[pad:]...)
	all = append(all, q.far.ev[pad:]...)
	for i, h := range q.heads {
		n := int(q.fill[i])
		for c := h; c >= 0; c = q.next[c] {
			all = append(all, q.chunks[c][:n]...)
			n = chunkLen
		}
	}
	q.near.ev = q.near.ev[:pad]
	q.far.ev = q.far.ev[:pad]
	q.chunks, q.next = q.chunks[:0], q.next[:0]
	q.free = -1
	q.ring = 0
	q.shift = shift
	if slots == 0 {
		q.heads, q.fill, q.bits = q.heads[:0], q.fill[:0], q.bits[:0]
	} else {
		if cap(q.heads) < slots {
			q.heads = make([]int32, slots)
			q.fill = make([]uint8, slots)
			q.bits = make([]uint64, slots/64)
		}
		q.heads, q.fill, q.bits = q.heads[:slots], q.fill[:slots], q.bits[:slots/64]
		for i := range q.heads {
			q.heads[i] = -1
		}
		clear(q.fill)
		clear(q.bits)
	}
	q.cur = q.bucket(floor)
	q.setEnd()
	end := q.end
	for i := range all {
		e := &all[i]
		if drop != nil && drop(e) {
			continue
		}
		switch b := q.bucket(e.At); {
		case b <= q.cur:
			q.near.ev = append(q.near.ev, *e)
		case b < end:
			q.link(b, *e)
		default:
			q.far.ev = append(q.far.ev, *e)
		}
	}
	q.near.heapify()
	q.far.heapify()
	q.scratch = all[:0]
}
