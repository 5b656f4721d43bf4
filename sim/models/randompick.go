package models

import (
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/engine"
)

// randomPicks is a Poisson process of picks of ready instances, each
// chosen uniformly, until a time, drawing on two named streams: the gaps
// between picks and the victims. Chaos Monkey's kills and spot
// interruptions are each one (started at their spans' beginnings).
type randomPicks struct {
	rate    float64     // picks per second
	to      engine.Time // no pick after it
	gaps    *rand.Rand
	victims *rand.Rand
}

// next returns when the pick after t happens, and false when it falls
// past the span or the horizon.
func (p *randomPicks) next(t, horizon engine.Time) (engine.Time, bool) {
	at := t.Add(engine.FromSeconds(p.gaps.ExpFloat64() / p.rate))
	return at, at <= p.to && at <= horizon
}

// victim returns a ready instance of s chosen uniformly, or -1 when none
// is ready.
func (p *randomPicks) victim(s *Service) int32 {
	if s.ready == 0 {
		return -1
	}
	k := p.victims.IntN(s.ready)
	for i, in := range s.instances {
		if in.state != Ready {
			continue
		}
		if k--; k < 0 {
			return int32(i)
		}
	}
	return -1
}
