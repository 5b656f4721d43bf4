package models

import (
	"fmt"
	"math"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/interference"
)

// Noisy neighbours: a [[neighbour]] entry is a heavy workload (a batch
// job, another tenant's burstable pod, a daemon) running on every node of
// a pool for a while. It requests nothing from the scheduler — it uses
// CPU beyond the requests — and it slows the instances placed on those
// nodes: their service times are multiplied by
// interference.Slowdown(k, cpu, node cores) while it runs, instances
// placed during the spell included. Requests already in service finish
// at the speed they started at. Several neighbours on one pool compound
// (their factors multiply). A service kept to another pool, a dedicated
// one, is untouched.

// NeighbourSpec is one [[neighbour]] entry.
type NeighbourSpec struct {
	Name        string
	Pool        int             // index of the node pool it runs on
	CPU         float64         // cores it keeps busy on each node, > 0
	Sensitivity float64         // k of interference.Slowdown, >= 0
	At          engine.Time     // when it starts
	Duration    engine.Duration // how long it runs; 0 to the end of the run
}

// neighbours is the cluster's noisy-neighbour state, nil without any.
type neighbours struct {
	specs      []NeighbourSpec
	slow       []float64 // per pool: the product of its running neighbours' factors (1: none)
	start, end engine.Kind
}

// newNeighbours checks the specs, marks the services they may slow and
// schedules their spells.
func (c *Cluster) newNeighbours(specs []NeighbourSpec) error {
	if len(specs) == 0 {
		return nil
	}
	nb := &neighbours{specs: specs, slow: make([]float64, len(c.pools))}
	for i := range nb.slow {
		nb.slow[i] = 1
	}
	nb.start = c.sim.Register("neighbour", c.onNeighbour)
	nb.end = c.sim.Register("neighbour-end", c.onNeighbourEnd)
	for i, n := range specs {
		if n.Pool < 0 || n.Pool >= len(c.pools) || !(n.CPU > 0) || math.IsInf(n.CPU, 0) ||
			!(n.Sensitivity >= 0) || math.IsInf(n.Sensitivity, 0) || n.At < 0 || n.Duration < 0 {
			return fmt.Errorf("models: neighbour %q: bad pool, cpu, sensitivity or time", n.Name)
		}
		for _, s := range c.services {
			if s.spec.Pool < 0 || s.spec.Pool == n.Pool {
				s.uniform = false // service times now depend on the instance's node
			}
		}
		if n.At <= c.horizon {
			c.sim.Schedule(n.At, nb.start, int32(i), 0)
		}
	}
	c.nbr = nb
	return nil
}

// factor is neighbour i's slowdown of its pool's instances.
func (c *Cluster) factor(n NeighbourSpec) float64 {
	return interference.Slowdown(n.Sensitivity, n.CPU, c.pools[n.Pool].spec.CPU)
}

// onNeighbour starts a neighbour: every instance on its pool slows down.
func (c *Cluster) onNeighbour(ev engine.Event) {
	n := c.nbr.specs[ev.Target]
	f := c.factor(n)
	c.nbr.slow[n.Pool] *= f
	c.scaleOnPool(int32(n.Pool), f)
	if n.Duration > 0 {
		if end := c.sim.Now().Add(n.Duration); end <= c.horizon {
			c.sim.Schedule(end, c.nbr.end, ev.Target, 0)
		}
	}
}

// onNeighbourEnd stops a neighbour: its pool's instances speed up again.
func (c *Cluster) onNeighbourEnd(ev engine.Event) {
	n := c.nbr.specs[ev.Target]
	f := c.factor(n)
	c.nbr.slow[n.Pool] /= f
	c.scaleOnPool(int32(n.Pool), 1/f)
}

// scaleOnPool multiplies the service-time factor of every instance placed
// on a node of pool by f.
func (c *Cluster) scaleOnPool(pool int32, f float64) {
	for _, s := range c.services {
		for _, in := range s.instances {
			if in.node >= 0 && in.state != Terminated && c.nodes[in.node].pool == pool {
				in.factor *= f
			}
		}
	}
}

// placedNear gives an instance just placed on node n the slowdown of the
// neighbours running on n's pool.
func (c *Cluster) placedNear(in *instance, n *node) {
	if f := c.nbr.slow[n.pool]; f != 1 {
		in.factor *= f
	}
}
