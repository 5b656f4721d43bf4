package models

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
)

// This file holds hedged requests (Dean & Barroso, "The Tail at Scale",
// CACM 56(2), 2013): a client that has no answer Delay after sending a
// request sends a copy, through the balancer, up to Max copies, each
// Delay after the previous; the first answer wins. The losers are left
// to finish: their servers are not told (no cancellation), so each copy
// costs its full work, and their answers are dropped. A hedged request's
// copies form a group, which owns the request's timeout; a copy that
// fails while others are out is dropped, and the request fails only when
// its last copy does.

// HedgeSpec is a workload's hedging policy.
type HedgeSpec struct {
	Delay engine.Duration // how long without an answer before the next copy; > 0
	Max   int             // copies at most besides the original; >= 1
}

// hedger is a workload's hedging at run time.
type hedger struct {
	spec  HedgeSpec
	delay *engine.DelayQueue // next copy, by group
	timer *engine.DelayQueue // the request's timeout, by group; nil without one
	work  dist.Sampler       // copies' service times, "workload.NAME.hedge.service_time"
	sent  int64              // copies sent after warm-up
}

// hgroup is a hedged request: its copies in flight and its outcome.
type hgroup struct {
	first    engine.Time
	delayH   engine.Handle
	timeoutH engine.Handle
	key      uint64 // the request's balancing key + 1, copied to each copy
	who      ident  // its user, endpoint and session step, when some workload has them
	w        int32
	out      int32 // copies in flight
	copies   int32 // copies sent besides the original
	done     bool  // answered, failed or timed out: later copies are dropped
	counted  bool
}

// hedging is the cluster's hedged-request state.
type hedging struct {
	groups   []hgroup
	free     []int32
	kNext    engine.Kind
	kTimeout engine.Kind
}

// setupHedges builds each hedging workload's hedger; the workload's
// timeout moves to its groups. Without hedging nothing is allocated.
func (c *Cluster) setupHedges() error {
	for _, w := range c.workloads {
		h := w.spec.Hedge
		if h == nil {
			continue
		}
		if h.Delay <= 0 || h.Max < 1 {
			return fmt.Errorf("models: workload %q: bad hedge %+v", w.spec.Name, *h)
		}
		if w.net != nil || w.long != nil || w.retries != nil {
			return fmt.Errorf("models: workload %q: hedging does not combine with connections or retries", w.spec.Name)
		}
		if c.hedge.kNext == 0 {
			c.hedge.kNext = c.sim.Register("hedge", c.onHedge)
			c.hedge.kTimeout = c.sim.Register("hedge-timeout", c.onHedgeTimeout)
		}
		hw := &hedger{spec: *h}
		hw.delay = c.sim.NewDelayQueue("hedge."+w.spec.Name, h.Delay, c.hedge.kNext)
		if w.timer != nil {
			hw.timer = c.sim.NewDelayQueue("hedge-timeout."+w.spec.Name, w.spec.Timeout, c.hedge.kTimeout)
			w.timer = nil // the group's timer replaces the request's
		}
		var err error
		if hw.work, err = dist.New(w.spec.ServiceTime, c.sim.Stream("workload."+w.spec.Name+".hedge.service_time")); err != nil {
			return fmt.Errorf("models: workload %q hedge service time: %w", w.spec.Name, err)
		}
		w.hedge = hw
		c.pool.hedges.on = true
	}
	return nil
}

// hedgeStart makes request id, about to be sent, the original of a new
// group and starts its timers.
func (c *Cluster) hedgeStart(w *workload, id RequestID, now engine.Time) {
	var g int32
	if n := len(c.hedge.free); n > 0 {
		g = c.hedge.free[n-1]
		c.hedge.free = c.hedge.free[:n-1]
	} else {
		c.hedge.groups = append(c.hedge.groups, hgroup{})
		g = int32(len(c.hedge.groups) - 1)
	}
	r := &c.pool.reqs[id]
	grp := hgroup{first: now, w: w.id, out: 1, counted: r.counted}
	if w.keys != nil {
		grp.key = c.pool.keys.v[id]
	}
	if c.pool.ids.on {
		grp.who = c.pool.ids.v[id]
	}
	grp.delayH = w.hedge.delay.Start(g, 0)
	if w.hedge.timer != nil {
		grp.timeoutH = w.hedge.timer.Start(g, 0)
	}
	c.hedge.groups[g] = grp
	c.pool.hedges.v[id] = g + 1
}

