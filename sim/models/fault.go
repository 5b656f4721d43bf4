package models

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/engine"
)

// Faults: a [[fault]] entry breaks some instances of a service at a given
// time, for a while or until the end of the run. The kinds are an
// enumeration dispatched in one place (onFault), so a new kind is one
// constant, one case to start it and one to end it.

// FaultKind is what goes wrong.
type FaultKind uint8

// Fault kinds.
const (
	FaultCrash      FaultKind = iota // the process dies: requests on it fail, its connections reset, the fleet replaces it
	FaultHang                        // it accepts requests and never answers them until the fault ends
	FaultErrors                      // it answers a share (ErrorRate) of requests with a fast 5xx
	FaultSlow                        // its service times are multiplied by Factor
	FaultNode                        // Instances ready nodes of pool Pool crash, with every instance on them (outage.go)
	FaultZone                        // every node in zone Zone crashes; none is placed there until the fault ends (outage.go)
	FaultCacheFlush                  // the service's cache is emptied (coalesce.go)
	FaultRegion                      // every zone of a region goes down; its share of traffic is lost until Failover (region.go)
)

// FaultKinds lists the kinds as written in scenarios, in FaultKind order.
var FaultKinds = []string{"crash", "hang", "errors", "slow", "node", "zone", "cache_flush", "region"}

// String returns the kind's scenario name.
func (k FaultKind) String() string {
	if int(k) < len(FaultKinds) {
		return FaultKinds[k]
	}
	return fmt.Sprintf("FaultKind(%d)", k)
}

// FaultSpec is one [[fault]] entry.
type FaultSpec struct {
	Name      string          // labels its random stream, "fault.NAME.errors"
	Service   int             // index of the service hit; -1 for node and zone faults
	Pool      int             // FaultNode: index of the node pool hit
	Zone      string          // FaultZone: the zone that goes down
	At        engine.Time     // when it starts
	Kind      FaultKind       // what happens
	Instances int             // how many ready instances (FaultNode: nodes), the longest-serving first (lowest slot)
	Duration  engine.Duration // how long it lasts; 0 until the end of the run (crash, node: instantaneous)
	ErrorRate float64         // FaultErrors: share of requests answered 5xx, in (0, 1]
	// Latency is how long an errors fault takes to answer: 0 answers at
	// once, before the balancer's pick is served (the request takes no
	// slot); above 0 the request is served for Latency and then fails,
	// and the balancer sees that response time (a fast-failing
	// instance, failfast.go).
	Latency engine.Duration
	// Callee, when above 0, puts an errors or slow fault on the calls
	// from Service to service Callee-1 instead of on Service's instances
	// (edgefault.go); 0 for none.
	Callee int
	// Region names a FaultRegion's region, and Zones are its zones.
	Region string
	Zones  []string
	// Failover is how long after a FaultRegion starts clients keep
	// sending its share of the traffic to it (region.go).
	Failover engine.Duration
	// Share, when above 0, hits ⌈Share × ready instances⌉ instead of
	// Instances: a bad push to a share of the fleet.
	Share  float64
	Factor float64 // FaultSlow: service-time multiplier, > 0
	// Balancer targets the service's balancer rather than its instances:
	// Instances balancer nodes crash (FaultCrash only), repaired after
	// Duration (0: never), see lb.go.
	Balancer bool
}

// fault is a scheduled fault and the instances it hit.
type fault struct {
	spec    FaultSpec
	victims []int64 // instanceRef of each instance hit, to undo it at the end (zone: node index)
}

// instFault is one instance's active fault and health-check state, kept
// beside the instance (Service.hx) so that instances without any cost
// nothing.
type instFault struct {
	gen       uint32          // the instance generation this entry belongs to
	hangUntil engine.Time     // hung until then (engine.End for the rest of the run); 0 not hung
	errRate   float64         // share of requests answered 5xx now
	errAfter  engine.Duration // an errors fault's answer time (> 0: served, failfast.go)
	errRand   *rand.Rand      // the errors fault's stream
	health    instHealth
}

// faultKinds are the engine kinds of fault events.
type faultKinds struct{ start, end engine.Kind }

