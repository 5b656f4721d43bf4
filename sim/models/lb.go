package models

import (
	"fmt"
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/engine"
)

// The balancer as a component: the proxy in front of a service has a
// capacity and a latency of its own and can fail ([[fault]] with
// component "balancer"). Without a standby its failure is an outage until
// it is repaired; an active-passive pair loses the requests of the
// failover window (the standby takes over the floating address after
// Failover); an active-active pair loses the failed node's share of the
// requests in flight and of those sent until the failed node is withdrawn
// (Failover), then runs on half its capacity. The state lives here and in
// Service.lb, nil for a service whose balancer is not modelled, so that
// other services pay one nil check per request.

// LBStandby is how a service's balancer is made redundant.
type LBStandby uint8

// Standby modes.
const (
	StandbyNone          LBStandby = iota // one balancer node: its failure is an outage until repaired
	StandbyActivePassive                  // a standby takes over the floating address Failover after the active fails
	StandbyActiveActive                   // two nodes share the traffic; one failing halves capacity
)

// LBStandbys lists the standby modes as written in scenarios, in LBStandby order.
var LBStandbys = []string{"none", "active_passive", "active_active"}

// String returns the mode's scenario name.
func (m LBStandby) String() string {
	if int(m) < len(LBStandbys) {
		return LBStandbys[m]
	}
	return fmt.Sprintf("LBStandby(%d)", m)
}

// LBSpec is a service's balancer as a component.
type LBSpec struct {
	// Capacity is the requests one balancer node holds at once (in flight
	// to the service's instances, serving or queued); arrivals beyond the
	// capacity of the nodes carrying traffic are refused. 0: no limit.
	Capacity int
	// Latency is added to each request's round trip (the proxy's two
	// hops). A constant shift of every arrival does not change queueing
	// at the instances, so it is added to the client-observed latency.
	Latency engine.Duration
	// Standby is the redundancy mode.
	Standby LBStandby
	// Failover is how long the standby takes to take over the address
	// (active_passive) or the failed node to be withdrawn (active_active).
	Failover engine.Duration
}

// lbState is a service's balancer nodes.
type lbState struct {
	spec      LBSpec
	up        int         // nodes carrying traffic
	spare     int         // standby nodes ready to take over (active_passive)
	pending   int         // takeovers scheduled
	failUntil engine.Time // active_active: until then a share of arrivals still goes to a failed node
	share     float64     // that share
	cut       *rand.Rand  // stream "balancer.SERVICE.failover": which requests were on the failed node
	lost      int64       // requests lost to balancer failures, after warm-up
}

// lbKinds are the engine kinds of balancer events.
type lbKinds struct{ takeover, repair engine.Kind }

// lbFor returns service s's balancer state, creating it (one node, no
// limit, no latency) for a fault on a service without a balancer table.
func (c *Cluster) lbFor(s *Service) *lbState {
	if s.lb == nil {
		spec := LBSpec{}
		if s.spec.LB != nil {
			spec = *s.spec.LB
		}
		lb := &lbState{spec: spec, up: 1, cut: c.sim.Stream("balancer." + s.spec.Name + ".failover")}
		switch spec.Standby {
		case StandbyActivePassive:
			lb.spare = 1
		case StandbyActiveActive:
			lb.up = 2
		}
		s.lb = lb
	}
	return s.lb
}

// setupLBs creates the balancers of the services that model one and adds
// their latency to the round trip of the workloads that target them.
func (c *Cluster) setupLBs() error {
	for _, s := range c.services {
		if s.spec.LB == nil {
			continue
		}
		if s.spec.LB.Capacity < 0 || s.spec.LB.Latency < 0 || s.spec.LB.Failover < 0 || int(s.spec.LB.Standby) >= len(LBStandbys) {
			return fmt.Errorf("models: service %q: bad balancer", s.spec.Name)
		}
		c.lbFor(s)
		for _, w := range c.workloads {
			if w.spec.Service == int(s.id) {
				w.rtt += s.spec.LB.Latency
			}
		}
	}
	return nil
}

