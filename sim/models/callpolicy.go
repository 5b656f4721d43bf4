package models

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/breaker"
	"github.com/clustersim/clustersim/sim/policies/retry"
)

// This file holds a calls entry's own timeout, retries and circuit
// breaker: the caller gives up on an attempt after the timeout (the
// callee keeps working), resends a failed attempt after its backoff, and
// fails calls at once while the breaker is open. Calls without a policy
// take none of these paths.

// resil is the cluster's state for call policies, Retry-After and hedging.
type resil struct {
	callPols     []*callPolicy   // by calls entry with a policy
	polNames     map[string]bool // the policies' names, to refuse a second set for a service
	kCallRetry   engine.Kind
	kCallTimeout engine.Kind
	// after is the Retry-After carried by the failure being handled (a
	// rejection or an error answer of a service with retry_after), 0 for
	// none; set around the failure's handling only.
	after engine.Duration
	hedge hedging // hedge.go
	// sidecars is set when some service has a sidecar (sidecar.go).
	sidecars bool
	kProxy   engine.Kind
}

// callPolicy is a calls entry's timeout, retries and breaker at run time.
type callPolicy struct {
	timer   *engine.DelayQueue // nil without a timeout
	retries *retryState        // nil without retries
	breaker *breaker.Breaker   // nil without a breaker
}

// newCallPolicy builds the policy of calls entry cs of service s, nil
// when the entry has none; n is the entry's index in the service's calls.
func (c *Cluster) newCallPolicy(s *Service, n int, cs CallSpec) (*callPolicy, error) {
	if cs.Timeout <= 0 && (cs.Retry == nil || cs.Retry.Attempts <= 1) && cs.Breaker == nil {
		return nil, nil
	}
	if c.kCallRetry == 0 {
		c.kCallRetry = c.sim.Register("call-retry", c.onCallRetry)
		c.kCallTimeout = c.sim.Register("call-timeout", c.onCallTimeout)
	}
	name := fmt.Sprintf("service.%s.calls.%d", s.spec.Name, n)
	if c.polNames == nil {
		c.polNames = map[string]bool{}
	}
	if c.polNames[name] { // a second set of calls for s: an endpoint's (identity.go)
		return nil, fmt.Errorf("models: service %q: timeouts, retries and breakers apply to a service's own calls, not an endpoint's", s.spec.Name)
	}
	c.polNames[name] = true
	p := &callPolicy{}
	if cs.Timeout > 0 {
		p.timer = c.sim.NewDelayQueue(name+".timeout", cs.Timeout, c.kCallTimeout)
		c.pool.timeouts.on = true
	}
	if r := cs.Retry; r != nil && r.Attempts > 1 {
		if r.Backoff < 0 || r.Cap < 0 {
			return nil, fmt.Errorf("models: service %q: negative call backoff", s.spec.Name)
		}
		p.retries = &retryState{spec: *r, rng: c.sim.Stream(name + ".retry")}
		if r.HasBudget {
			p.retries.budget = retry.NewBudget(r.Budget)
		}
		c.pool.tries.on = true
	}
	if cs.Breaker != nil {
		b, err := breaker.New(*cs.Breaker)
		if err != nil {
			return nil, fmt.Errorf("models: service %q calls: %w", s.spec.Name, err)
		}
		p.breaker = b
	}
	return p, nil
}

// shortCall fails call k of request pid at once if its breaker is open,
// and reports whether it did: the caller sees a failed call.
func (c *Cluster) shortCall(pid RequestID, k call) bool {
	p := c.callPols[k.pol-1]
	if p.breaker == nil || p.breaker.Allow(c.sim.Now()) {
		return false
	}
	if c.pool.reqs[pid].counted {
		e := c.edges[k.edge]
		e.calls++
		e.errors++
		e.shorted++
	}
	c.callerNotified(link{parent: pid + 1, edge: k.edge, pol: k.pol, onError: k.onError}, false)
	return true
}

// sendCall sends the first attempt of call id, whose link is set.
func (c *Cluster) sendCall(id RequestID) {
	p := c.callPols[c.pool.links.v[id].pol-1]
	if p.retries != nil {
		now := c.sim.Now()
		c.pool.tries.v[id] = attempt{first: now}
		if p.retries.budget != nil {
			p.retries.budget.Request(now)
		}
	}
	c.dispatchCall(id, p)
}