func (c *Cluster) registerFaults() {
	c.kFault.start = c.sim.Register("fault", c.onFault)
	c.kFault.end = c.sim.Register("fault-end", c.onFaultEnd)
	c.kLB.takeover = c.sim.Register("balancer-takeover", c.onLBTakeover)
	c.kLB.repair = c.sim.Register("balancer-repair", c.onLBRepair)
}

// newFaults schedules the configured faults.
func (c *Cluster) newFaults(specs []FaultSpec) error {
	for i, f := range specs {
		if f.Kind == FaultNode || f.Kind == FaultZone || f.Kind == FaultRegion {
			check := c.checkOutage
			if f.Kind == FaultRegion {
				check = c.checkRegion
			}
			if err := check(f); err != nil {
				return err
			}
			c.faults = append(c.faults, &fault{spec: f})
			if f.At <= c.horizon {
				c.sim.Schedule(f.At, c.kFault.start, int32(i), 0)
			}
			continue
		}
		if f.Service < 0 || f.Service >= len(c.services) || f.Instances < 1 {
			return fmt.Errorf("models: fault %q: bad service or instance count", f.Name)
		}
		if (f.Kind == FaultErrors && (f.ErrorRate <= 0 || f.ErrorRate > 1)) || (f.Kind == FaultSlow && f.Factor <= 0 && f.Callee == 0) {
			return fmt.Errorf("models: fault %q: bad error_rate or factor", f.Name)
		}
		s := c.services[f.Service]
		if f.Callee > 0 || f.Kind == FaultCacheFlush {
			if f.Callee > 0 {
				if err := c.checkEdgeFault(f); err != nil {
					return err
				}
			}
			if f.Kind == FaultCacheFlush && s.spec.Cache == nil {
				return fmt.Errorf("models: fault %q: service %q has no cache to flush", f.Name, s.spec.Name)
			}
			c.faults = append(c.faults, &fault{spec: f})
			if f.At <= c.horizon {
				c.sim.Schedule(f.At, c.kFault.start, int32(i), 0)
			}
			continue
		}
		if f.Balancer {
			if f.Kind != FaultCrash {
				return fmt.Errorf("models: fault %q: a balancer fault is a crash", f.Name)
			}
			c.lbFor(s)
			c.faults = append(c.faults, &fault{spec: f})
			if f.At <= c.horizon {
				c.sim.Schedule(f.At, c.kFault.start, int32(i), 0)
			}
			continue
		}
		c.healthState(s)
		if f.Kind == FaultSlow {
			s.uniform = false // service times now depend on the instance
		}
		c.faults = append(c.faults, &fault{spec: f})
		if f.At <= c.horizon {
			c.sim.Schedule(f.At, c.kFault.start, int32(i), 0)
		}
	}
	return nil
}

// onFault starts a fault: the dispatch on its kind.
func (c *Cluster) onFault(ev engine.Event) {
	f := c.faults[ev.Target]
	if f.spec.Balancer {
		c.lbFault(f)
		return
	}
	now := c.sim.Now()
	switch f.spec.Kind {
	case FaultNode:
		c.failNodes(c.pools[f.spec.Pool], f.spec.Instances)
		return
	case FaultZone, FaultRegion:
		if f.spec.Kind == FaultZone {
			c.zoneDown(f)
		} else {
			c.regionDown(f)
		}
		if f.spec.Duration > 0 && now.Add(f.spec.Duration) <= c.horizon {
			c.sim.Schedule(now.Add(f.spec.Duration), c.kFault.end, ev.Target, 0)
		}
		return
	}
	s := c.services[f.spec.Service]
	if f.spec.Callee > 0 {
		c.edgeFaultStart(f)
		if f.spec.Duration > 0 && now.Add(f.spec.Duration) <= c.horizon {
			c.sim.Schedule(now.Add(f.spec.Duration), c.kFault.end, ev.Target, 0)
		}
		return
	}
	if f.spec.Kind == FaultCacheFlush {
		s.cache.lru.Flush()
		s.cache.flushes++
		return
	}
	hx := c.healthState(s)
	n := f.spec.Instances
	if f.spec.Share > 0 {
		n = int(math.Ceil(f.spec.Share * float64(s.ready)))
	}
	for idx, in := range s.instances {
		if len(f.victims) == n {
			break
		}
		if in.state != Ready {
			continue
		}
		f.victims = append(f.victims, instanceRef(int32(idx), in.gen))
		st := hx.at(s, int32(idx))
		switch f.spec.Kind {
		case FaultCrash:
			c.crash(s, int32(idx))
		case FaultHang:
			st.hangUntil = engine.End
			if f.spec.Duration > 0 {
				st.hangUntil = now.Add(f.spec.Duration)
			}
		case FaultErrors:
			st.errRate, st.errAfter = f.spec.ErrorRate, f.spec.Latency
			if st.errRand == nil {
				st.errRand = c.sim.Stream("fault." + f.spec.Name + ".errors")
			}
		case FaultSlow:
			s.integrate(now)
			in.factor *= f.spec.Factor
		}
	}
	s.faulty = true
	if f.spec.Kind == FaultCrash {
		c.SetDesired(int(s.id), s.desired) // the fleet replaces what died
		return
	}
	if f.spec.Duration > 0 && now.Add(f.spec.Duration) <= c.horizon {
		c.sim.Schedule(now.Add(f.spec.Duration), c.kFault.end, ev.Target, 0)
	}
}

