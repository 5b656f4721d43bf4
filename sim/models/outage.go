package models

import (
	"fmt"
	"slices"
)

// Outages: the node and zone kinds of [[fault]]. A node fault crashes
// ready nodes of a pool like a pool's scheduled failures; a zone fault
// crashes every ready node in a zone (Kubernetes sees them NotReady and
// evicts their pods, which the scheduler places on the nodes left) and
// keeps the zone out until the fault ends: no node is provisioned there
// meanwhile. When it ends, the pools get back the nodes they lost in it,
// as far as their maximum allows, after their provisioning delay.

// checkOutage validates a node or zone fault against the node pools.
func (c *Cluster) checkOutage(f FaultSpec) error {
	switch f.Kind {
	case FaultNode:
		if f.Pool < 0 || f.Pool >= len(c.pools) || f.Instances < 1 {
			return fmt.Errorf("models: fault %q: bad node pool or node count", f.Name)
		}
	case FaultZone:
		if _, ok := c.ns.zones[f.Zone]; !ok || f.Zone == "" {
			return fmt.Errorf("models: fault %q: no node pool has zone %q", f.Name, f.Zone)
		}
	}
	return nil
}

// zoneIsDown reports whether zone z is out in a zone fault.
func (c *Cluster) zoneIsDown(z int32) bool {
	return c.ns.down != nil && c.ns.down[z]
}

// nextZone returns the zone of pool p's next node: its zones in turn,
// skipping those that are out (all out: the next in turn, and the node
// never comes up).
func (c *Cluster) nextZone(p *nodePool) int32 {
	for range p.zones {
		z := p.zones[p.nextZone%len(p.zones)]
		p.nextZone++
		if !c.zoneIsDown(z) {
			return z
		}
	}
	z := p.zones[p.nextZone%len(p.zones)]
	p.nextZone++
	return z
}

// zoneDown starts zone fault f: every ready or provisioning node in the
// zone goes, with every instance on a ready one.
func (c *Cluster) zoneDown(f *fault) {
	z := c.ns.zones[f.spec.Zone]
	if c.ns.down == nil {
		c.ns.down = make([]bool, len(c.ns.zones))
	}
	c.ns.down[z] = true
	for ni, n := range c.nodes {
		if n.zone != z {
			continue
		}
		switch n.state {
		case NodeReady:
			f.victims = append(f.victims, int64(ni))
			c.failNode(n)
		case Provisioning: // onNodeReady drops it
		}
	}
}

// zoneUp ends zone fault f: the zone takes nodes again and each pool
// provisions there the nodes it lost, up to its maximum.
func (c *Cluster) zoneUp(f *fault) {
	z := c.ns.zones[f.spec.Zone]
	c.ns.down[z] = false
	lost := make([]int, len(c.pools))
	for _, ni := range f.victims {
		lost[c.nodes[ni].pool]++
	}
	for i, p := range c.pools {
		live := len(p.nodes) - p.gone
		n := min(lost[i], p.spec.Max-live)
		for range n {
			c.provisionNodeIn(p, z)
		}
	}
	f.victims = slices.Delete(f.victims, 0, len(f.victims))
}