// dispatchCall starts an attempt of call id's timer and sends it, through
// its edge's fault if one is active (edgefault.go). An attempt that ends
// at once (rejected) stops its timer as it ends.
func (c *Cluster) dispatchCall(id RequestID, p *callPolicy) {
	if p.timer != nil {
		c.pool.timeouts.v[id] = p.timer.Start(int32(id), 0)
	}
	if e := c.edges[c.pool.links.v[id].edge]; e.fault != nil && c.faultCall(e, id) {
		return
	}
	c.dispatch(id)
}

// callAttemptEnded handles the end of an attempt of call id (with policy
// link l) as its callee answers or fails it. It returns when the call was
// first sent, and done = false when the caller is not to hear of it: the
// caller gave up on the attempt earlier, or it is retried.
func (c *Cluster) callAttemptEnded(id RequestID, l link, ok bool) (engine.Time, bool) {
	r := &c.pool.reqs[id]
	if r.timedOut {
		return 0, false
	}
	p := c.callPols[l.pol-1]
	if p.timer != nil {
		p.timer.Stop(c.pool.timeouts.v[id])
		c.pool.timeouts.v[id] = engine.Handle{}
	}
	if p.breaker != nil {
		if ok {
			p.breaker.Success(c.sim.Now())
		} else {
			p.breaker.Failure(c.sim.Now())
		}
	}
	if p.retries == nil {
		return r.sent, true
	}
	if !ok && c.retryCall(id, l, p) {
		return 0, false
	}
	return c.pool.tries.v[id].first, true
}

// onCallTimeout gives up on an attempt of a call: the callee keeps
// working on it; the caller retries it or takes the call as failed.
func (c *Cluster) onCallTimeout(ev engine.Event) {
	id := RequestID(ev.Target)
	r := &c.pool.reqs[id]
	r.timedOut = true
	c.pool.timeouts.v[id] = engine.Handle{}
	c.services[r.service].win.timeouts++
	l := c.pool.links.v[id]
	p := c.callPols[l.pol-1]
	e := c.edges[l.edge]
	if r.counted {
		e.timeouts++
	}
	if p.breaker != nil {
		p.breaker.Failure(c.sim.Now())
	}
	if p.retries != nil && c.retryCall(id, l, p) {
		return
	}
	if r.counted {
		e.calls++
		e.errors++
	}
	c.callerNotified(l, false)
}

// retryCall schedules the resend of a failed attempt of call id after its
// backoff (or the callee's Retry-After, if longer), in a new request
// record, if attempts remain and the budget allows.
func (c *Cluster) retryCall(id RequestID, l link, p *callPolicy) bool {
	now := c.sim.Now()
	rs := p.retries
	at := c.pool.tries.v[id]
	if int(at.n)+1 >= rs.spec.Attempts {
		return false
	}
	if rs.budget != nil && !rs.budget.Allow(now) {
		return false
	}
	sleep := retry.Backoff(rs.spec.Jitter, rs.spec.Backoff, rs.spec.Cap, int(at.n), at.prev, rs.rng.Float64())
	wait := max(sleep, c.after)
	old := c.pool.reqs[id]
	nid := c.pool.alloc() // may move the pool: old is a copy
	c.pool.reqs[nid] = request{work: old.work, workload: old.workload, service: old.service, counted: old.counted}
	c.pool.tries.v[nid] = attempt{first: at.first, prev: sleep, n: at.n + 1}
	// The new attempt is a fresh caller of its own calls: only its place
	// in its caller's graph carries over.
	c.pool.links.v[nid] = link{parent: l.parent, edge: l.edge, pol: l.pol, onError: l.onError}
	if old.counted {
		c.edges[l.edge].retries++
	}
	c.sim.Schedule(now.Add(wait), c.kCallRetry, int32(nid), 0)
	return true
}

// onCallRetry resends an attempt of a call after its backoff, unless the
// breaker is open.
func (c *Cluster) onCallRetry(ev engine.Event) {
	id := RequestID(ev.Target)
	r := &c.pool.reqs[id]
	r.sent = c.sim.Now()
	l := c.pool.links.v[id]
	p := c.callPols[l.pol-1]
	if p.breaker != nil && !p.breaker.Allow(c.sim.Now()) {
		if r.counted {
			e := c.edges[l.edge]
			e.calls++
			e.errors++
			e.shorted++
		}
		c.pool.release(id)
		c.callerNotified(l, false)
		return
	}
	c.dispatchCall(id, p)
}
