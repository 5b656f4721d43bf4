package models

import (
	"fmt"
	"slices"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/breaker"
	"github.com/clustersim/clustersim/sim/results"
)

// OnError is what a caller does when one of its calls fails.
type OnError uint8

// What a caller does with a failed call.
const (
	FailCaller  OnError = iota // the caller's request fails too, once its calls in flight return
	IgnoreError                // the caller carries on with its remaining calls
	Fallback                   // the caller skips its remaining calls and answers with a fallback
)

// CallSpec is one entry of a service's calls: after its own work, an
// instance calls Service Count times, through that service's balancer.
// Consecutive Parallel entries are sent at once and awaited together; a
// sequential entry's calls go one after another.
type CallSpec struct {
	Service  int // index of the callee
	Count    int // calls made, >= 1
	Parallel bool
	OnError  OnError
	Timeout  engine.Duration // how long the caller waits for an attempt; 0: as long as it takes (callpolicy.go)
	Retry    *RetrySpec      // resends failed attempts; nil for none
	Breaker  *breaker.Config // the caller's circuit breaker on these calls; nil for none
}

// call is one call of a stage, with its edge.
type call struct {
	callee  int32
	edge    int32
	pol     int32 // its calls entry's policy + 1 (callpolicy.go); 0 for none
	onError OnError
}

// link is a request's place in a call graph, kept beside the request
// record when some service makes calls (requestPool.links).
type link struct {
	parent   RequestID // caller's request + 1; 0 for a client's request
	edge     int32     // the edge this call travels, when parent != 0
	pol      int32     // its calls entry's policy + 1, 0 for none (callpolicy.go)
	stage    int32     // the caller's next stage
	pending  int32     // the caller's calls in flight
	onError  OnError   // what the caller does if this call fails
	failed   bool      // a call failed with FailCaller: the caller fails
	fallback bool      // a call failed with Fallback: the caller answers at once
}

// edge is the traffic between a caller and a callee service, after
// warm-up.
type edge struct {
	from, to int32
	calls    int64
	errors   int64
	retries  int64      // attempts resent (callpolicy.go)
	timeouts int64      // attempts the caller gave up on
	shorted  int64      // calls failed at once by an open breaker
	lat      *latencies // latency of successful calls, from their first attempt
	fault    *edgeFault // the fault active on the edge, nil for none (edgefault.go)
}

// setupCalls builds each service's call stages, its service-time sampler
// as a callee, and the edges. Without calls nothing is allocated.
func (c *Cluster) setupCalls() error {
	edges := map[[2]int32]int32{}
	for _, s := range c.services {
		st, err := c.stagesFor(s, s.spec.Calls, edges)
		if err != nil {
			return err
		}
		s.stages = st
	}
	if err := c.setupRouteCalls(edges); err != nil { // endpoints and session stores (identity.go)
		return err
	}
	for _, s := range c.services {
		called := slices.ContainsFunc(c.edges, func(e *edge) bool { return e.to == s.id })
		if !called {
			continue
		}
		if s.spec.ServiceTime.Kind == "" {
			return fmt.Errorf("models: service %q is called but has no service time", s.spec.Name)
		}
		var err error
		if s.callWork, err = dist.New(s.spec.ServiceTime, c.sim.Stream("service."+s.spec.Name+".service_time")); err != nil {
			return fmt.Errorf("models: service %q service time: %w", s.spec.Name, err)
		}
	}
	return nil
}

// stagesFor returns the stages of calls specs made by s's requests,
// adding their edges; nil for no calls.
func (c *Cluster) stagesFor(s *Service, specs []CallSpec, edges map[[2]int32]int32) ([][]call, error) {
	if len(specs) == 0 {
		return nil, nil
	}
	c.pool.links.on = true
	var stages [][]call
	var par []call
	for j, cs := range specs {
		if cs.Service < 0 || cs.Service >= len(c.services) || cs.Count < 1 {
			return nil, fmt.Errorf("models: service %q: bad call %+v", s.spec.Name, cs)
		}
		key := [2]int32{s.id, int32(cs.Service)}
		e, ok := edges[key]
		if !ok {
			e = int32(len(c.edges))
			edges[key] = e
			c.edges = append(c.edges, &edge{from: s.id, to: int32(cs.Service), lat: newLatencies()})
		}
		k := call{callee: int32(cs.Service), edge: e, onError: cs.OnError}
		if pol, err := c.newCallPolicy(s, j, cs); err != nil {
			return nil, err
		} else if pol != nil {
			c.callPols = append(c.callPols, pol)
			k.pol = int32(len(c.callPols))
		}
		for range cs.Count {
			if cs.Parallel {
				par = append(par, k)
			} else {
				if len(par) > 0 {
					stages = append(stages, par)
					par = nil
				}
				stages = append(stages, []call{k})
			}
		}
	}
	if len(par) > 0 {
		stages = append(stages, par)
	}
	return stages, nil
}

