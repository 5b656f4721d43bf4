package autoscale

import "math"

// AWS Application Auto Scaling defaults for an ECS service (API reference,
// TargetTrackingScalingPolicyConfiguration: "Application Auto Scaling
// provides a default value of 300 for ... ECS services").
const (
	defaultScaleOutCooldown = 300 * Second
	defaultScaleInCooldown  = 300 * Second
	defaultScaleInMargin    = 0.1 // clustersim's: AWS documents only that scale-in is "more gradual"
)

// TargetTrackingConfig configures a TargetTracking policy.
type TargetTrackingConfig struct {
	// Metric is the tracked metric: cpu, rps or in_flight averaged over
	// counted instances, or queue: External divided by the counted
	// instances (backlog per instance).
	Metric MetricKind
	// Target is the metric's target value in its unit (0.5 = 50% CPU).
	Target float64
	// Min and Max bound the capacity (MinCapacity, MaxCapacity).
	Min, Max int
	// ScaleOutCooldown is how long after a scale-out a further scale-out
	// counts the capacity it added as already present, ns; AWS default
	// for ECS 300 s.
	ScaleOutCooldown int64
	// ScaleInCooldown is how long after a scale-in further scale-ins are
	// blocked, ns; AWS default for ECS 300 s. A scale-out ends it.
	ScaleInCooldown int64
	// Warmup is how long after becoming ready an instance is left out of
	// the metric aggregate, ns (EC2 Auto Scaling instance warm-up); 0
	// counts every ready instance, as ECS does.
	Warmup int64
	// ScaleInMargin is how far below target the metric must be before
	// scaling in: metric < Target×(1-ScaleInMargin); default 0.1.
	ScaleInMargin float64
	// DisableScaleIn turns scale-in off (DisableScaleIn).
	DisableScaleIn bool
}

// DefaultTargetTrackingConfig returns cpu at 50% with the ECS cooldowns
// (300 s each), no warm-up, a 10% scale-in margin and capacity 1..10.
func DefaultTargetTrackingConfig() TargetTrackingConfig {
	return TargetTrackingConfig{
		Metric:           MetricCPU,
		Target:           0.5,
		Min:              1,
		Max:              10,
		ScaleOutCooldown: defaultScaleOutCooldown,
		ScaleInCooldown:  defaultScaleInCooldown,
		ScaleInMargin:    defaultScaleInMargin,
	}
}

// TargetTracking is an AWS Application Auto Scaling target tracking
// policy: it keeps the metric near the target, scaling out
// proportionally — desired = ceil(capacity × metric/target) — as soon as
// the metric is above target, and scaling in the same way, only when the
// metric is below the margin and outside the scale-in cooldown.
//
// While a scale-out cooldown is in effect the capacity is taken as it was
// before the scale-out that started the cooldown, so the capacity that
// scale-out added counts toward the next one, which happens only if it is
// larger ("The scaling policy won't increase the desired capacity again
// unless either a larger scale out is triggered or the cooldown period
// ends"). A larger scale-out within the cooldown does not restart it.
type TargetTracking struct {
	cfg      TargetTrackingConfig
	min, max int
	cool     awsCooldowns
}

var (
	_ Policy  = (*TargetTracking)(nil)
	_ Bounded = (*TargetTracking)(nil)
)

// NewTargetTracking validates cfg and returns a policy with no cooldown
// in effect.
func NewTargetTracking(cfg TargetTrackingConfig) (*TargetTracking, error) {
	if !cfg.Metric.valid() {
		return nil, configErr("target tracking metric %q is not cpu, rps, in_flight or queue", cfg.Metric)
	}
	if !(cfg.Target > 0) || math.IsInf(cfg.Target, 0) {
		return nil, configErr("target tracking target %v must be positive", cfg.Target)
	}
	if cfg.Min < 0 || cfg.Min > cfg.Max {
		return nil, configErr("target tracking bounds min %d max %d", cfg.Min, cfg.Max)
	}
	if cfg.ScaleOutCooldown < 0 || cfg.ScaleInCooldown < 0 || cfg.Warmup < 0 ||
		cfg.ScaleInMargin < 0 || cfg.ScaleInMargin >= 1 {
		return nil, configErr("target tracking cooldowns, warm-up and margin must not be negative (margin < 1)")
	}
	return &TargetTracking{cfg: cfg, min: cfg.Min, max: cfg.Max, cool: newAWSCooldowns()}, nil
}

// Name implements Policy.
func (p *TargetTracking) Name() string { return "target_tracking" }

// SetBounds implements Bounded.
func (p *TargetTracking) SetBounds(min, max int) { p.min, p.max = min, max }

// Decide implements Policy.
func (p *TargetTracking) Decide(obs Observation) (Decision, error) {
	now, current := obs.Now, obs.Current
	avg, n := countedAverage(obs, p.cfg.Warmup)
	if p.cfg.Metric == MetricQueue {
		avg = 0
		if obs.HasExternal && n > 0 {
			avg = obs.External / float64(n)
		}
	}
	if n == 0 || (p.cfg.Metric == MetricQueue && !obs.HasExternal) {
		d, r := clampReason(current, p.min, p.max, ReasonNoMetrics)
		return p.apply(now, current, Decision{Desired: d, Recommended: current, Reason: r}), nil
	}
	ratio := avg / p.cfg.Target
	d := Decision{Desired: current, Metric: avg, Ratio: ratio, Reason: ReasonNearTarget}
	switch {
	case ratio > 1:
		want := ceilEps(float64(p.cool.outFrom(now, p.cfg.ScaleOutCooldown, current)) * ratio)
		if want > current {
			d.Desired, d.Reason = want, ReasonScaleOut
		} else if p.cool.scalingOut(now, p.cfg.ScaleOutCooldown) {
			d.Reason = ReasonScaleOutCooldown
		}
	case ratio < 1-p.cfg.ScaleInMargin:
		switch {
		case p.cfg.DisableScaleIn:
			d.Reason = ReasonScaleInDisabled
		case p.cool.scalingIn(now, p.cfg.ScaleInCooldown):
			d.Reason = ReasonScaleInCooldown
		default:
			if want := max(ceilEps(float64(current)*ratio), p.min); want < current {
				d.Desired, d.Reason = want, ReasonScaleIn
			}
		}
	}
	d.Recommended = d.Desired
	d.Desired, d.Reason = clampReason(d.Desired, p.min, p.max, d.Reason)
	return p.apply(now, current, d), nil
}

// apply updates the cooldowns for the change d makes.
func (p *TargetTracking) apply(now int64, current int, d Decision) Decision {
	p.cool.record(now, p.cfg.ScaleOutCooldown, current, d.Desired)
	return d
}
