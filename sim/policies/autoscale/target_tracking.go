package autoscale

import (
	"math"

	"github.com/clustersim/clustersim/sim/engine"
)

// AWS Application Auto Scaling defaults for an ECS service (API reference,
// TargetTrackingScalingPolicyConfiguration: "Application Auto Scaling
// provides a default value of 300 for ... ECS services").
//
// The alarms target tracking creates: a high alarm, metric > target for 3
// of 3 one-minute datapoints, and a low alarm, metric < 0.9 × target for
// 15 of 15. AWS's guides do not state these numbers; they are the alarms
// the CloudWatch console shows for a target tracking policy, as AWS
// workshop and course material reports them (an ECS
// ALBRequestCountPerTarget policy with target 1500: "> 1500 for 3 data
// points within 3 minutes", "< 1350 for 15 data points within 15
// minutes"). The guide says scale-in waits for utilisation "far enough
// below the target value (usually more than 10% lower)",
// https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html
// (section "Supporting application availability during high utilization
// periods"); course material shows a lower threshold for EC2 Auto Scaling
// CPU (28% for a 40% target), so the margin is configurable.
const (
	defaultScaleOutCooldown   = 300 * Second
	defaultScaleInCooldown    = 300 * Second
	defaultScaleInMargin      = 0.1 // low alarm threshold = target × (1 - margin)
	defaultScaleOutDatapoints = 3   // high alarm: 3 of 3 datapoints
	defaultScaleInDatapoints  = 15  // low alarm: 15 of 15 datapoints
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
	// counts the capacity it added as already present; AWS default
	// for ECS 300 s.
	ScaleOutCooldown engine.Duration
	// ScaleInCooldown is how long after a scale-in further scale-ins are
	// blocked; AWS default for ECS 300 s. A scale-out ends it.
	ScaleInCooldown engine.Duration
	// Warmup is how long after becoming ready an instance is left out of
	// the metric aggregate (EC2 Auto Scaling instance warm-up); 0
	// counts every ready instance, as ECS does.
	Warmup engine.Duration
	// ScaleInMargin is how far below target the metric must be before
	// scaling in: the low alarm's threshold is Target×(1-ScaleInMargin);
	// default 0.1.
	ScaleInMargin float64
	// DisableScaleIn turns scale-in off (DisableScaleIn).
	DisableScaleIn bool
	// AlarmPeriod is the alarms' datapoint period; default 60 s (AWS
	// allows 10 s to 60 s with high-resolution metrics).
	AlarmPeriod engine.Duration
	// ScaleOutDatapoints is how many consecutive datapoints must be above
	// Target for the high alarm to go to ALARM; default 3.
	ScaleOutDatapoints int
	// ScaleInDatapoints is how many consecutive datapoints must be below
	// the scale-in threshold for the low alarm to go to ALARM; default 15.
	ScaleInDatapoints int
}

// DefaultTargetTrackingConfig returns cpu at 50% with the ECS cooldowns
// (300 s each), no warm-up, a 10% scale-in margin, AWS's alarms (60 s
// datapoints, 3 to scale out, 15 to scale in) and capacity 1..10.
func DefaultTargetTrackingConfig() TargetTrackingConfig {
	return TargetTrackingConfig{
		Metric:             MetricCPU,
		Target:             0.5,
		Min:                1,
		Max:                10,
		ScaleOutCooldown:   defaultScaleOutCooldown,
		ScaleInCooldown:    defaultScaleInCooldown,
		ScaleInMargin:      defaultScaleInMargin,
		AlarmPeriod:        defaultAlarmPeriod,
		ScaleOutDatapoints: defaultScaleOutDatapoints,
		ScaleInDatapoints:  defaultScaleInDatapoints,
	}
}

// TargetTracking is an AWS Application Auto Scaling target tracking
// policy. The metric, averaged over counted instances at each sync, is
// aggregated into AlarmPeriod datapoints (see alarm.go) watched by two
// alarms: the high alarm (metric > Target for ScaleOutDatapoints
// datapoints) and the low alarm (metric < Target×(1-ScaleInMargin) for
// ScaleInDatapoints datapoints). While an alarm is in ALARM it invokes
// the policy on entering ALARM and then once a minute; the policy then
// sets desired = ceil(capacity × metric/target) from the newest datapoint
// ("scales out proportionally to the metric"), scaling in only outside
// the scale-in cooldown. Between invocations the capacity is held.
//
// While a scale-out cooldown is in effect the capacity is taken as it was
// before the scale-out that started the cooldown, so the capacity that
// scale-out added counts toward the next one, which happens only if it is
// larger ("The scaling policy won't increase the desired capacity again
// unless either a larger scale out is triggered or the cooldown period
// ends"). A larger scale-out within the cooldown does not restart it.
type TargetTracking struct {
	cfg       TargetTrackingConfig
	min, max  int
	cool      awsCooldowns
	series    alarmSeries
	high, low alarm
}