// isCall reports whether request id is a call made by another request.
func (c *Cluster) isCall(id RequestID) bool {
	return c.pool.links.on && c.pool.links.v[id].parent != 0
}

// startCalls begins the calls of a request whose own work on service s
// is done, and reports whether it made any: the request keeps its slot
// until the last call returns.
func (c *Cluster) startCalls(s *Service, id RequestID) bool {
	if len(c.stagesOf(s, id)) == 0 {
		return false
	}
	c.runStage(s, id)
	return true
}

// runStage sends the calls of a request's next stage.
func (c *Cluster) runStage(s *Service, id RequestID) {
	l := &c.pool.links.v[id]
	st := c.stagesOf(s, id)[l.stage]
	l.stage++
	l.pending = int32(len(st))
	for _, k := range st {
		c.send(id, k)
	}
}

// send makes one call from request pid through the callee's balancer.
func (c *Cluster) send(pid RequestID, k call) {
	if k.pol != 0 && c.shortCall(pid, k) {
		return // failed at once by the calls entry's open breaker (callpolicy.go)
	}
	callee := c.services[k.callee]
	work := engine.FromSeconds(callee.callWork.Sample())
	id := c.pool.alloc() // may move the pool
	p := &c.pool.reqs[pid]
	r := &c.pool.reqs[id]
	r.sent = c.sim.Now()
	r.workload = p.workload
	r.service = uint16(k.callee)
	r.work = work
	r.counted = p.counted
	c.pool.links.v[id] = link{parent: pid + 1, edge: k.edge, pol: k.pol, onError: k.onError}
	if c.pool.ids.on { // a call is made for the caller's user
		c.pool.ids.v[id] = ident{user: c.pool.ids.v[pid].user}
	}
	if k.pol != 0 {
		c.sendCall(id) // callpolicy.go; edge faults apply there too
		return
	}
	if e := c.edges[k.edge]; e.fault != nil && c.faultCall(e, id) {
		return
	}
	c.dispatch(id)
}

// callEnded records the end of call id, ok or not, on its edge, and tells
// its caller.
func (c *Cluster) callEnded(id RequestID, ok bool) {
	r := &c.pool.reqs[id]
	l := c.pool.links.v[id]
	sent := r.sent
	if l.pol != 0 {
		var done bool
		if sent, done = c.callAttemptEnded(id, l, ok); !done {
			return // given up on earlier, or retried (callpolicy.go)
		}
	}
	if r.counted {
		e := c.edges[l.edge]
		e.calls++
		if ok {
			e.lat.add(c.sim.Now().Sub(sent).Milliseconds())
		} else {
			e.errors++
		}
	}
	c.callerNotified(l, ok)
}

// callerNotified tells the caller of a call over link l that it ended:
// the caller goes on with its next stage or finishes once its last call
// of the stage is back.
func (c *Cluster) callerNotified(l link, ok bool) {
	pid := l.parent - 1
	pl := &c.pool.links.v[pid]
	pl.pending--
	if !ok {
		switch l.onError {
		case FailCaller:
			pl.failed = true
		case Fallback:
			pl.fallback = true
		}
	}
	if pl.pending > 0 {
		return
	}
	p := &c.pool.reqs[pid]
	if p.failed { // its instance was lost; the failure is already counted
		c.pool.release(pid)
		return
	}
	s := c.services[p.service]
	if !pl.failed && !pl.fallback && int(pl.stage) < len(c.stagesOf(s, pid)) {
		c.runStage(s, pid)
		return
	}
	c.finish(s, s.instances[p.instance], p.instance, pid, !pl.failed)
}

// edgeSummaries returns the per-edge table, in the order calls are
// declared.
func (c *Cluster) edgeSummaries() []results.Edge {
	if len(c.edges) == 0 {
		return nil
	}
	out := make([]results.Edge, 0, len(c.edges))
	for _, e := range c.edges {
		out = append(out, results.Edge{
			From: c.services[e.from].spec.Name, To: c.services[e.to].spec.Name,
			Calls: e.calls, Errors: e.errors, ErrorRatio: results.Ratio(e.errors, e.calls),
			Retries: e.retries, Timeouts: e.timeouts, ShortCircuited: e.shorted,
			LatencyMs: e.lat.summary(),
		})
	}
	return out
}

// answerCall ends request id on service s when it is a call (ok or not),
// or a client's request failed by its calls.
func (c *Cluster) answerCall(s *Service, id RequestID, ok bool) {
	r := &c.pool.reqs[id]
	child := c.pool.links.v[id].parent != 0
	switch {
	case ok:
		if !r.timedOut { // a call its caller gave up on is not an answer
			s.win.ok++
			s.win.lat.add(c.sim.Now().Sub(r.sent).Milliseconds())
		}
		c.callEnded(id, true)
	case child:
		s.win.failed++
		c.callEnded(id, false)
	case !r.timedOut:
		s.win.failed++
		c.stopTimeout(id)
		c.clientFailed(id, outFailed)
	}
}
