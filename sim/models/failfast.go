package models

import (
	"github.com/clustersim/clustersim/sim/engine"
)

// Fast failures: an errors [[fault]] with a Latency serves each request it
// fails for that long instead of answering at once, so the balancer sees
// the failure's response time — a broken instance that fails fast (a bad
// config, a dependency it gives up on at once) looks fast and attracts
// traffic under weighted_response_time or least_outstanding. The error
// counts as failed and as a 5xx for outlier detection.

// failFastWork returns the service time and completion kind of a
// request starting on instance idx of a faulty service: the errors
// fault's Latency and kFailFast when the instance fails it, else work
// and kComplete.
func (c *Cluster) failFastWork(s *Service, idx int32, work engine.Duration) (engine.Duration, engine.Kind) {
	st := s.hx.at(s, idx)
	if st.errAfter > 0 && (st.errRate >= 1 || st.errRand.Float64() < st.errRate) {
		return st.errAfter, c.kFailFast
	}
	return work, c.kComplete
}

// onFailFast handles a fast failure: like a completion, but the client
// gets an error, counted as failed.
func (c *Cluster) onFailFast(ev engine.Event) {
	now := c.sim.Now()
	id := RequestID(ev.Target)
	s, idx := c.services[ev.Arg>>32], int32(ev.Arg)
	in := s.instances[idx]
	r := &c.pool.reqs[id]
	if r.failed { // its instance was lost; the failure is already counted
		c.pool.release(id)
		return
	}
	s.integrate(now)
	in.integrate(now)
	in.busy--
	s.busy--
	s.loadChanged(in, -1)
	s.observe(in, now.Sub(r.sent))
	c.observe5xx(s, idx, true)
	c.fail(s, id)
	c.pool.release(id)
	if in.qlen > 0 {
		s.queued--
		c.start(s, in, c.pool.dequeue(in))
	} else if in.busy == 0 && in.state == Draining {
		c.terminate(s, idx)
	}
}
