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

// side is per-request state kept beside the request records, indexed by
// RequestID, only while a feature that needs it is in use (on): runs
// without the feature carry none of it, and the request stays 32 bytes.
type side[T any] struct {
	v     []T
	on    bool
	blank T // the value of a new or released request
}

// grow gives a newly allocated record its entry.
func (s *side[T]) grow() {
	if s.on {
		s.v = append(s.v, s.blank)
	}
}

// clear resets released record id's entry.
func (s *side[T]) clear(id RequestID) {
	if s.on {
		s.v[id] = s.blank
	}
}

// requestPool recycles request records through a free list, with the
// per-request state of optional features beside them.
type requestPool struct {
	reqs      []request
	free      []RequestID
	timeouts  side[engine.Handle] // the client's timeout timer, when some workload has a timeout
	keys      side[uint64]        // the request's key + 1 (0 for none), when some workload has keys
	flags     side[uint8]         // version flags, when some service has versions (version.go)
	fn        side[fnReq]         // when the cluster has a function service (function.go)
	tries     side[attempt]       // when some workload retries (clients.go)
	links     side[link]          // when some service makes calls (calls.go)
	cacheKeys side[int32]         // the request's cache key, when some service has a cache (cache.go)
	conn      side[int32]         // its keep-alive connection (blank -1), when some workload uses connections (connection.go)
	cohorts   side[uint8]         // the feature flags whose path it takes, a bit each, when some service has flags (featureflag.go)
	ids       side[ident]         // its user, endpoint and session step, when some workload has them (identity.go)
	hedges    side[int32]         // its hedge group + 1 (0 for none), when some workload hedges (hedge.go)
	proxied   side[bool]          // it crossed its sidecars, when some service has one (sidecar.go)
}

func (p *requestPool) alloc() RequestID {
	if n := len(p.free); n > 0 {
		id := p.free[n-1]
		p.free = p.free[:n-1]
		return id
	}
	p.reqs = append(p.reqs, request{})
	p.timeouts.grow()
	p.conn.grow()
	p.tries.grow()
	p.links.grow()
	p.cacheKeys.grow()
	p.keys.grow()
	p.flags.grow()
	p.fn.grow()
	p.cohorts.grow()
	p.ids.grow()
	p.hedges.grow()
	p.proxied.grow()
	return RequestID(len(p.reqs) - 1)
}

// release returns id to the free list. A retry's attempt record (tries)
// is kept as it was: a record is rewritten whenever it is reused.
func (p *requestPool) release(id RequestID) {
	p.reqs[id] = request{}
	p.timeouts.clear(id)
	p.conn.clear(id)
	p.keys.clear(id)
	p.flags.clear(id)
	p.fn.clear(id)
	p.links.clear(id)
	p.cohorts.clear(id)
	p.ids.clear(id)
	p.hedges.clear(id)
	p.proxied.clear(id)
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
