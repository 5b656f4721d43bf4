package models

import (
	"slices"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/nodescale"
)

// The cluster autoscaler's mechanics: one loop every ScanInterval builds
// an observation of the nodes and pending instances, asks
// nodescale.Autoscaler.Scan for a decision, and applies it — provisioning
// nodes, cordoning and draining the ones to delete. The decision, and the
// state it is made from (unneeded timers, the last scale-up), belong to
// the policy.

// newClusterAutoscaler sets up the autoscaler over the pools, unless there
// are none or spec turns it off.
func (c *Cluster) newClusterAutoscaler(spec ClusterAutoscalerSpec) error {
	if spec.MaxEmptyBulkDelete == 0 {
		spec.MaxEmptyBulkDelete = nodescale.DefaultMaxEmptyBulkDelete
	}
	c.ns.spec = spec
	if len(c.pools) == 0 || spec.ScanInterval <= 0 {
		return nil
	}
	pools := make([]nodescale.Pool, len(c.pools))
	for i, p := range c.pools {
		pools[i] = nodescale.Pool{
			CPU: p.spec.CPU, Memory: p.spec.Memory, Min: p.spec.Min, Max: p.spec.Max,
			ScaleDownUnneeded:    p.spec.ScaleDownUnneeded,
			ScaleDownUtilization: p.spec.ScaleDownUtilization,
			Dedicated:            p.spec.Dedicated,
		}
	}
	var rng nodescale.Rand
	if spec.Expander == nodescale.Random {
		rng = c.sim.Stream("cluster-autoscaler.expander")
	}
	ca, err := nodescale.New(nodescale.Config{
		Expander:               spec.Expander,
		MaxEmptyBulkDelete:     spec.MaxEmptyBulkDelete,
		ScaleDownDelayAfterAdd: spec.ScaleDownDelayAfterAdd,
	}, pools, rng)
	c.ns.ca = ca
	return err
}

// onScan is one cluster-autoscaler loop.
func (c *Cluster) onScan(engine.Event) {
	d := c.ns.ca.Scan(c.observeNodes())
	for pi, n := range d.Add {
		for range n {
			c.provisionNode(c.pools[pi])
		}
	}
	for _, ni := range d.Remove {
		c.cordon(c.nodes[ni])
	}
	c.sim.After(c.ns.spec.ScanInterval, c.kNode.scan, 0, 0)
}

// nodeStates maps a node's state to the autoscaler's view of it.
var nodeStates = [...]nodescale.NodeState{
	Provisioning: nodescale.Provisioning,
	NodeReady:    nodescale.Ready,
	Removing:     nodescale.Deleting,
	Gone:         nodescale.Removed,
}

// observeNodes builds the autoscaler's observation in reused buffers:
// every node with the requests of the instances placed on it (draining
// ones included: they hold their requests until they stop), and the
// pending instances, oldest first.
func (c *Cluster) observeNodes() nodescale.Observation {
	ns := &c.ns
	n := len(c.nodes)
	ns.podsOf = slices.Grow(ns.podsOf[:0], n)[:n]
	clear(ns.podsOf)
	for _, s := range c.services {
		for _, in := range s.instances {
			if in.node >= 0 {
				ns.podsOf[in.node]++
			}
		}
	}
	total := int32(0)
	for i, k := range ns.podsOf { // counts -> start offsets
		ns.podsOf[i] = total
		total += k
	}
	ns.pods = slices.Grow(ns.pods[:0], int(total))[:total]
	for _, s := range c.services {
		pod := nodescale.Pod{CPU: s.spec.CPU, Memory: s.spec.Memory, Pool: poolOf(s)}
		for _, in := range s.instances {
			if in.node >= 0 {
				ns.pods[ns.podsOf[in.node]] = pod
				ns.podsOf[in.node]++ // -> end offset
			}
		}
	}
	ns.obs = ns.obs[:0]
	start := int32(0)
	for i, nd := range c.nodes {
		ns.obs = append(ns.obs, nodescale.Node{Pool: nd.pool, State: nodeStates[nd.state], Pods: ns.pods[start:ns.podsOf[i]]})
		start = ns.podsOf[i]
	}
	ns.pending = ns.pending[:0]
	for _, p := range c.collectPending() {
		ns.pending = append(ns.pending, nodescale.Pod{CPU: p.s.spec.CPU, Memory: p.s.spec.Memory, Pool: poolOf(p.s)})
	}
	return nodescale.Observation{Now: c.sim.Now(), Nodes: ns.obs, Pending: ns.pending}
}
