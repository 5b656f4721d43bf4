package nodescale

import "slices"

// scaleDown updates the unneeded timers and picks the nodes to delete.
func (a *Autoscaler) scaleDown(obs Observation) ([]int32, string) {
	a.findUnneeded(obs)
	remove := a.remove[:0]
	if obs.Now-a.lastScaleUp < a.cfg.ScaleDownDelayAfterAdd {
		return remove, ReasonInCooldown
	}
	for pi := range a.pools {
		a.spareOfPools[pi] = a.ready[pi] - a.pools[pi].Min
	}
	// Empty nodes first, several at once.
	for _, i := range a.cands {
		n := &obs.Nodes[i]
		if len(remove) == a.cfg.MaxEmptyBulkDelete {
			break
		}
		if len(n.Pods) == 0 && a.due(obs, i) {
			a.spareOfPools[n.Pool]--
			remove = append(remove, i)
		}
	}
	if len(remove) > 0 {
		return remove, ReasonDeleteEmpty
	}
	for _, i := range a.cands {
		if a.due(obs, i) {
			return append(remove, i), ReasonDeleteNonEmpty
		}
	}
	return remove, ReasonNoCandidate
}

// due reports whether unneeded node i has been unneeded long enough and its
// pool is above its minimum.
func (a *Autoscaler) due(obs Observation, i int32) bool {
	pi := obs.Nodes[i].Pool
	return a.spareOfPools[pi] > 0 && obs.Now-a.unneeded[i] >= a.pools[pi].ScaleDownUnneeded
}

// findUnneeded walks the ready nodes in order and records in a.cands those
// whose requests are under the utilisation threshold and whose pods can
// each be placed on another ready node. A node found removable gives up
// its room and its pods take theirs, so later nodes are judged on the
// cluster without it (cluster-autoscaler simulates removals in sequence);
// a node that took an earlier node's pods is needed for this scan.
func (a *Autoscaler) findUnneeded(obs Observation) {
	a.resetRoom(obs.Nodes, false)
	a.recv = slices.Grow(a.recv[:0], len(obs.Nodes))[:len(obs.Nodes)]
	clear(a.recv)
	a.cands = a.cands[:0]
	for i := range obs.Nodes {
		n := &obs.Nodes[i]
		if n.State != Ready || a.recv[i] || !a.underused(n) || !a.drainable(obs.Nodes, i) {
			a.unneeded[i] = -1
			continue
		}
		a.room[i] = [2]float64{-1, -1}
		if a.unneeded[i] < 0 {
			a.unneeded[i] = obs.Now
		}
		a.cands = append(a.cands, int32(i))
	}
}

// underused reports whether a node's requested CPU and memory are both
// under its pool's threshold.
func (a *Autoscaler) underused(n *Node) bool {
	p := &a.pools[n.Pool]
	cpu, mem := used(n)
	return max(cpu/p.CPU, mem/p.Memory) < p.ScaleDownUtilization
}

// drainable simulates placing node i's pods, one by one, on the other
// destination nodes. On success the room they take stays booked; on
// failure every booking is rolled back.
func (a *Autoscaler) drainable(nodes []Node, i int) bool {
	a.undo = a.undo[:0]
	for _, p := range nodes[i].Pods {
		j := a.fitFirst(nodes, p, i)
		if j < 0 {
			for _, m := range a.undo {
				a.room[m.node][0] += m.cpu
				a.room[m.node][1] += m.mem
			}
			return false
		}
		a.undo = append(a.undo, move{int32(j), p.CPU, p.Memory})
	}
	for _, m := range a.undo {
		a.recv[m.node] = true
	}
	return true
}