// onHedge sends a copy of a request still waiting for its answer.
func (c *Cluster) onHedge(ev engine.Event) {
	g := ev.Target
	grp := &c.hedge.groups[g]
	w := c.workloads[grp.w]
	work := engine.FromSeconds(w.hedge.work.Sample())
	grp.out++
	grp.copies++
	if grp.counted {
		w.hedge.sent++
	}
	if int(grp.copies) < w.hedge.spec.Max {
		grp.delayH = w.hedge.delay.Start(g, 0)
	} else {
		grp.delayH = engine.Handle{}
	}
	key, counted, who := grp.key, grp.counted, grp.who
	id := c.pool.alloc() // grp is not used below: the groups do not move, but stay clear
	r := &c.pool.reqs[id]
	r.sent = c.sim.Now()
	r.work = work
	r.workload = uint16(w.id)
	r.service = uint16(w.spec.Service)
	r.counted = counted
	if w.keys != nil {
		c.pool.keys.v[id] = key
	}
	if c.pool.tries.on {
		c.pool.tries.v[id] = attempt{first: r.sent}
	}
	if c.pool.ids.on {
		c.pool.ids.v[id] = who
	}
	c.pool.hedges.v[id] = g + 1
	c.dispatch(id)
}

// hedgeEnd ends group g's request (answered, failed or timed out): its
// timers stop and later copies are dropped.
func (c *Cluster) hedgeEnd(g int32) {
	grp := &c.hedge.groups[g]
	h := c.workloads[grp.w].hedge
	grp.done = true
	h.delay.Stop(grp.delayH)
	if h.timer != nil {
		h.timer.Stop(grp.timeoutH)
	}
}

// hedgeLeft counts a copy of group g out, freeing the group after its
// last copy.
func (c *Cluster) hedgeLeft(g int32) {
	grp := &c.hedge.groups[g]
	grp.out--
	if grp.out == 0 && grp.done {
		c.hedge.free = append(c.hedge.free, g)
	}
}

// hedgeAnswered handles a successful answer of copy id from service s:
// the first answers the client, from when the original was sent; later
// ones are dropped.
func (c *Cluster) hedgeAnswered(s *Service, id RequestID) {
	g := c.pool.hedges.v[id] - 1
	c.pool.hedges.v[id] = 0
	grp := &c.hedge.groups[g]
	if !grp.done {
		c.hedgeEnd(g)
		s.win.ok++
		w := c.workloads[grp.w]
		ms := c.sim.Now().Sub(grp.first).Milliseconds()
		w.winLat.add(ms)
		if grp.counted {
			w.ok++
		}
		c.answered(w, id, ms)
	}
	c.hedgeLeft(g)
}

// hedgeFailed handles a failed copy id and reports whether the request
// fails with it: only when it was the last copy out and the request had
// no outcome yet.
func (c *Cluster) hedgeFailed(id RequestID) bool {
	g := c.pool.hedges.v[id] - 1
	c.pool.hedges.v[id] = 0
	grp := &c.hedge.groups[g]
	last := !grp.done && grp.out == 1
	if last {
		c.hedgeEnd(g)
	}
	c.hedgeLeft(g)
	return last
}

// onHedgeTimeout handles a hedged request's client giving up: copies
// still out are left to finish and dropped.
func (c *Cluster) onHedgeTimeout(ev engine.Event) {
	g := ev.Target
	grp := &c.hedge.groups[g]
	grp.timeoutH = engine.Handle{}
	c.hedgeEnd(g)
	w := c.workloads[grp.w]
	c.services[w.spec.Service].win.timeouts++
	if w.breaker != nil {
		w.breaker.Failure(c.sim.Now())
	}
	if grp.counted {
		w.timeouts++
	}
	c.ended(w, grp.who, outTimeout, 0) // decided at the client: no round trip
}

// addCount adds n to a count that is absent (nil) until some workload
// has it.
func addCount(sum *int64, n int64) *int64 {
	if sum == nil {
		return &n
	}
	*sum += n
	return sum
}
