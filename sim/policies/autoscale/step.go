package autoscale

import "math"

// defaultStepCooldown is Application Auto Scaling's default step-scaling
// Cooldown for an ECS service (StepScalingPolicyConfiguration: 300 s).
const defaultStepCooldown = 300 * Second

// AdjustmentType is how a step's Adjustment changes capacity.
type AdjustmentType string

// Adjustment types (Application Auto Scaling AdjustmentType). The zero
// value "" means ChangeInCapacity.
const (
	ChangeInCapacity        AdjustmentType = "ChangeInCapacity"        // add Adjustment instances
	PercentChangeInCapacity AdjustmentType = "PercentChangeInCapacity" // add Adjustment percent of capacity
	ExactCapacity           AdjustmentType = "ExactCapacity"           // set capacity to Adjustment
)

// Comparison is a CloudWatch alarm's ComparisonOperator.
type Comparison string

// Comparison operators. The zero value "" means GreaterThanOrEqual for a
// scale-out alarm and LessThanOrEqual for a scale-in alarm.
const (
	GreaterThanOrEqual Comparison = "GreaterThanOrEqualToThreshold" // breach when metric ≥ threshold
	GreaterThan        Comparison = "GreaterThanThreshold"          // breach when metric > threshold
	LessThan           Comparison = "LessThanThreshold"             // breach when metric < threshold
	LessThanOrEqual    Comparison = "LessThanOrEqualToThreshold"    // breach when metric ≤ threshold
)

// StepAdjustment is one step: when the metric minus the alarm threshold
// lies between Lower and Upper, change capacity by Adjustment. Use
// math.Inf(-1) / math.Inf(1) for an open end (an unset
// MetricIntervalLowerBound / MetricIntervalUpperBound). For an alarm on
// the metric being above the threshold the interval is [Lower, Upper);
// for one on it being below, (Lower, Upper] (StepAdjustment API
// reference).
type StepAdjustment struct {
	Lower, Upper float64 // bounds relative to the threshold, metric unit
	Adjustment   int     // instances, percent, or exact capacity per AdjustmentType
}

// StepPolicy is an alarm with its step scaling policy.
type StepPolicy struct {
	// Threshold is the alarm threshold, in the metric's unit.
	Threshold float64
	// Comparison says when the alarm is in breach.
	Comparison Comparison
	// Steps are the step adjustments; their intervals must not overlap.
	Steps []StepAdjustment
	// AdjustmentType says how Adjustment applies; "" is ChangeInCapacity.
	AdjustmentType AdjustmentType
	// MinAdjustmentMagnitude is the least number of instances a
	// PercentChangeInCapacity step changes by.
	MinAdjustmentMagnitude int
	// Cooldown is the policy's cooldown, ns; AWS default for ECS 300 s.
	Cooldown int64
}

// StepScalingConfig configures a StepScaling policy.
type StepScalingConfig struct {
	// Metric is what the alarms watch: cpu, rps or in_flight averaged
	// over ready instances with samples, or queue: the External total.
	Metric MetricKind
	// Min and Max bound the capacity.
	Min, Max int
	// ScaleOut and ScaleIn are the two alarms with their policies; either
	// may be nil. When both are in breach the scale-out one wins (the
	// policy giving the larger capacity).
	ScaleOut, ScaleIn *StepPolicy
}

// StepScaling is AWS Application Auto Scaling step scaling: when an
// alarm is in breach, the step whose interval holds the metric's distance
// from the threshold changes capacity. Cooldowns follow the
// StepScalingPolicyConfiguration documentation: during a scale-out
// cooldown the capacity added by the scale-out that started it counts as
// part of the next one (an alarm asking for +3 after a +2 adds 1); during
// a scale-in cooldown scale-ins are blocked, and a scale-out ends it.
type StepScaling struct {
	cfg      StepScalingConfig
	min, max int
	cool     awsCooldowns
}

var (
	_ Policy  = (*StepScaling)(nil)
	_ Bounded = (*StepScaling)(nil)
)

// DefaultStepPolicy returns an alarm with the ECS default cooldown (300 s)
// and ChangeInCapacity steps.
func DefaultStepPolicy(threshold float64, c Comparison, steps ...StepAdjustment) StepPolicy {
	return StepPolicy{Threshold: threshold, Comparison: c, Steps: steps,
		AdjustmentType: ChangeInCapacity, Cooldown: defaultStepCooldown}
}

// NewStepScaling validates cfg and returns a policy with no cooldown in
// effect.
func NewStepScaling(cfg StepScalingConfig) (*StepScaling, error) {
	if !cfg.Metric.valid() {
		return nil, configErr("step scaling metric %q is not cpu, rps, in_flight or queue", cfg.Metric)
	}
	if cfg.Min < 0 || cfg.Min > cfg.Max {
		return nil, configErr("step scaling bounds min %d max %d", cfg.Min, cfg.Max)
	}
	for _, sp := range []*StepPolicy{cfg.ScaleOut, cfg.ScaleIn} {
		if sp == nil {
			continue
		}
		switch sp.Comparison {
		case "", GreaterThanOrEqual, GreaterThan, LessThan, LessThanOrEqual:
		default:
			return nil, configErr("step scaling comparison %q", sp.Comparison)
		}
		switch sp.AdjustmentType {
		case "", ChangeInCapacity, PercentChangeInCapacity, ExactCapacity:
		default:
			return nil, configErr("step scaling adjustment type %q", sp.AdjustmentType)
		}
		if sp.Cooldown < 0 || sp.MinAdjustmentMagnitude < 0 || len(sp.Steps) == 0 {
			return nil, configErr("step scaling policy needs steps and a non-negative cooldown")
		}
		for _, st := range sp.Steps {
			if !(st.Lower < st.Upper) {
				return nil, configErr("step interval [%v, %v) is empty", st.Lower, st.Upper)
			}
		}
	}
	return &StepScaling{cfg: cfg, min: cfg.Min, max: cfg.Max, cool: newAWSCooldowns()}, nil
}

