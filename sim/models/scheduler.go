package models

import (
	"slices"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/placement"
)

// The scheduler's mechanics: it observes the nodes, asks
// placement.Pick where a pending instance goes, and books the instance's
// requests on that node. The observation buffers are reused, so placing an
// instance allocates nothing in steady state.

// pendingRef names one pending instance.
type pendingRef struct {
	s   *Service
	idx int32
}

// wakeScheduler arranges for pending instances to be placed once the
// current event is done.
func (c *Cluster) wakeScheduler() {
	if !c.schedulerAwake && len(c.pools) > 0 {
		c.schedulerAwake = true
		c.sim.After(0, c.kNode.schedule, 0, 0)
	}
}

func (c *Cluster) onSchedule(engine.Event) {
	c.schedulerAwake = false
	c.schedulePending()
}

// collectPending fills c.ns.pend with the pending instances, oldest first
// (ties in service, then slot order).
func (c *Cluster) collectPending() []pendingRef {
	pend := c.ns.pend[:0]
	for _, s := range c.services {
		if s.pending == 0 {
			continue
		}
		for i, in := range s.instances {
			if in.state == Pending {
				pend = append(pend, pendingRef{s, int32(i)})
			}
		}
	}
	slices.SortStableFunc(pend, func(a, b pendingRef) int {
		return int(a.s.instances[a.idx].created - b.s.instances[b.idx].created)
	})
	c.ns.pend = pend
	return pend
}

// schedulePending places pending instances, oldest first.
func (c *Cluster) schedulePending() {
	for _, p := range c.collectPending() {
		c.place(p.s, p.idx)
	}
}

// poolOf returns the pool a service's instances may use, as the policies
// spell it.
func poolOf(s *Service) int32 {
	if s.spec.Pool < 0 {
		return placement.AnyPool
	}
	return int32(s.spec.Pool)
}

// reserve picks a node for instance idx of s and books its resources.
func (c *Cluster) reserve(s *Service, idx int32) bool {
	view := c.ns.view[:0]
	for _, n := range c.nodes {
		p := &c.pools[n.pool].spec
		view = append(view, placement.Node{
			Pool: n.pool, Zone: n.zone, Ready: n.state == NodeReady,
			CPU: p.CPU, Memory: p.Memory, UsedCPU: n.cpu, UsedMemory: n.mem, Dedicated: p.Dedicated,
		})
	}
	c.ns.view = view
	var perZone []int
	if s.spec.Spread && len(c.ns.zones) > 1 {
		perZone = slices.Grow(c.ns.perZone[:0], len(c.ns.zones))[:len(c.ns.zones)]
		clear(perZone)
		for _, o := range s.instances {
			if o.node >= 0 && o.state != Terminated {
				perZone[c.nodes[o.node].zone]++
			}
		}
		c.ns.perZone = perZone
	}
	strategy := placement.BinPack
	if s.spec.Spread {
		strategy = placement.Spread
	}
	best := placement.Pick(view, placement.Pod{CPU: s.spec.CPU, Memory: s.spec.Memory, Pool: poolOf(s), Strategy: strategy}, perZone)
	if best < 0 {
		return false
	}
	n := c.nodes[best]
	n.cpu += s.spec.CPU
	n.mem += s.spec.Memory
	n.instances++
	s.instances[idx].node = int32(best)
	if c.nbr != nil {
		c.placedNear(s.instances[idx], n) // neighbour.go
	}
	return true
}
