package models

import (
	"math"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
)

// Instance lifecycle: a new instance starts (its startup time drawn from
// the service's Startup distribution), passes its readiness probe, joins
// the balancer and serves, slowed while it warms up. Scaled in, it drains:
// it leaves the balancer at once, finishes its in-flight and queued work,
// and is terminated when idle or when the grace period ends, whichever is
// first; requests still on it then fail.

// instanceRef packs an instance index and its generation into an event
// payload word, so an event for a reused slot is recognised as stale.
func instanceRef(idx int32, gen uint32) int64 { return int64(idx)<<32 | int64(gen) }

func unpackRef(arg int64) (idx int32, gen uint32) { return int32(arg >> 32), uint32(arg) }

// lifecycleKinds are the engine kinds of instance lifecycle events.
type lifecycleKinds struct {
	ready, drainDeadline, probe engine.Kind
}

func (c *Cluster) registerLifecycle() {
	c.kLife.ready = c.sim.Register("instance-ready", c.onReady)
	c.kLife.drainDeadline = c.sim.Register("drain-deadline", c.onDrainDeadline)
	c.kLife.probe = c.sim.Register("readiness-probe", c.onProbe)
}

// live returns the instances that count towards the fleet: pending,
// starting or ready (draining ones are on their way out).
func (s *Service) live() int { return s.pending + s.starting + s.unready + s.ready }

// SetDesired scales a service to n instances: it starts new instances or
// drains surplus ones, chosen as Kubernetes' ReplicaSet controller ranks
// pods for deletion (see worseToKeep).
func (c *Cluster) SetDesired(svc int, n int) {
	s := c.services[svc]
	now := c.sim.Now()
	s.integrate(now)
	s.desired = n
	if s.dep != nil {
		return // the deployment owns the fleet; applied when it ends
	}
	for s.live() < n {
		c.startInstance(s)
	}
	if s.live() <= n {
		return
	}
	colocated := c.colocation(s)
	for s.live() > n {
		victim := int32(-1)
		for i, in := range s.instances {
			if in.state > Ready {
				continue
			}
			if victim < 0 || worseToKeep(in, s.instances[victim], int32(i), victim, now, colocated) {
				victim = int32(i)
			}
		}
		c.drain(s, victim)
	}
}

// colocation counts the service's live instances on each node (nil
// without node pools), reusing the service's scratch slice. Like the
// ReplicaSet controller, which ranks pods once and deletes the first ones,
// the counts are taken before any instance is drained.
func (c *Cluster) colocation(s *Service) []int32 {
	if len(c.nodes) == 0 {
		return nil
	}
	s.colocated = append(s.colocated[:0], make([]int32, len(c.nodes))...)
	for _, in := range s.instances {
		if in.state <= Ready && in.node >= 0 {
			s.colocated[in.node]++
		}
	}
	return s.colocated
}

// worseToKeep reports whether instance a (slot ia) should be removed
// before b (slot ib), in the order of Kubernetes' ActivePodsWithRanks
// (pkg/controller/controller_utils.go) with LogarithmicScaleDown, on by
// default since Kubernetes 1.22:
//  1. not yet on a node before on one;
//  2. phase Pending (waiting for a node, pulling its image) before Running;
//  3. not ready before ready;
//  4. (pod-deletion-cost: clustersim has none);
//  5. more instances of the service on its node before fewer;
//  6. both ready: ready more recently before longer, compared in
//     power-of-two buckets of time since readiness;
//  7. (container restarts: clustersim's instances do not restart);
//  8. created more recently before longer, in the same buckets.
//
// Kubernetes breaks a tie within a bucket by pod UID, a random string;
// clustersim by a hash of the instance's slot, generation and creation
// time, deterministic and as arbitrary.
func worseToKeep(a, b *instance, ia, ib int32, now engine.Time, colocated []int32) bool {
	if ua, ub := a.state == Pending, b.state == Pending; ua != ub {
		return ua
	}
	if pa, pb := a.pendingAt(now), b.pendingAt(now); pa != pb {
		return pa
	}
	if ra, rb := a.state == Ready, b.state == Ready; ra != rb {
		return !ra
	}
	if colocated != nil && a.node >= 0 && b.node >= 0 && colocated[a.node] != colocated[b.node] {
		return colocated[a.node] > colocated[b.node]
	}
	if a.state == Ready && b.state == Ready && a.changed != b.changed {
		if d := logRank(now, a.changed) - logRank(now, b.changed); d != 0 {
			return d < 0
		}
		return podUID(a, ia) < podUID(b, ib)
	}
	if a.created != b.created {
		if d := logRank(now, a.created) - logRank(now, b.created); d != 0 {
			return d < 0
		}
		return podUID(a, ia) < podUID(b, ib)
	}
	return false
}

// pendingAt reports whether the instance is in phase Pending at now: not
// on a node yet, or pulling its image.
func (in *instance) pendingAt(now engine.Time) bool {
	return in.state == Pending || (in.state == Starting && in.started > now)
}