// lbAdmit passes a request through the service's balancer: it is lost if
// no node carries traffic or it went to a failed node not yet withdrawn,
// refused if the nodes are full. It reports false if the request was
// failed or refused (and released).
func (c *Cluster) lbAdmit(s *Service, id RequestID) bool {
	lb := s.lb
	if lb.up == 0 || (lb.failUntil > c.sim.Now() && lb.cut.Float64() < lb.share) {
		if c.pool.reqs[id].counted {
			lb.lost++
		}
		c.fail(s, id)
		c.pool.release(id)
		return false
	}
	if lb.spec.Capacity > 0 && s.busy+s.queued >= int64(lb.up)*int64(lb.spec.Capacity) {
		c.reject(s, id)
		return false
	}
	return true
}

// lbFault fails one balancer node of fault f's service.
func (c *Cluster) lbFault(f *fault) {
	s := c.services[f.spec.Service]
	lb := c.lbFor(s)
	now := c.sim.Now()
	for range f.spec.Instances {
		if lb.up == 0 {
			break
		}
		share := 1 / float64(lb.up)
		lb.up--
		f.victims = append(f.victims, 0)
		if lb.up == 0 {
			lb.failUntil = 0
			if lb.spare > 0 {
				lb.spare--
				lb.pending++
				c.sim.Schedule(now.Add(lb.spec.Failover), c.kLB.takeover, s.id, 0)
			}
		} else {
			lb.failUntil = now.Add(lb.spec.Failover)
			lb.share = share
		}
		c.lbCut(s, share)
	}
	if f.spec.Duration > 0 && now.Add(f.spec.Duration) <= c.horizon {
		c.sim.Schedule(now.Add(f.spec.Duration), c.kLB.repair, s.id, int64(len(f.victims)))
	}
}

// lbCut fails the requests in flight through a failed node: each request
// of the service's clients in flight (serving or queued) was on it with
// probability share. The client sees its connection reset; the instance,
// not told, finishes the work (as after a client timeout).
func (c *Cluster) lbCut(s *Service, share float64) {
	lb := s.lb
	cut := func(id RequestID) {
		r := &c.pool.reqs[id]
		if r.timedOut || r.failed || c.isCall(id) || (share < 1 && lb.cut.Float64() >= share) {
			return
		}
		if r.counted {
			lb.lost++
		}
		c.fail(s, id)
		r.timedOut = true // its completion is not the client's any more
	}
	for _, in := range s.instances {
		for id, k := in.qhead, int32(0); k < in.qlen; id, k = c.pool.reqs[id].next, k+1 {
			cut(id)
		}
	}
	if s.busy == 0 {
		return
	}
	for id := range c.pool.reqs {
		if r := &c.pool.reqs[id]; r.serving && int32(r.service) == s.id {
			cut(RequestID(id))
		}
	}
}

// onLBTakeover: the standby has taken over the floating address.
func (c *Cluster) onLBTakeover(ev engine.Event) {
	lb := c.services[ev.Target].lb
	lb.pending--
	lb.up++
}

// onLBRepair brings failed balancer nodes back: as standbys of an
// active-passive pair already served by its standby, else carrying
// traffic.
func (c *Cluster) onLBRepair(ev engine.Event) {
	lb := c.services[ev.Target].lb
	for range ev.Arg {
		switch {
		case lb.spec.Standby == StandbyActivePassive && lb.up+lb.pending > 0:
			lb.spare++
		default:
			lb.up++
		}
	}
}

// lostToBalancer returns the requests lost to balancer failures after
// warm-up, nil when the service's balancer is not modelled.
func (s *Service) lostToBalancer() *int64 {
	if s.lb == nil {
		return nil
	}
	n := s.lb.lost
	return &n
}
