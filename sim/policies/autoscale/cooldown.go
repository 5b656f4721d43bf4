package autoscale

// awsCooldowns is the cooldown state that AWS target tracking and step
// scaling share (Application Auto Scaling): while a scale-out cooldown
// runs, the capacity added by the scale-out that started it counts toward
// the next one, so a later scale-out adds only what goes beyond; a
// scale-in cooldown blocks scale-ins, and any scale-out ends it.
type awsCooldowns struct {
	outAt   int64 // start of the scale-out cooldown, ns; < 0: none
	outBase int   // capacity before the scale-out that started it
	inAt    int64 // start of the scale-in cooldown, ns; < 0: none
}

func newAWSCooldowns() awsCooldowns { return awsCooldowns{outAt: -1, inAt: -1} }

// scalingOut reports whether a scale-out cooldown of length d runs at now.
func (c *awsCooldowns) scalingOut(now, d int64) bool { return c.outAt >= 0 && now < c.outAt+d }

// scalingIn reports whether a scale-in cooldown of length d runs at now.
func (c *awsCooldowns) scalingIn(now, d int64) bool { return c.inAt >= 0 && now < c.inAt+d }

// outFrom returns the capacity a scale-out at now adds to: the capacity
// before the running scale-out cooldown's scale-out, or current.
func (c *awsCooldowns) outFrom(now, d int64, current int) int {
	if c.scalingOut(now, d) {
		return c.outBase
	}
	return current
}

// record notes the change from current to desired made at now; outCooldown
// is the scale-out cooldown's length. A scale-out within a running
// scale-out cooldown does not restart it.
func (c *awsCooldowns) record(now, outCooldown int64, current, desired int) {
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
