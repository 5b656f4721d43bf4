package models

import (
	"fmt"
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/engine"
)

// Faults on a call edge: an errors or slow [[fault]] with a callee hits
// the calls from one service to another rather than instances, as
// Envoy's HTTP fault filter on the caller's route does. errors aborts a
// share ErrorRate of the calls with a 5xx after Latency (Envoy's abort;
// the callee never sees them); slow holds every call for Latency before
// it reaches the callee's balancer (Envoy's fixed delay, at 100%). The
// edge's figures (summary edges) count the aborted calls as errors and
// include the delay in the calls' latency.

// edgeFault is the fault active on an edge.
type edgeFault struct {
	kind    FaultKind
	errRate float64
	after   engine.Duration
	draws   *rand.Rand // stream "fault.NAME.errors"
}

// checkEdgeFault validates a fault on a call edge.
func (c *Cluster) checkEdgeFault(f FaultSpec) error {
	if (f.Kind != FaultErrors && f.Kind != FaultSlow) || f.Callee-1 >= len(c.services) || f.Balancer {
		return fmt.Errorf("models: fault %q: only errors and slow faults hit a call edge", f.Name)
	}
	if f.Kind == FaultSlow && f.Latency <= 0 {
		return fmt.Errorf("models: fault %q: a slow call edge needs a latency", f.Name)
	}
	if c.kEdge == c.kArrival { // not registered yet (kinds are numbered from the first, arrival)
		c.kEdge = c.sim.Register("edge-fault", c.onEdgeFault)
	}
	return nil
}

// edgeOf returns the edge from service from to callee, nil if none.
func (c *Cluster) edgeOf(from, callee int) *edge {
	for _, e := range c.edges {
		if int(e.from) == from && int(e.to) == callee {
			return e
		}
	}
	return nil
}

// edgeFaultStart puts fault f on its edge, until onFaultEnd.
func (c *Cluster) edgeFaultStart(f *fault) {
	e := c.edgeOf(f.spec.Service, f.spec.Callee-1)
	if e == nil {
		return // validated: the caller declares the call
	}
	ef := &edgeFault{kind: f.spec.Kind, errRate: f.spec.ErrorRate, after: f.spec.Latency}
	if f.spec.Kind == FaultErrors {
		ef.draws = c.sim.Stream("fault." + f.spec.Name + ".errors")
	}
	e.fault = ef
}

// edgeFaultEnd lifts fault f from its edge.
func (c *Cluster) edgeFaultEnd(f *fault) {
	if e := c.edgeOf(f.spec.Service, f.spec.Callee-1); e != nil {
		e.fault = nil
	}
}

// faultCall applies an edge's fault to call id as it is sent, and
// reports whether it took the call over: aborted after the fault's
// latency, or held that long before it goes on to the callee.
func (c *Cluster) faultCall(e *edge, id RequestID) bool {
	ef := e.fault
	abort := int64(0)
	if ef.kind == FaultErrors {
		if ef.draws.Float64() >= ef.errRate {
			return false
		}
		abort = 1
	}
	c.sim.Schedule(c.sim.Now().Add(ef.after), c.kEdge, int32(id), abort)
	return true
}

// onEdgeFault ends a call's hold on a faulty edge: an aborted call fails,
// a delayed one goes on to its callee.
func (c *Cluster) onEdgeFault(ev engine.Event) {
	id := RequestID(ev.Target)
	if ev.Arg == 0 {
		c.dispatch(id)
		return
	}
	c.callEnded(id, false)
	c.pool.release(id)
}
