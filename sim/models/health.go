package models

import (
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/health"
)

// Health: the balancer's own view of which instances are fit to receive
// requests, as Envoy keeps it (package policies/health holds the state
// machines). Active health checks run on each instance every interval
// after the previous result; a crashed instance refuses at once, a hung
// one fails after the timeout; unhealthy_threshold failures take it out of
// the balancer's rotation, healthy_threshold successes bring it back.
// Outlier detection ejects an instance on its consecutive_5xx-th
// consecutive 5xx at once and returns it on an interval tick. A crashed
// instance stays in rotation until one of them notices; the requests
// sent to it meanwhile fail and are counted (lost_to_dead).

// serviceHealth is a service's fault and health state, nil for a service
// without faults, health checks or outlier detection.
type serviceHealth struct {
	per        []instFault // by instance index
	check      *health.Checker
	outlier    *health.Outlier
	ejected    int        // instances ejected now
	lostToDead int64      // requests sent to a dead instance after warm-up
	region     regionLoss // traffic still sent to a failed region (region.go)
}

// instHealth is one instance's health as the balancer sees it.
type instHealth struct {
	check     health.CheckState
	out       health.HostOutlier
	checking  bool // its check loop runs
	unhealthy bool // out of rotation by active checks
}

// detects reports whether the balancer learns of a crash only through
// health checks or outlier detection.
func (hx *serviceHealth) detects() bool {
	return hx != nil && (hx.check != nil || hx.outlier != nil)
}

// at returns instance idx's entry, reset if the slot was reused.
func (hx *serviceHealth) at(s *Service, idx int32) *instFault {
	for int(idx) >= len(hx.per) {
		hx.per = append(hx.per, instFault{})
	}
	st := &hx.per[idx]
	if g := s.instances[idx].gen; st.gen != g {
		*st = instFault{gen: g}
	}
	return st
}

// healthState returns s's health state, creating it.
func (c *Cluster) healthState(s *Service) *serviceHealth {
	if s.hx == nil {
		s.hx = &serviceHealth{}
	}
	return s.hx
}

// healthKinds are the engine kinds of health events.
type healthKinds struct{ check, result, sweep engine.Kind }

func (c *Cluster) registerHealth() {
	c.kHealth.check = c.sim.Register("health-check", c.onHealthCheck)
	c.kHealth.result = c.sim.Register("health-check-timeout", c.onHealthTimeout)
	c.kHealth.sweep = c.sim.Register("outlier-sweep", c.onOutlierSweep)
}

// newHealth sets up a service's health checking and outlier detection.
func (c *Cluster) newHealth(s *Service) {
	if s.spec.HealthCheck == nil && s.spec.Outlier == nil {
		return
	}
	hx := c.healthState(s)
	hx.check, hx.outlier = s.spec.HealthCheck, s.spec.Outlier
	s.faulty = true // every response is observed
	for _, idx := range s.rotation {
		c.startHealthCheck(s, idx)
	}
	if o := hx.outlier; o != nil && engine.Time(o.Interval) <= c.horizon {
		c.sim.Schedule(engine.Time(o.Interval), c.kHealth.sweep, s.id, 0)
	}
}

// startHealthCheck starts the check loop of an instance that joined the
// rotation: its first check an interval later.
func (c *Cluster) startHealthCheck(s *Service, idx int32) {
	hx := s.hx
	if hx == nil || hx.check == nil {
		return
	}
	st := hx.at(s, idx)
	if st.health.checking {
		return
	}
	st.health.checking = true
	c.sim.After(hx.check.Interval, c.kHealth.check, s.id, instanceRef(idx, s.instances[idx].gen))
}

// onHealthCheck sends one active check.
func (c *Cluster) onHealthCheck(ev engine.Event) {
	s := c.services[ev.Target]
	idx, gen := unpackRef(ev.Arg)
	in := s.instances[idx]
	if in.gen != gen || in.state == Terminated || in.state == Draining {
		return
	}
	now := c.sim.Now()
	st := s.hx.at(s, idx)
	if st.hangUntil > now { // no answer: fails at the timeout
		c.sim.Schedule(s.hx.check.ResultAt(now, false), c.kHealth.result, s.id, ev.Arg)
		return
	}
	c.checkResult(s, idx, in.state != Dead, now)
}

// onHealthTimeout is a check that got no answer.
func (c *Cluster) onHealthTimeout(ev engine.Event) {
	s := c.services[ev.Target]
	idx, gen := unpackRef(ev.Arg)
	in := s.instances[idx]
	if in.gen != gen || in.state == Terminated || in.state == Draining {
		return
	}
	c.checkResult(s, idx, false, c.sim.Now())
}

// checkResult folds a check's result and schedules the next check.
func (c *Cluster) checkResult(s *Service, idx int32, ok bool, now engine.Time) {
	hx := s.hx
	st := hx.at(s, idx)
	var flipped bool
	st.health.check, flipped = hx.check.Observe(st.health.check, ok)
	if flipped {
		st.health.unhealthy = st.health.check.Unhealthy
		c.rotationChanged(s, idx)
		if s.instances[idx].state == Terminated {
			return
		}
	}
	c.sim.Schedule(hx.check.Next(now), c.kHealth.check, s.id, instanceRef(idx, s.instances[idx].gen))
}

// rotationChanged puts an instance in or out of the balancer's rotation
// after its health changed: in when it is ready, healthy and not ejected.
// A dead instance leaving the rotation is gone for good.
func (c *Cluster) rotationChanged(s *Service, idx int32) {
	in := s.instances[idx]
	st := s.hx.at(s, idx)
	fit := in.state == Ready && !st.health.unhealthy && !st.health.out.Ejected
	switch {
	case fit && in.pos < 0:
		s.integrate(c.sim.Now())
		s.addToRotation(idx)
	case !fit && in.pos >= 0:
		s.integrate(c.sim.Now())
		s.removeFromRotation(idx)
	}
	if in.state == Dead && in.pos < 0 {
		if st.health.out.Ejected {
			s.hx.ejected--
		}
		c.terminate(s, idx)
	}
}

// observe5xx feeds one response of instance idx to outlier detection.
func (c *Cluster) observe5xx(s *Service, idx int32, is5xx bool) {
	hx := s.hx
	if hx.outlier == nil {
		return
	}
	st := hx.at(s, idx)
	total := len(s.rotation) + hx.ejected
	var eject bool
	st.health.out, eject = hx.outlier.Observe(st.health.out, is5xx, c.sim.Now(), hx.ejected, total)
	if eject {
		hx.ejected++
		c.rotationChanged(s, idx)
	}
}

// onOutlierSweep is outlier detection's interval tick: ejected instances
// whose ejection time is over return.
func (c *Cluster) onOutlierSweep(ev engine.Event) {
	s := c.services[ev.Target]
	hx := s.hx
	now := c.sim.Now()
	for idx := range hx.per {
		if int(idx) >= len(s.instances) || s.instances[idx].state == Terminated {
			continue
		}
		st := hx.at(s, int32(idx))
		var back bool
		if st.health.out, back = hx.outlier.Sweep(st.health.out, now); back {
			hx.ejected--
			c.rotationChanged(s, int32(idx))
		}
	}
	if next := now.Add(hx.outlier.Interval); next <= c.horizon {
		c.sim.Schedule(next, c.kHealth.sweep, s.id, 0)
	}
}

// lostToDead returns the requests sent to dead instances after warm-up.
func (s *Service) lostToDead() int64 {
	if s.hx == nil {
		return 0
	}
	return s.hx.lostToDead
}
