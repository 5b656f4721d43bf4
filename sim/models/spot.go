package models

import (
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/results"
)

// SpotWarning is the notice EC2 gives before it interrupts a spot
// instance: "a warning that is issued two minutes before Amazon EC2 stops
// or terminates your Spot Instance" (EC2 User Guide, Spot Instance
// interruption notices).
const SpotWarning = 2 * engine.Minute

// SpotSpec interrupts a spot fleet's instances: interruptions form a
// Poisson process of Rate per second between From and To, each taking a
// ready instance chosen uniformly. The instance is told Warning ahead: it
// leaves the balancer at once and finishes its work (it drains), and is
// terminated Warning later with whatever it still holds failing. The
// fleet starts its replacement at the notice.
type SpotSpec struct {
	Rate     float64         // interruptions per second over the fleet; 0 for none
	Warning  engine.Duration // notice before the instance dies; SpotWarning by default
	From, To engine.Time     // the span interruptions happen in
}

// spot is a service's spot interruptions at run time.
type spot struct {
	spec    SpotSpec
	picks   randomPicks // streams "service.NAME.spot.interruptions" and ".victims"
	notices int64       // interruptions noticed
	lost    int64       // requests still on an instance when it died
}

// newSpot builds a service's spot interruptions, nil without any.
func (c *Cluster) newSpot(spec ServiceSpec) *spot {
	if spec.Spot.Rate <= 0 || spec.Function != nil {
		return nil
	}
	if !c.spotRegistered {
		c.spotRegistered = true
		c.kSpot.notice = c.sim.Register("spot-notice", c.onSpotNotice)
		c.kSpot.reclaim = c.sim.Register("spot-reclaim", c.onSpotReclaim)
	}
	sp := spec.Spot
	if sp.Warning <= 0 {
		sp.Warning = SpotWarning
	}
	return &spot{spec: sp, picks: randomPicks{rate: sp.Rate, to: sp.To,
		gaps:    c.sim.Stream("service." + spec.Name + ".spot.interruptions"),
		victims: c.sim.Stream("service." + spec.Name + ".spot.victims")}}
}

// spotKinds are the engine kinds of spot events.
type spotKinds struct{ notice, reclaim engine.Kind }

// startSpots schedules each spot fleet's first interruption.
func (c *Cluster) startSpots() {
	for _, s := range c.services {
		if s.spot != nil {
			c.scheduleNotice(s, s.spot.spec.From)
		}
	}
}

// scheduleNotice schedules the next interruption after from, an
// exponential gap away.
func (c *Cluster) scheduleNotice(s *Service, from engine.Time) {
	if at, ok := s.spot.picks.next(from, c.horizon); ok {
		c.sim.Schedule(at, c.kSpot.notice, s.id, 0)
	}
}

// onSpotNotice gives one ready instance, chosen uniformly, its
// interruption notice: it drains, the fleet replaces it, and it dies
// Warning later.
func (c *Cluster) onSpotNotice(ev engine.Event) {
	s := c.services[ev.Target]
	sp := s.spot
	c.scheduleNotice(s, c.sim.Now())
	idx := sp.picks.victim(s)
	if idx < 0 {
		return
	}
	sp.notices++
	c.sim.After(sp.spec.Warning, c.kSpot.reclaim, s.id, instanceRef(idx, s.instances[idx].gen))
	c.drainFor(s, idx, -1)
	c.SetDesired(int(s.id), s.desired)
}

// onSpotReclaim ends an interrupted instance that is still draining.
func (c *Cluster) onSpotReclaim(ev engine.Event) {
	s := c.services[ev.Target]
	idx, gen := unpackRef(ev.Arg)
	if in := s.instances[idx]; in.gen == gen && in.state == Draining {
		s.spot.lost += int64(in.busy) + int64(in.qlen)
		c.terminate(s, idx)
	}
}

// spotSummary returns a service's spot figures, nil without interruptions.
func (s *Service) spotSummary() *results.Spot {
	if s.spot == nil {
		return nil
	}
	return &results.Spot{Interruptions: s.spot.notices, RequestsLost: s.spot.lost}
}