// logRank is Kubernetes' logarithmicRankDiff bucket: floor(log2) of the
// nanoseconds since t, or -1 if t is not in the past.
func logRank(now, t engine.Time) int {
	if d := now - t; d > 0 {
		return int(math.Log2(float64(d)))
	}
	return -1
}

// podUID is a deterministic stand-in for a pod's random UID.
func podUID(in *instance, idx int32) uint64 {
	x := uint64(idx)<<32 ^ uint64(in.gen) ^ uint64(in.created)*0x9e3779b97f4a7c15
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// startInstance creates an instance. With node pools it waits, Pending,
// for a node with room; otherwise it starts at once.
func (c *Cluster) startInstance(s *Service) {
	now := c.sim.Now()
	idx := s.newInstance()
	in := s.instances[idx]
	in.created = now
	s.win.coldStarts++
	if len(c.pools) == 0 {
		s.starting++
		c.boot(s, idx)
		return
	}
	in.state = Pending
	s.pending++
	c.place(s, idx)
}

// boot starts a Starting instance's image pull and process start; it
// becomes ready when its readiness probe first passes after that.
func (c *Cluster) boot(s *Service, idx int32) {
	now := c.sim.Now()
	in := s.instances[idx]
	up := now
	if s.pull != nil {
		up = up.Add(engine.FromSeconds(s.pull.Sample()))
	}
	in.started, in.changed = up, up
	if s.startup != nil {
		up = up.Add(engine.FromSeconds(s.startup.Sample()))
	}
	if s.vers != nil && s.vers[in.version].spec.NeverReady {
		return // a start-up that never becomes ready
	}
	at := s.spec.Readiness.readyAfter(now, up)
	c.sim.Schedule(at, c.kLife.ready, s.id, instanceRef(idx, in.gen))
}

// onReady puts a started instance into the balancer.
func (c *Cluster) onReady(ev engine.Event) {
	s := c.services[ev.Target]
	idx, gen := unpackRef(ev.Arg)
	in := s.instances[idx]
	if in.gen != gen || in.state != Starting {
		return // scaled in or replaced while starting
	}
	now := c.sim.Now()
	s.integrate(now)
	in.integrate(now)
	s.starting--
	s.ready++
	s.slots += int64(s.spec.Concurrency)
	in.state = Ready
	in.readyAt, in.changed = now, now
	if s.routes(in.version) {
		s.addToRotation(idx)
		c.scheduleRebalance(s)
	}
	c.noteReplicas(s)
	c.scheduleProbe(s, idx, now)
	c.startHealthCheck(s, idx)
	if s.vers != nil {
		c.scheduleDeath(s, idx, now)
	}
}

// scheduleProbe arranges the next readiness probe of a ready instance,
// one period after from, when ready instances are probed.
func (c *Cluster) scheduleProbe(s *Service, idx int32, from engine.Time) {
	if s.probing {
		c.sim.Schedule(from.Add(s.spec.Readiness.Period), c.kLife.probe, s.id, instanceRef(idx, s.instances[idx].gen))
	}
}

// onProbe runs a readiness probe on a ready or unready instance. The probe
// waits behind the queue like a request: its wait is estimated as the
// queued requests (plus itself) times the instance's average service time
// over its slots, and it fails if that exceeds the probe's timeout.
func (c *Cluster) onProbe(ev engine.Event) {
	s := c.services[ev.Target]
	idx, gen := unpackRef(ev.Arg)
	in := s.instances[idx]
	if in.gen != gen || (in.state != Ready && in.state != Unready) {
		return
	}
	p := s.spec.Readiness
	wait := 0.0
	if in.busy >= int32(s.spec.Concurrency) {
		wait = float64(in.qlen+1) * in.work / float64(s.spec.Concurrency)
	}
	ok := wait <= float64(p.Timeout)
	now := c.sim.Now()
	switch {
	case in.state == Ready && ok, in.state == Unready && !ok:
		in.streak = 0
	case in.state == Ready:
		if in.streak++; int(in.streak) >= p.FailureThreshold {
			c.flipReadiness(s, idx, Unready)
		}
	default: // Unready and ok
		if in.streak++; int(in.streak) >= p.SuccessThreshold {
			c.flipReadiness(s, idx, Ready)
		}
	}
	c.scheduleProbe(s, idx, now)
}

// flipReadiness moves a serving instance between Ready (in the balancer)
// and Unready (out of it, still working off its queue).
func (c *Cluster) flipReadiness(s *Service, idx int32, to InstanceState) {
	in := s.instances[idx]
	s.integrate(c.sim.Now())
	in.streak = 0
	in.state = to
	in.changed = c.sim.Now()
	if to == Ready {
		s.unready--
		s.ready++
		if s.routes(in.version) {
			s.addToRotation(idx)
		}
	} else {
		s.ready--
		s.unready++
		s.removeFromRotation(idx)
	}
	c.noteReplicas(s)
}

// stopServing takes a Ready or Unready instance's slots out of the
// service's capacity and the instance out of the balancer. It reports
// false for an instance in any other state.
func (s *Service) stopServing(idx int32) bool {
	switch s.instances[idx].state {
	case Ready:
		s.ready--
		s.removeFromRotation(idx)
	case Unready:
		s.unready--
	default:
		return false
	}
	s.slots -= int64(s.spec.Concurrency)
	return true
}

// drain takes an instance out of service. A pending or starting instance
// is simply stopped; a ready one leaves the balancer and finishes its work.
func (c *Cluster) drain(s *Service, idx int32) { c.drainFor(s, idx, s.spec.Grace) }

// drainFor drains an instance that is terminated grace after, if still
// busy; a negative grace leaves its end to the caller (spot.go).
func (c *Cluster) drainFor(s *Service, idx int32, grace engine.Duration) {
	now := c.sim.Now()
	in := s.instances[idx]
	s.integrate(now)
	switch in.state {
	case Pending, Starting:
		c.terminate(s, idx)
		return
	default:
		if !s.stopServing(idx) {
			return
		}
	}
	in.state = Draining
	s.draining++
	c.noteReplicas(s)
	c.connsDrain(s, idx)
	if in.busy == 0 {
		c.terminate(s, idx)
		return
	}
	if grace >= 0 {
		c.sim.After(grace, c.kLife.drainDeadline, s.id, instanceRef(idx, in.gen))
	}
}

// onDrainDeadline ends a draining instance's grace period.
func (c *Cluster) onDrainDeadline(ev engine.Event) {
	s := c.services[ev.Target]
	idx, gen := unpackRef(ev.Arg)
	if in := s.instances[idx]; in.gen == gen && in.state == Draining {
		c.terminate(s, idx)
	}
}

// terminate removes an instance, failing any request still on it.
func (c *Cluster) terminate(s *Service, idx int32) {
	now := c.sim.Now()
	in := s.instances[idx]
	if in.state == Terminated {
		return
	}
	s.integrate(now)
	in.integrate(now)
	c.failAll(s, in, idx)
	s.busy -= int64(in.busy)
	in.busy = 0
	switch in.state {
	case Draining:
		s.draining--
	case Ready, Unready:
		s.stopServing(idx)
	case Starting:
		s.starting--
	case Pending:
		s.pending--
	case Dead:
		s.removeFromRotation(idx)
	}
	in.state = Terminated
	c.connsLost(s, idx)
	if s.store != nil && s.store.memory {
		c.dropSessions(s, idx)
	}
	s.freeSlots = append(s.freeSlots, idx)
	c.unplace(s, in)
	c.noteReplicas(s)
}

// failAll fails the requests queued on and in service at an instance
// that is lost.
func (c *Cluster) failAll(s *Service, in *instance, idx int32) {
	for in.qlen > 0 {
		id := c.pool.dequeue(in)
		s.queued--
		c.fail(s, id)
		c.pool.release(id)
	}
	if in.busy > 0 {
		// Instances are rarely lost with work in service (a node failure,
		// a grace period running out), so the requests they were serving
		// are found by a scan of the pool rather than tracked per instance.
		for id := range c.pool.reqs {
			r := &c.pool.reqs[id]
			if r.serving && !r.failed && int32(r.service) == s.id && r.instance == idx {
				r.failed = true // released when its completion fires
				c.fail(s, RequestID(id))
			}
		}
	}
}

// fail counts a request lost with its instance.
func (c *Cluster) fail(s *Service, id RequestID) {
	if s.cache != nil && s.cache.co != nil {
		c.unlock(s, id, false) // its waiting misses fail with it (coalesce.go)
	}
	r := &c.pool.reqs[id]
	if r.timedOut || c.pool.flags.on && c.pool.flags.v[id]&flagShadow != 0 {
		return // the client already counted it as a timeout, or never sent it
	}
	s.win.failed++
	if c.isCall(id) {
		c.callEnded(id, false)
		return
	}
	c.stopTimeout(id)
	c.clientFailed(id, outFailed)
}

// noteReplicas updates the run's ready-replica extremes after a change.
func (c *Cluster) noteReplicas(s *Service) {
	if c.sim.Now() >= c.warmup {
		s.total.observeReady(s.ready)
	}
	if s.dep != nil {
		c.deployChanged(s)
	}
	if s.monkey != nil && len(s.monkey.open) > 0 {
		s.monkey.monkeyNoteFor(s, c.sim.Now())
	}
}

// sampler builds a sampler on the named stream, nil when spec is unset.
func (c *Cluster) sampler(spec dist.Spec, stream string) (dist.Sampler, error) {
	if spec.Kind == "" {
		return nil, nil
	}
	return dist.New(spec, c.sim.Stream(stream))
}