var (
	_ Policy  = (*TargetTracking)(nil)
	_ Bounded = (*TargetTracking)(nil)
)

// NewTargetTracking validates cfg and returns a policy with no cooldown
// in effect.
func NewTargetTracking(cfg TargetTrackingConfig) (*TargetTracking, error) {
	if !cfg.Metric.valid() {
		return nil, configErr("target tracking metric %q is not cpu, rps, in_flight, queue or connections", cfg.Metric)
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
	if cfg.AlarmPeriod <= 0 || cfg.ScaleOutDatapoints < 1 || cfg.ScaleInDatapoints < 1 ||
		cfg.ScaleOutDatapoints > maxEvaluationPeriods || cfg.ScaleInDatapoints > maxEvaluationPeriods {
		return nil, configErr("target tracking alarm period %d ns must be positive and datapoints %d, %d in 1..%d",
			cfg.AlarmPeriod, cfg.ScaleOutDatapoints, cfg.ScaleInDatapoints, maxEvaluationPeriods)
	}
	return &TargetTracking{
		cfg: cfg, min: cfg.Min, max: cfg.Max, cool: newAWSCooldowns(),
		series: newAlarmSeries(cfg.AlarmPeriod, max(cfg.ScaleOutDatapoints, cfg.ScaleInDatapoints)),
		high: alarm{cmp: GreaterThan, threshold: cfg.Target,
			evaluation: cfg.ScaleOutDatapoints, datapoints: cfg.ScaleOutDatapoints},
		low: alarm{cmp: LessThan, threshold: cfg.Target * (1 - cfg.ScaleInMargin),
			evaluation: cfg.ScaleInDatapoints, datapoints: cfg.ScaleInDatapoints},
	}, nil
}

// Name implements Policy.
func (p *TargetTracking) Name() string { return "target_tracking" }

// SetBounds implements Bounded.
func (p *TargetTracking) SetBounds(min, max int) { p.min, p.max = min, max }

// metric is the observation's aggregate: the average over counted
// instances, or for queue the backlog per counted instance.
func (p *TargetTracking) metric(obs Observation) (float64, bool) {
	avg, n := countedAverage(obs, p.cfg.Warmup)
	if p.cfg.Metric == MetricQueue {
		if !obs.HasExternal || n == 0 {
			return 0, false
		}
		return obs.External / float64(n), true
	}
	return avg, n > 0
}

// Decide implements Policy.
func (p *TargetTracking) Decide(obs Observation) (Decision, error) {
	now, current := obs.Now, obs.Current
	if v, ok := p.metric(obs); p.series.observe(now, v, ok) {
		p.high.evaluate(&p.series)
		p.low.evaluate(&p.series)
	}
	dp, has := p.series.latest()
	d := Decision{Desired: current, Reason: ReasonInsufficientData}
	if has {
		d.Metric, d.Ratio = dp.v, dp.v/p.cfg.Target
		switch {
		case !dp.ok:
			d.Reason = ReasonNoMetrics
		case p.high.on || p.low.on:
			d.Reason = ReasonAlarmWait
		case p.high.cmp.breaches(dp.v, p.high.threshold) || p.low.cmp.breaches(dp.v, p.low.threshold):
			d.Reason = ReasonAlarmPending
		default:
			d.Reason = ReasonNearTarget
		}
	}
	switch {
	case !has || !dp.ok:
	case p.high.invoke(now):
		d.Reason = ReasonNearTarget
		if want := ceilEps(float64(p.cool.outFrom(now, p.cfg.ScaleOutCooldown, current)) * d.Ratio); want > current {
			d.Desired, d.Reason = want, ReasonScaleOut
		} else if p.cool.scalingOut(now, p.cfg.ScaleOutCooldown) {
			d.Reason = ReasonScaleOutCooldown
		}
	case p.low.invoke(now):
		switch {
		case p.cfg.DisableScaleIn:
			d.Reason = ReasonScaleInDisabled
		case p.cool.scalingIn(now, p.cfg.ScaleInCooldown):
			d.Reason = ReasonScaleInCooldown
		default:
			d.Reason = ReasonNearTarget
			if want := max(ceilEps(float64(current)*d.Ratio), p.min); want < current {
				d.Desired, d.Reason = want, ReasonScaleIn
			}
		}
	}
	d.Recommended = d.Desired
	d.Desired, d.Reason = clampReason(d.Desired, p.min, p.max, d.Reason)
	return p.apply(now, current, d), nil
}

// apply updates the cooldowns for the change d makes.
func (p *TargetTracking) apply(now engine.Time, current int, d Decision) Decision {
	p.cool.record(now, p.cfg.ScaleOutCooldown, current, d.Desired)
	return d
}
