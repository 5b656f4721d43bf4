package autoscale

import "github.com/clustersim/clustersim/sim/engine"

// awsCooldowns is the cooldown state that AWS target tracking and step
// scaling share (Application Auto Scaling): while a scale-out cooldown
// runs, the capacity added by the scale-out that started it counts toward
// the next one, so a later scale-out adds only what goes beyond; a
// scale-in cooldown blocks scale-ins, and any scale-out ends it.
type awsCooldowns struct {
	outAt   engine.Time // start of the scale-out cooldown; < 0: none
	outBase int         // capacity before the scale-out that started it
	inAt    engine.Time // start of the scale-in cooldown; < 0: none
}

func newAWSCooldowns() awsCooldowns { return awsCooldowns{outAt: -1, inAt: -1} }

// scalingOut reports whether a scale-out cooldown of length d runs at now.
func (c *awsCooldowns) scalingOut(now engine.Time, d engine.Duration) bool {
	return c.outAt >= 0 && now < c.outAt.Add(d)
}

// scalingIn reports whether a scale-in cooldown of length d runs at now.
func (c *awsCooldowns) scalingIn(now engine.Time, d engine.Duration) bool {
	return c.inAt >= 0 && now < c.inAt.Add(d)
}

// outFrom returns the capacity a scale-out at now adds to: the capacity
// before the running scale-out cooldown's scale-out, or current.
func (c *awsCooldowns) outFrom(now engine.Time, d engine.Duration, current int) int {
	if c.scalingOut(now, d) {
		return c.outBase
	}
	return current
}

// record notes the change from current to desired made at now; outCooldown
// is the scale-out cooldown's length. A scale-out within a running
// scale-out cooldown does not restart it.
func (c *awsCooldowns) record(now engine.Time, outCooldown engine.Duration, current, desired int) {
	switch {
	case desired > current:
		if !c.scalingOut(now, outCooldown) {
			c.outAt, c.outBase = now, current
		}
		c.inAt = -1
	case desired < current:
		c.inAt = now
	}
}
