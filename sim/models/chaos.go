package models

import (
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/results"
)

// ChaosMonkeySpec kills a service's ready instances at random, as Netflix's
// Chaos Monkey does: kills form a Poisson process of Rate per second
// between From and To, each taking an instance chosen uniformly among the
// ready ones. A killed instance is lost at once (its requests fail) and
// replaced like a crashed pod, by the service's desired count.
type ChaosMonkeySpec struct {
	Rate     float64     // kills per second; 0 for none
	From, To engine.Time // the span kills happen in
}

// monkey is a service's Chaos Monkey at run time.
type monkey struct {
	spec  ChaosMonkeySpec
	picks randomPicks // streams "service.NAME.chaos_monkey.kills" and ".victims"
	kills int64
	// open are the kills not yet recovered from: when each happened and
	// the ready count before it.
	open      []killAt
	recovered int64
	repairSum engine.Duration
}

type killAt struct {
	at    engine.Time
	ready int
}

// newMonkey builds a service's Chaos Monkey, nil without one.
func (c *Cluster) newMonkey(spec ServiceSpec) *monkey {
	if spec.ChaosMonkey.Rate <= 0 {
		return nil
	}
	if c.kChaos == c.kArrival { // not registered yet (kinds are numbered from the first, arrival)
		c.kChaos = c.sim.Register("chaos-monkey", c.onKill)
	}
	m := spec.ChaosMonkey
	return &monkey{spec: m, picks: randomPicks{rate: m.Rate, to: m.To,
		gaps:    c.sim.Stream("service." + spec.Name + ".chaos_monkey.kills"),
		victims: c.sim.Stream("service." + spec.Name + ".chaos_monkey.victims")}}
}

// startMonkeys schedules each monkey's first kill.
func (c *Cluster) startMonkeys() {
	for _, s := range c.services {
		if s.monkey != nil {
			c.scheduleKill(s, s.monkey.spec.From)
		}
	}
}

// scheduleKill schedules the kill after from, an exponential gap away.
func (c *Cluster) scheduleKill(s *Service, from engine.Time) {
	if at, ok := s.monkey.picks.next(from, c.horizon); ok {
		c.sim.Schedule(at, c.kChaos, s.id, 0)
	}
}

// onKill kills one ready instance, chosen uniformly, and lets the fleet
// replace it.
func (c *Cluster) onKill(ev engine.Event) {
	s := c.services[ev.Target]
	m := s.monkey
	now := c.sim.Now()
	c.scheduleKill(s, now)
	i := m.picks.victim(s)
	if i < 0 {
		return
	}
	m.kills++
	m.open = append(m.open, killAt{at: now, ready: s.ready})
	c.terminate(s, i)
	c.SetDesired(int(s.id), s.desired)
}

// monkeyNote closes the kills the service has recovered from: its ready
// count is back to what it was before them.
func (m *monkey) monkeyNoteFor(s *Service, now engine.Time) {
	kept := m.open[:0]
	for _, k := range m.open {
		if s.ready >= k.ready {
			m.recovered++
			m.repairSum += now.Sub(k.at)
			continue
		}
		kept = append(kept, k)
	}
	m.open = kept
}

// monkeySummary returns a service's Chaos Monkey figures, nil without one.
func (s *Service) monkeySummary() *results.ChaosMonkey {
	m := s.monkey
	if m == nil {
		return nil
	}
	mttr := results.Missing()
	if m.recovered > 0 {
		mttr = m.repairSum.Seconds() / float64(m.recovered)
	}
	return &results.ChaosMonkey{Kills: m.kills, Recovered: m.recovered, MTTRS: mttr}
}
