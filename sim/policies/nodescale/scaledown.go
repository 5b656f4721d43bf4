package nodescale

// scaleDown updates the unneeded timers and picks the nodes to delete.
func (a *Autoscaler) scaleDown(obs Observation) ([]int32, string) {
	a.findUnneeded(obs)
	remove := a.remove[:0]
	if obs.Now.Sub(a.lastScaleUp) < a.cfg.ScaleDownDelayAfterAdd {
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
	return a.spareOfPools[pi] > 0 && obs.Now.Sub(a.unneeded[i]) >= a.pools[pi].ScaleDownUnneeded
}

// findUnneeded walks the ready nodes in order and records in a.cands those
// whose requests are under the utilisation threshold and whose pods can
// each be placed on another ready node. A node found removable gives up
// its room and its pods keep the room they took, so later nodes are judged
// on the cluster without it, counting the pods they received
// (cluster-autoscaler simulates removals in sequence).
func (a *Autoscaler) findUnneeded(obs Observation) {
	a.resetRoom(obs.Nodes, false)
	a.moved = a.moved[:0]
	a.cands = a.cands[:0]
	for i := range obs.Nodes {
		n := &obs.Nodes[i]
		if n.State != Ready || !a.underused(n, i) || !a.drainable(obs.Nodes, i) {
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

// underused reports whether node i's requests, with the pods it received
// in this scan's simulation, are under its pool's threshold in both CPU
// and memory.
func (a *Autoscaler) underused(n *Node, i int) bool {
	p := &a.pools[n.Pool]
	cpu, mem := p.CPU-a.room[i][0], p.Memory-a.room[i][1]
	return max(cpu/p.CPU, mem/p.Memory) < p.ScaleDownUtilization
}

// drainable simulates placing node i's pods, and the pods it received
// from earlier unneeded nodes, one by one on the other destination nodes,
// first fit. On success the moves stay booked in a.moved and a.room; on
// failure they are rolled back.
func (a *Autoscaler) drainable(nodes []Node, i int) bool {
	n0 := len(a.moved)
	ok := true
	for _, p := range nodes[i].Pods {
		if ok = a.moveOff(nodes, p, i); !ok {
			break
		}
	}
	for k := 0; ok && k < n0; k++ {
		if a.moved[k].node == int32(i) {
			ok = a.moveOff(nodes, a.moved[k].pod, i)
		}
	}
	if !ok {
		for _, m := range a.moved[n0:] {
			a.room[m.node][0] += m.pod.CPU
			a.room[m.node][1] += m.pod.Memory
		}
		a.moved = a.moved[:n0]
	}
	return ok
}

// moveOff books pod p, leaving node i, on another destination node.
func (a *Autoscaler) moveOff(nodes []Node, p Pod, i int) bool {
	j := a.fitFirst(nodes, p, i)
	if j < 0 {
		return false
	}
	a.moved = append(a.moved, move{int32(j), p})
	return true
}
