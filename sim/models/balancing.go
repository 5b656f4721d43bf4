package models

import (
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies"
	"github.com/clustersim/clustersim/sim/results"
)

// balancing is what a service's balancer needs beyond the load vector —
// the request's key, the time, who the backends are, the response times
// it observes — and the key-affinity figure. A service whose balancer
// needs none of it and whose requests carry no key has none (nil), and
// dispatch costs what it always did.
type balancing struct {
	keyed    policies.Keyed    // nil unless the algorithm picks by key
	clock    policies.Clocked  // nil unless it reads the time
	feedback policies.Feedback // nil unless it learns response times
	hosts    []policies.Host   // beside rotation, when the balancer watches hosts
	watch    bool              // the balancer watches hosts
	stale    bool              // hosts changed since the balancer last heard
	weights  []float64         // the k-th created instance's weight (later ones 1)
	weight   []float64         // by instance index, when weights are given

	// last holds, by key, the instance (ref + 1) that last got the key;
	// nil when no workload of the service has keys.
	last []uint64
	// Keyed requests dispatched whose key was seen before, and those of
	// them that went to the same instance as the key's previous request,
	// in the window and after warm-up.
	winKeyed, winHits, keyedTotal, hitTotal int64
}

// newBalancing returns the extras the balancer b of spec needs, given
// the largest key space of the workloads that target it; nil when none.
func newBalancing(spec ServiceSpec, b policies.Balancer, notify policies.Notifier, keys int) *balancing {
	x := &balancing{watch: notify.WantsHosts(), weights: spec.Weights}
	x.keyed, _ = b.(policies.Keyed)
	x.clock, _ = b.(policies.Clocked)
	x.feedback, _ = b.(policies.Feedback)
	if keys > 0 {
		x.last = make([]uint64, keys)
	}
	if x.keyed == nil && x.clock == nil && x.feedback == nil && !x.watch && x.last == nil {
		return nil
	}
	return x
}

// setWeight records the weight of instance idx, the ord-th created.
func (x *balancing) setWeight(idx int32, ord int) {
	if len(x.weights) == 0 {
		return
	}
	for int(idx) >= len(x.weight) {
		x.weight = append(x.weight, 1)
	}
	w := 1.0
	if ord < len(x.weights) {
		w = x.weights[ord]
	}
	x.weight[idx] = w
}

// host describes instance idx to the balancer.
func (x *balancing) host(s *Service, idx int32) policies.Host {
	in := s.instances[idx]
	w := 1.0
	if int(idx) < len(x.weight) {
		w = x.weight[idx]
	}
	return policies.Host{ID: uint64(instanceRef(idx, in.gen)), Weight: w, Joined: in.changed}
}

// added records the instance just appended to the rotation. The
// balancer hears of the new set before its next pick, once however many
// instances changed in between (a fleet of 10,000 starting at once costs
// one rebuild of a hash ring, not 10,000).
func (x *balancing) added(s *Service, idx int32) {
	if !x.watch {
		return
	}
	x.hosts = append(x.hosts, x.host(s, idx))
	x.stale = true
}

// removed records that the instance at rotation position p left, the
// last one moving into its place.
func (x *balancing) removed(p int32) {
	if !x.watch {
		return
	}
	last := len(x.hosts) - 1
	x.hosts[p] = x.hosts[last]
	x.hosts = x.hosts[:last]
	x.stale = true
}

// drawKey gives request id the next key of its workload.
func (c *Cluster) drawKey(w *workload, id RequestID) {
	c.pool.keys.v[id] = w.keys.draw() + 1
}

