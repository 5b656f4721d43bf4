package models

import (
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/engine"
)

// MMPPSpec is a two-state Markov-modulated Poisson process: arrivals come
// at RateOn while the process is on and at RateOff while it is off; it
// stays on for an exponential time of mean MeanOn and off for an
// exponential time of mean MeanOff, then switches (Fischer &
// Meier-Hellstern, "The Markov-modulated Poisson process (MMPP)
// cookbook", Performance Evaluation 18 (1993), §2). Its mean rate is
// (RateOn·MeanOn + RateOff·MeanOff)/(MeanOn + MeanOff).
type MMPPSpec struct {
	RateOn, RateOff float64         // requests per second in each state, >= 0
	MeanOn, MeanOff engine.Duration // mean sojourn in each state, > 0
}

// MeanRate returns the process's long-run mean rate, requests per second.
func (m MMPPSpec) MeanRate() float64 {
	on, off := m.MeanOn.Seconds(), m.MeanOff.Seconds()
	return (m.RateOn*on + m.RateOff*off) / (on + off)
}

// mmpp is one workload's modulating chain: its state and when it next
// switches. Its sojourns draw on their own stream
// ("workload.NAME.mmpp"), its gaps on the workload's arrivals stream, so
// the bursts do not move when a rate changes.
type mmpp struct {
	spec  MMPPSpec
	phase *rand.Rand
	on    bool
	until engine.Time // when the current state ends
}

// newMMPP starts the chain in its stationary distribution (on with
// probability MeanOn/(MeanOn+MeanOff)), so counts are stationary from
// time 0.
func newMMPP(spec MMPPSpec, phase *rand.Rand) *mmpp {
	m := &mmpp{spec: spec, phase: phase}
	m.restart(0)
	return m
}

// restart draws the state from the stationary distribution at t.
func (m *mmpp) restart(t engine.Time) {
	pOn := m.spec.MeanOn.Seconds() / (m.spec.MeanOn.Seconds() + m.spec.MeanOff.Seconds())
	m.on = m.phase.Float64() < pOn
	m.until = t.Add(m.sojourn())
}

// sojourn draws how long the current state lasts.
func (m *mmpp) sojourn() engine.Duration {
	mean := m.spec.MeanOff
	if m.on {
		mean = m.spec.MeanOn
	}
	return engine.FromSeconds(m.phase.ExpFloat64() * mean.Seconds())
}

// next returns the first arrival after t. Within a state gaps are
// exponential at the state's rate; a gap crossing the switch restarts at
// the switch at the new state's rate, which the exponential's
// memorylessness makes exact. It returns -1 at the end of time.
func (m *mmpp) next(t engine.Time, gaps *rand.Rand) engine.Time {
	for {
		if t >= engine.End || (m.spec.RateOn <= 0 && m.spec.RateOff <= 0) {
			return -1
		}
		if forget := engine.Duration(1000 * (m.spec.MeanOn + m.spec.MeanOff)); m.until < t && t.Sub(m.until) > forget {
			// Thousands of mean cycles behind: the chain has forgotten
			// its state (correlation e^{−(1/mean_on+1/mean_off)·gap}
			// < e^{−4000}), so draw it afresh instead of walking there.
			m.restart(t)
		}
		for m.until <= t {
			m.on = !m.on
			m.until = m.until.Add(m.sojourn())
		}
		r := m.spec.RateOff
		if m.on {
			r = m.spec.RateOn
		}
		if r > 0 {
			if a := t.Add(engine.FromSeconds(gaps.ExpFloat64() / r)); a < m.until {
				return a
			}
		}
		t = m.until
	}
}