// Name implements Policy.
func (s *StepScaling) Name() string { return "step_scaling" }

// SetBounds implements Bounded.
func (s *StepScaling) SetBounds(min, max int) { s.min, s.max = min, max }

// breach reports whether the alarm is in breach for metric m, and
// whether its comparison is an "above the threshold" one.
func (sp *StepPolicy) breach(m float64, out bool) (breached, above bool) {
	c := sp.Comparison
	if c == "" {
		c = LessThanOrEqual
		if out {
			c = GreaterThanOrEqual
		}
	}
	switch c {
	case GreaterThanOrEqual:
		return m >= sp.Threshold, true
	case GreaterThan:
		return m > sp.Threshold, true
	case LessThan:
		return m < sp.Threshold, false
	default:
		return m <= sp.Threshold, false
	}
}

// step returns the adjustment of the step holding m, if any.
func (sp *StepPolicy) step(m float64, above bool) (int, bool) {
	d := m - sp.Threshold
	for _, st := range sp.Steps {
		if above && st.Lower <= d && d < st.Upper || !above && st.Lower < d && d <= st.Upper {
			return st.Adjustment, true
		}
	}
	return 0, false
}

// capacity applies an adjustment to base. A percentage change is rounded
// as Application Auto Scaling documents: above 1 down, in (0, 1) to 1, in
// (-1, 0) to -1, below -1 up; then raised to MinAdjustmentMagnitude.
func (sp *StepPolicy) capacity(base, adj int) int {
	switch sp.AdjustmentType {
	case ExactCapacity:
		return adj
	case PercentChangeInCapacity:
		x := float64(base) * float64(adj) / 100
		var delta int
		switch {
		case x >= 1:
			delta = int(math.Floor(x))
		case x > 0:
			delta = 1
		case x <= -1:
			delta = int(math.Ceil(x))
		case x < 0:
			delta = -1
		}
		if delta > 0 && delta < sp.MinAdjustmentMagnitude {
			delta = sp.MinAdjustmentMagnitude
		} else if delta < 0 && -delta < sp.MinAdjustmentMagnitude {
			delta = -sp.MinAdjustmentMagnitude
		}
		return base + delta
	}
	return base + adj
}

// metric aggregates the observation as the alarms see it.
func (s *StepScaling) metric(obs Observation) (float64, bool) {
	if s.cfg.Metric == MetricQueue {
		return obs.External, obs.HasExternal
	}
	avg, n := countedAverage(obs, 0)
	return avg, n > 0
}

// Decide implements Policy.
func (s *StepScaling) Decide(obs Observation) (Decision, error) {
	now, current := obs.Now, obs.Current
	m, ok := s.metric(obs)
	d := Decision{Desired: current, Metric: m, Reason: ReasonNoAlarm}
	if !ok {
		d.Metric, d.Reason = 0, ReasonNoMetrics
	}
	outCooldown := s.cfg.ScaleOut.cooldown()
	inOutCooldown := s.cool.scalingOut(now, outCooldown)
	if sp := s.cfg.ScaleOut; ok && sp != nil {
		if b, above := sp.breach(m, true); b {
			d.Reason = ReasonNoStep
			if adj, found := sp.step(m, above); found {
				if want := sp.capacity(s.cool.outFrom(now, outCooldown, current), adj); want > current {
					d.Desired, d.Reason = want, ReasonScaleOut
				} else if inOutCooldown {
					d.Reason = ReasonScaleOutCooldown
				} else {
					d.Reason = ReasonNearTarget
				}
			}
		}
	}
	if sp := s.cfg.ScaleIn; ok && sp != nil && d.Desired == current && (d.Reason == ReasonNoAlarm) {
		if b, above := sp.breach(m, false); b {
			d.Reason = ReasonNoStep
			if adj, found := sp.step(m, above); found {
				want := sp.capacity(current, adj)
				switch {
				case want >= current:
					d.Reason = ReasonNearTarget
				case s.cool.scalingIn(now, sp.Cooldown):
					d.Reason = ReasonScaleInCooldown
				default:
					d.Desired, d.Reason = want, ReasonScaleIn
				}
			}
		}
	}
	d.Recommended = d.Desired
	d.Desired, d.Reason = clampReason(d.Desired, s.min, s.max, d.Reason)
	s.cool.record(now, outCooldown, current, d.Desired)
	return d, nil
}

func (sp *StepPolicy) cooldown() int64 {
	if sp == nil {
		return 0
	}
	return sp.Cooldown
}
