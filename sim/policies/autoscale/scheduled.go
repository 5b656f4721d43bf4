package autoscale

import "github.com/clustersim/clustersim/sim/engine"

// ScheduledAction changes the replica bounds from At on, and optionally
// sets the desired count once (like an Application Auto Scaling or EC2
// Auto Scaling scheduled action).
type ScheduledAction struct {
	At         engine.Time // when the action takes effect, simulated time
	Min, Max   int         // replica bounds from At until the next action
	Desired    int         // desired count set once at At, if HasDesired
	HasDesired bool        // whether Desired is set
}

// Scheduled applies a time-ordered list of scheduled actions, alone or
// around an inner policy. The bounds in force at now are those of the
// last action at or before now; before the first action, none (the inner
// policy's own). When an action takes effect the inner policy's bounds
// are replaced if it implements Bounded, and if the action sets a
// desired count that is the decision for that tick (the inner policy is
// not consulted). Otherwise the inner policy decides and the result is
// clamped to the bounds; without an inner policy the current count is
// clamped.
type Scheduled struct {
	actions []ScheduledAction
	inner   Policy
	applied int // number of actions that have taken effect
}

var (
	_ Policy  = (*Scheduled)(nil)
	_ Bounded = (*Scheduled)(nil)
)

// NewScheduled validates the actions (sorted by At, 0 ≤ Min ≤ Max, a
// Desired within its bounds) and returns the policy; inner may be nil.
func NewScheduled(actions []ScheduledAction, inner Policy) (*Scheduled, error) {
	for i, a := range actions {
		if i > 0 && a.At < actions[i-1].At {
			return nil, configErr("scheduled action %d at %d ns is before action %d", i, a.At, i-1)
		}
		if a.Min < 0 || a.Min > a.Max {
			return nil, configErr("scheduled action %d bounds min %d max %d", i, a.Min, a.Max)
		}
		if a.HasDesired && (a.Desired < a.Min || a.Desired > a.Max) {
			return nil, configErr("scheduled action %d desired %d outside [%d, %d]", i, a.Desired, a.Min, a.Max)
		}
	}
	return &Scheduled{actions: append([]ScheduledAction(nil), actions...), inner: inner}, nil
}

// Name implements Policy.
func (s *Scheduled) Name() string { return "scheduled" }

// SetBounds implements Bounded by passing the bounds to the inner policy.
func (s *Scheduled) SetBounds(min, max int) {
	if b, ok := s.inner.(Bounded); ok {
		b.SetBounds(min, max)
	}
}

// Bounds returns the bounds of the action in force at now, and false if
// no action is in force yet.
func (s *Scheduled) Bounds(now engine.Time) (min, max int, ok bool) {
	i := s.active(now)
	if i < 0 {
		return 0, 0, false
	}
	return s.actions[i].Min, s.actions[i].Max, true
}

// active returns the index of the last action at or before now, or -1.
func (s *Scheduled) active(now engine.Time) int {
	i := -1
	for j := range s.actions {
		if s.actions[j].At > now {
			break
		}
		i = j
	}
	return i
}

// Decide implements Policy.
func (s *Scheduled) Decide(obs Observation) (Decision, error) {
	i := s.active(obs.Now)
	if i < 0 {
		if s.inner == nil {
			return Decision{Desired: obs.Current, Recommended: obs.Current, Reason: ReasonNoSchedule}, nil
		}
		return s.inner.Decide(obs)
	}
	a := s.actions[i]
	if i+1 > s.applied { // a new action took effect
		s.applied = i + 1
		s.SetBounds(a.Min, a.Max)
		if a.HasDesired {
			return Decision{Desired: a.Desired, Recommended: a.Desired, Reason: ReasonScheduledAction}, nil
		}
	}
	d := Decision{Desired: obs.Current, Recommended: obs.Current, Reason: ReasonDesiredWithinRange}
	if s.inner != nil {
		var err error
		if d, err = s.inner.Decide(obs); err != nil {
			return d, err
		}
	}
	d.Desired, d.Reason = clampReason(d.Desired, a.Min, a.Max, d.Reason)
	return d, nil
}
