package models

import (
	"errors"
	"fmt"
	"io"

	"github.com/clustersim/clustersim/sim/engine"
)

// ErrStoppedInWarmup is returned by Run when StopEarly stopped it before
// the end of the warm-up, when no summary figure exists yet.
var ErrStoppedInWarmup = errors.New("models: run stopped before the end of warm-up")

// StopEarly stops a running simulation at the next event boundary and
// keeps what it has: Run closes the metrics window in progress there and
// returns the summary of the time simulated, marked Incomplete with
// reason (such as "--max-events 1000000 reached"). Call it from the
// progress callback; the first reason given is kept.
func (c *Cluster) StopEarly(reason string) {
	if c.stopReason == "" {
		c.stopReason = reason
	}
	c.sim.Stop()
}

// truncate ends the run where StopEarly stopped it: the horizon moves to
// now and the window in progress is closed.
func (c *Cluster) truncate() error {
	now := c.sim.Now()
	if now >= c.horizon {
		c.stopReason = "" // the run had reached its end anyway
		return nil
	}
	if now <= c.warmup {
		return fmt.Errorf("%w (%s): stopped at %s, warm-up ends at %s", ErrStoppedInWarmup, c.stopReason, now, c.warmup)
	}
	c.horizon = now
	if c.closedAt < now {
		c.onWindow(engine.Event{At: now})
	}
	return nil
}

// closePolicies closes every autoscaling policy that holds outside
// resources (an external process), so that one failing at the end of the
// run, such as a policy process exiting with an error, fails the run
// before its outputs are written. Policies are closed in service order;
// the first error is returned.
func (c *Cluster) closePolicies() error {
	var first error
	for _, s := range c.services {
		if s.spec.Autoscaler == nil {
			continue
		}
		if cl, ok := s.spec.Autoscaler.Policy.(io.Closer); ok {
			if err := cl.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}