// pick returns the rotation position for request id, or -1 when it
// cannot be sent (a client holding a stale DNS answer): the request is
// then counted as failed and released.
func (c *Cluster) pick(s *Service, id RequestID, now engine.Time) int {
	x := s.bx
	if x.clock != nil {
		x.clock.SetNow(now)
	}
	if x.stale {
		s.notify.Hosts(x.hosts, s.load)
		x.stale = false
	}
	var key uint64
	keyed := c.pool.keys.on && c.pool.keys.v[id] != 0
	if keyed {
		key = c.pool.keys.v[id] - 1
	}
	var user uint32 // sessions in memory: sticky by user (sessionstore.go)
	if s.store != nil && s.store.memory {
		if user = c.userOf(id); user != 0 {
			key, keyed = uint64(user-1), true
		}
	}
	pos := 0
	switch {
	case x.keyed != nil && keyed:
		pos = x.keyed.PickKey(key, s.load)
	case len(s.rotation) > 1:
		pos = s.bal.Pick(s.load)
	}
	if pos >= 0 && keyed && x.last != nil {
		idx := s.rotation[pos]
		ref := uint64(instanceRef(idx, s.instances[idx].gen)) + 1
		if prev := x.last[key]; prev != 0 { // a key's first request is no test of affinity
			x.winKeyed++
			if prev == ref {
				x.winHits++
			}
		}
		x.last[key] = ref
	}
	if pos >= 0 && user != 0 {
		c.hold(s, user, s.rotation[pos])
	}
	if pos < 0 {
		c.fail(s, id) // the client reaches no one
		c.pool.release(id)
	}
	return pos
}

// observe reports a response time from instance in to a balancer that
// learns from them.
func (s *Service) observe(in *instance, rt engine.Duration) {
	if s.bx != nil && s.bx.feedback != nil && in.pos >= 0 {
		s.bx.feedback.Observe(int(in.pos), rt)
	}
}

// BalancerColumns lists the time-series columns each service contributes
// after ServiceColumns, named SERVICE.METRIC.
var BalancerColumns = []string{
	"key_affinity",      // share of keyed requests sent to the same instance as their key's previous request (keys seen before); empty without
	"arrival_imbalance", // requests sent to the busiest instance in rotation / mean per instance in rotation; empty when none arrived
}

// balancerRow returns the window's balancer figures and starts the next
// window; counted folds the window into the run totals.
func (s *Service) balancerRow(counted bool) (affinity, imbalance float64) {
	affinity = results.Missing()
	if x := s.bx; x != nil {
		affinity = results.Ratio(x.winHits, x.winKeyed)
		if counted {
			x.keyedTotal += x.winKeyed
			x.hitTotal += x.winHits
		}
		x.winKeyed, x.winHits = 0, 0
	}
	var most, sum int64
	for _, idx := range s.rotation {
		in := s.instances[idx]
		n := in.arrivals - s.arrivalBase(idx)
		most = max(most, n)
		sum += n
	}
	imbalance = results.Missing()
	if sum > 0 {
		imbalance = float64(most) * float64(len(s.rotation)) / float64(sum)
	}
	s.markArrivals()
	return affinity, imbalance
}

// arrivalMark is an instance's arrival count at the last window's end.
type arrivalMark struct {
	gen      uint32
	arrivals int64
}

// arrivalBase returns instance idx's arrivals at the last window's end
// (0 if it was not there then).
func (s *Service) arrivalBase(idx int32) int64 {
	if int(idx) < len(s.marks) && s.marks[idx].gen == s.instances[idx].gen {
		return s.marks[idx].arrivals
	}
	return 0
}

// markArrivals records every instance's arrivals at a window's end.
func (s *Service) markArrivals() {
	for len(s.marks) < len(s.instances) {
		s.marks = append(s.marks, arrivalMark{})
	}
	for i, in := range s.instances {
		s.marks[i] = arrivalMark{gen: in.gen, arrivals: in.arrivals}
	}
}

// foldImbalance folds a window's arrival imbalance into the run's
// figures.
func (t *serviceTotals) foldImbalance(v float64) {
	if results.IsMissing(v) {
		return
	}
	t.imbalanceSum += v
	t.imbalanceN++
	t.imbalanceMax = max(t.imbalanceMax, v)
}

// balancerSummary returns the service's whole-run balancer figures.
func (s *Service) balancerSummary() results.BalancerSummary {
	b := results.BalancerSummary{KeyAffinity: results.Missing(), ArrivalImbalanceMax: results.Missing(), ArrivalImbalanceMean: results.Missing()}
	if s.bx != nil {
		b.KeyAffinity = results.Ratio(s.bx.hitTotal, s.bx.keyedTotal)
		b.KeyedRequests = s.bx.keyedTotal
	}
	if t := &s.total; t.imbalanceN > 0 {
		b.ArrivalImbalanceMax = t.imbalanceMax
		b.ArrivalImbalanceMean = t.imbalanceSum / float64(t.imbalanceN)
	}
	return b
}