// onFaultEnd undoes a fault on the instances it hit that still exist.
func (c *Cluster) onFaultEnd(ev engine.Event) {
	f := c.faults[ev.Target]
	if f.spec.Callee > 0 {
		c.edgeFaultEnd(f)
		return
	}
	switch f.spec.Kind {
	case FaultZone:
		c.zoneUp(f)
		return
	case FaultRegion:
		c.regionUp(f)
		return
	}
	s := c.services[f.spec.Service]
	hx := s.hx
	for _, ref := range f.victims {
		idx, gen := unpackRef(ref)
		in := s.instances[idx]
		if in.gen != gen || in.state == Terminated {
			continue
		}
		st := hx.at(s, idx)
		switch f.spec.Kind {
		case FaultHang:
			st.hangUntil = 0
		case FaultErrors:
			st.errRate, st.errAfter = 0, 0
		case FaultSlow:
			s.integrate(c.sim.Now())
			in.factor /= f.spec.Factor
		}
	}
}

// crash kills an instance. Requests on it fail and its connections reset.
// Without active health checks or outlier detection the balancer learns
// of it at once (Kubernetes sees the container exit and removes the
// endpoint); with them, the balancer keeps sending it requests, each
// refused and failed, until a check or the outlier detector ejects it.
func (c *Cluster) crash(s *Service, idx int32) {
	if !s.hx.detects() {
		c.terminate(s, idx)
		return
	}
	now := c.sim.Now()
	in := s.instances[idx]
	s.integrate(now)
	in.integrate(now)
	c.failAll(s, in, idx)
	s.busy -= int64(in.busy)
	in.busy = 0
	if in.pos >= 0 {
		s.load[in.pos] = 0
		s.notify.Changed(int(in.pos), s.load)
	}
	s.ready--
	s.slots -= int64(s.spec.Concurrency)
	in.state = Dead
	in.changed = now
	c.connsLost(s, idx)
	if s.store != nil && s.store.memory {
		c.dropSessions(s, idx)
	}
	c.noteReplicas(s)
}

// intercept handles a request sent to a faulty instance before it is
// served: a dead instance refuses it, an erroring one may answer 5xx at
// once. It reports whether it did (the request is then failed and
// released).
func (c *Cluster) intercept(s *Service, in *instance, idx int32, id RequestID) bool {
	hx := s.hx
	if hx.region.until > 0 && c.lostToRegion(s, id) {
		return true
	}
	st := hx.at(s, idx)
	dead := in.state == Dead
	if !dead && (st.errRate == 0 || st.errAfter > 0 || st.errRand.Float64() >= st.errRate) {
		return false
	}
	if dead && c.pool.reqs[id].counted {
		hx.lostToDead++
	}
	if !dead {
		c.after = s.spec.RetryAfter // an error answer's Retry-After (callpolicy.go)
	}
	c.fail(s, id)
	c.after = 0
	c.pool.release(id)
	c.observe5xx(s, idx, true)
	return true
}

// hangDelay returns when a request started at now with service time work
// on instance idx completes: held until a hang ends.
func (c *Cluster) hangDelay(s *Service, idx int32, now engine.Time, work engine.Duration) engine.Time {
	if until := s.hx.at(s, idx).hangUntil; until > now {
		return until.Add(work)
	}
	return now.Add(work)
}
