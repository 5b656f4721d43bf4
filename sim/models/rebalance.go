package models

import "github.com/clustersim/clustersim/sim/engine"

// Rebalancing on scale-out (the service key rebalance): when an instance
// becomes ready, the instances holding more pinned connections than the
// new mean send GOAWAY on just enough of them to come down to ⌈mean⌉, and
// those clients reconnect through the balancer at once, as at
// max_connection_age (goAway). The reconnects land where the connection
// balancer sends them: with least_outstanding (least connections) on the
// emptiest instances, so the fleet ends even; with round_robin some land
// back on the old instances. Instances that become ready at the same
// instant are rebalanced once, after all of them joined: the check is an
// event scheduled at now, behind the other readiness events of that
// instant (ties fire in insertion order).

// scheduleRebalance arranges a rebalance of service s at now, once per
// instant, when the service rebalances.
func (c *Cluster) scheduleRebalance(s *Service) {
	sc := s.conn
	if sc == nil || !s.spec.Rebalance || sc.rebalancePending {
		return
	}
	sc.rebalancePending = true
	c.sim.Schedule(c.sim.Now(), c.kConn.rebalance, s.id, 0)
}

// onRebalance closes connections on the instances above ⌈mean⌉.
func (c *Cluster) onRebalance(ev engine.Event) {
	s := c.services[ev.Target]
	sc := s.conn
	sc.rebalancePending = false
	n := int64(len(s.rotation))
	if !sc.pinned || n < 2 {
		return
	}
	var total int64
	for _, l := range sc.load {
		total += int64(l)
	}
	target := (total + n - 1) / n // ⌈mean⌉
	excess := make([]int32, len(sc.per))
	some := false
	for _, idx := range s.rotation {
		if e := int64(sc.count(idx)) - target; e > 0 {
			excess[idx] = int32(e)
			some = true
		}
	}
	if !some {
		return
	}
	// Keep-alive connections already told to go away, still busy, leave
	// of themselves: they count against the excess.
	for cn := range c.conns.conns {
		k := &c.conns.conns[cn]
		if k.closing && k.instance >= 0 && int(k.instance) < len(excess) && excess[k.instance] > 0 &&
			k.gen == s.instances[k.instance].gen && c.workloads[k.workload].spec.Service == int(s.id) {
			excess[k.instance]--
		}
	}
	for cn := range c.conns.conns {
		k := &c.conns.conns[cn]
		if k.instance < 0 || int(k.instance) >= len(excess) || excess[k.instance] == 0 ||
			k.gen != s.instances[k.instance].gen || k.closing || c.workloads[k.workload].spec.Service != int(s.id) {
			continue
		}
		if k.state != connLong && k.state != connIdle && k.state != connBusy {
			continue
		}
		excess[k.instance]--
		sc.rebalanced++
		c.goAway(s, int32(cn))
	}
}
