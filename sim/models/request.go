package models

import "github.com/clustersim/clustersim/sim/engine"

// RequestID indexes a request in the cluster's request pool.
type RequestID int32

// request is one client request in flight. Requests live in a pool and are
// recycled, so a steady-state run allocates none.
type request struct {
	sent     engine.Time     // when the client sent it
	arrived  engine.Time     // when it reached its service
	work     engine.Duration // service time it needs on a warm instance
	timeout  engine.Handle   // the client's timeout timer, if any
	workload int32
	service  int32
	instance int32
	next     RequestID // the request behind it in its instance's queue
	serving  bool      // in service on its instance (not queued, not free)
	counted  bool      // sent after the warm-up period: it enters the summary
	timedOut bool      // the client gave up; the server may still be working
	failed   bool      // lost with its instance; a pending completion is ignored
}

// requestPool recycles request records through a free list.
type requestPool struct {
	reqs []request
	free []RequestID
}

func (p *requestPool) alloc() RequestID {
	if n := len(p.free); n > 0 {
		id := p.free[n-1]
		p.free = p.free[:n-1]
		return id
	}
	p.reqs = append(p.reqs, request{})
	return RequestID(len(p.reqs) - 1)
}

func (p *requestPool) release(id RequestID) {
	p.reqs[id] = request{}
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
