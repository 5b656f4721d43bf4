package models

import (
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/engine"
)

// FailFastSpec makes the first Instances instances a service creates
// answer a share ErrorRate of their requests with an error after Latency,
// instead of serving them: a broken instance that fails fast (a bad
// config, a dead dependency it does not wait for). The error counts as
// failed; the balancer observes its short response time.
type FailFastSpec struct {
	Instances int
	ErrorRate float64         // 0..1
	Latency   engine.Duration // time to answer the error
}

// failFast is a service's fast-failing instances and their error draws.
type failFast struct {
	spec    FailFastSpec
	r       *rand.Rand // stream "service.NAME.fail_fast"
	failing []bool     // by instance index
}

// mark records whether the instance at idx, the ord-th created (from 0),
// fails fast.
func (f *failFast) mark(idx int32, ord int) {
	for int(idx) >= len(f.failing) {
		f.failing = append(f.failing, false)
	}
	f.failing[idx] = ord < f.spec.Instances
}

// fails draws whether a request starting on instance idx fails.
func (f *failFast) fails(idx int32) bool {
	return f.failing[idx] && (f.spec.ErrorRate >= 1 || f.r.Float64() < f.spec.ErrorRate)
}

// failFastWork returns the service time and completion kind of a
// request starting on instance idx: Latency and kFailFast when the
// instance fails it, else work and kComplete.
func (c *Cluster) failFastWork(s *Service, idx int32, work engine.Duration) (engine.Duration, engine.Kind) {
	if s.ff.fails(idx) {
		return s.ff.spec.Latency, c.kFailFast
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
	c.fail(s, id)
	c.pool.release(id)
	if in.qlen > 0 {
		s.queued--
		c.start(s, in, c.pool.dequeue(in))
	} else if in.busy == 0 && in.state == Draining {
		c.terminate(s, idx)
	}
}
