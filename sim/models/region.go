package models

import (
	"fmt"
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/engine"
)

// Region failures: a region is a group of zones (the node pools'
// region key). A region fault takes every zone of the region down at
// once, as a zone fault does each (outage.go), and models how clients
// find out: traffic reaches a region through DNS (weighted or latency
// records, each region's balancer behind one), and a region's share of
// the traffic keeps going to it until the failover — health checks
// noticing and the record's TTL running out in the clients' resolvers.
// So for Failover after the fault starts, each client request to a
// service is lost, with probability the share of the service's ready
// instances that were in the region when it failed (the region's weight
// in DNS); it fails at once, as a refused connection does. After the
// failover every request goes to the instances left, which must carry
// the whole load until replacements start on the nodes left or
// provisioned in the surviving zones.

// regionLoss is a service's traffic still sent to a failed region.
type regionLoss struct {
	share float64     // share of client requests lost
	until engine.Time // end of the failover
	draws *rand.Rand  // stream "fault.NAME.region"
	lost  int64       // counted requests lost
	hit   bool        // a region fault is configured: the figure exists
}

// checkRegion validates a region fault against the node pools' zones.
func (c *Cluster) checkRegion(f FaultSpec) error {
	if len(f.Zones) == 0 {
		return fmt.Errorf("models: fault %q: region %q has no zones", f.Name, f.Region)
	}
	for _, z := range f.Zones {
		if _, ok := c.ns.zones[z]; !ok {
			return fmt.Errorf("models: fault %q: no node pool has zone %q", f.Name, z)
		}
	}
	for _, s := range c.services {
		c.healthState(s).region.hit = true
	}
	return nil
}

// regionDown starts region fault f: each service's share of traffic in
// the region is lost until the failover, then the region's zones go down.
func (c *Cluster) regionDown(f *fault) {
	now := c.sim.Now()
	in := make([]bool, len(c.ns.zones))
	for _, z := range f.spec.Zones {
		in[c.ns.zones[z]] = true
	}
	for _, s := range c.services {
		there := 0
		for _, inst := range s.instances {
			if inst.state == Ready && inst.node >= 0 && in[c.nodes[inst.node].zone] {
				there++
			}
		}
		if there == 0 || f.spec.Failover <= 0 {
			continue
		}
		rl := &c.healthState(s).region
		rl.share = float64(there) / float64(s.ready)
		rl.until = now.Add(f.spec.Failover)
		if rl.draws == nil {
			rl.draws = c.sim.Stream("fault." + f.spec.Name + ".region")
		}
		s.faulty = true
	}
	if c.ns.down == nil {
		c.ns.down = make([]bool, len(c.ns.zones))
	}
	for _, z := range f.spec.Zones {
		c.ns.down[c.ns.zones[z]] = true
	}
	for ni, n := range c.nodes {
		if in[n.zone] && n.state == NodeReady {
			f.victims = append(f.victims, int64(ni))
			c.failNode(n)
		}
	}
}

// regionUp ends region fault f: its zones take nodes again and each pool
// provisions there the nodes it lost, up to its maximum.
func (c *Cluster) regionUp(f *fault) {
	for _, z := range f.spec.Zones {
		c.ns.down[c.ns.zones[z]] = false
	}
	for _, ni := range f.victims {
		n := c.nodes[ni]
		p := c.pools[n.pool]
		if len(p.nodes)-p.gone < p.spec.Max {
			c.provisionNodeIn(p, n.zone)
		}
	}
	f.victims = f.victims[:0]
}

// lostToRegion reports whether client request id, sent to s, goes to a
// failed region before the failover; it is then failed and released.
func (c *Cluster) lostToRegion(s *Service, id RequestID) bool {
	rl := &s.hx.region
	if rl.until <= c.sim.Now() || c.isCall(id) || rl.draws.Float64() >= rl.share {
		return false
	}
	if c.pool.reqs[id].counted {
		rl.lost++
	}
	c.fail(s, id)
	c.pool.release(id)
	return true
}

// lostToRegionCount returns the requests lost to failed regions, nil
// when no region fault is configured.
func (s *Service) lostToRegionCount() *int64 {
	if s.hx == nil || !s.hx.region.hit {
		return nil
	}
	n := s.hx.region.lost
	return &n
}
