package models

import "github.com/clustersim/clustersim/sim/engine"

// RequestID indexes a request in the cluster's request pool.
type RequestID int32

// request is one client request in flight. Requests live in a pool and are
// recycled, so a steady-state run allocates none. A request is 32 bytes
// (TestInstanceLayout): at 10,000 instances tens of thousands are in
// flight, and half the bytes is half the cache misses.
type request struct {
	sent     engine.Time     // when the client sent it (and it reached its service)
	work     engine.Duration // service time it needs on a warm instance
	instance int32
	next     RequestID // the request behind it in its instance's queue
	workload uint16
	service  uint16
	serving  bool // in service on its instance (not queued, not free)
	counted  bool // sent after the warm-up period: it enters the summary
	timedOut bool // the client gave up; the server may still be working
	failed   bool // lost with its instance; a pending completion is ignored
}

// maxEntities bounds the number of services and of workloads, which
// requests record in 16 bits.
const maxEntities = 1 << 16

// requestPool recycles request records through a free list. The clients'
// timeout timers, when any workload has one, are kept beside the records
// rather than in them, so that runs without timeouts do not carry them.
type requestPool struct {
	reqs     []request
	timeouts []engine.Handle // by RequestID, when timed
	timed    bool
	free     []RequestID
	keys     []uint64 // by RequestID, when keyed: the request's key + 1, 0 for none
	keyed    bool     // some workload's requests carry keys
}

func (p *requestPool) alloc() RequestID {
	if n := len(p.free); n > 0 {
		id := p.free[n-1]
		p.free = p.free[:n-1]
		return id
	}
	p.reqs = append(p.reqs, request{})
	if p.timed {
		p.timeouts = append(p.timeouts, engine.Handle{})
	}
	if p.keyed {
		p.keys = append(p.keys, 0)
	}
	return RequestID(len(p.reqs) - 1)
}

func (p *requestPool) release(id RequestID) {
	p.reqs[id] = request{}
	if p.timed {
		p.timeouts[id] = engine.Handle{}
	}
	if p.keyed {
		p.keys[id] = 0
	}
	p.free = append(p.free, id)
}

// enqueue adds a request at the back of an instance's queue.
func (p *requestPool) enqueue(in *instance, id RequestID) {
	if in.qlen == 0 {
		in.qhead = id
	} else {
		p.reqs[in.qtail].next = id
	}
	in.qtail = id
	in.qlen++
}

// dequeue removes the request at the front of an instance's queue, which
// must not be empty.
func (p *requestPool) dequeue(in *instance) RequestID {
	id := in.qhead
	in.qhead = p.reqs[id].next
	in.qlen--
	return id
}
