package autoscale

import (
	"math"

	"github.com/clustersim/clustersim/sim/engine"
)

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
	// Cooldown is the policy's cooldown; AWS default for ECS 300 s.
	Cooldown engine.Duration
	// AlarmPeriod is the alarm's datapoint period (CloudWatch Period);
	// 0 means 60 s.
	AlarmPeriod engine.Duration
	// EvaluationPeriods is how many of the newest datapoints the alarm
	// evaluates (CloudWatch EvaluationPeriods); 0 means 1.
	EvaluationPeriods int
	// DatapointsToAlarm is how many of those must breach for ALARM
	// (CloudWatch DatapointsToAlarm, "M out of N"); 0 means
	// EvaluationPeriods, CloudWatch's default.
	DatapointsToAlarm int
}

// Step scaling alarm defaults. The user creates step scaling alarms, so
// AWS has no fixed values; these are CloudWatch's console defaults (1 out
// of 1 datapoints) on one-minute data, and DatapointsToAlarm defaults to
// EvaluationPeriods as in PutMetricAlarm. The Application Auto Scaling CLI
// walkthrough uses --period 60 --evaluation-periods 2,
// https://docs.aws.amazon.com/autoscaling/application/userguide/create-step-scaling-policy-cli.html
const defaultStepEvaluationPeriods = 1

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

// StepScaling is AWS Application Auto Scaling step scaling. Each step
// policy has a CloudWatch-style alarm on the metric's AlarmPeriod
// datapoints (see alarm.go), in ALARM when DatapointsToAlarm of the
// newest EvaluationPeriods datapoints breach its threshold. An alarm in
// ALARM invokes its policy on entering ALARM and then once a minute; the
// step whose interval holds the newest datapoint's distance from the
// threshold then changes capacity ("Application Auto Scaling applies your
// specified aggregation type to the most recent metric data points"). Cooldowns follow the
// StepScalingPolicyConfiguration documentation: during a scale-out
// cooldown the capacity added by the scale-out that started it counts as
// part of the next one (an alarm asking for +3 after a +2 adds 1); during
// a scale-in cooldown scale-ins are blocked, and a scale-out ends it.
type StepScaling struct {
	cfg      StepScalingConfig
	min, max int
	cool     awsCooldowns
	out, in  stepAlarm
}

// stepAlarm is one step policy's alarm and its datapoints.
type stepAlarm struct {
	series alarmSeries
	alarm  alarm
}

var (
	_ Policy  = (*StepScaling)(nil)
	_ Bounded = (*StepScaling)(nil)
)

// DefaultStepPolicy returns an alarm on 60 s datapoints, in ALARM after 1
// breaching datapoint of 1 (DatapointsToAlarm left 0: all of
// EvaluationPeriods), with the ECS default cooldown (300 s) and
// ChangeInCapacity steps.
func DefaultStepPolicy(threshold float64, c Comparison, steps ...StepAdjustment) StepPolicy {
	return StepPolicy{Threshold: threshold, Comparison: c, Steps: steps,
		AdjustmentType: ChangeInCapacity, Cooldown: defaultStepCooldown,
		AlarmPeriod: defaultAlarmPeriod, EvaluationPeriods: defaultStepEvaluationPeriods}
}

// NewStepScaling validates cfg and returns a policy with no cooldown in
// effect.
func NewStepScaling(cfg StepScalingConfig) (*StepScaling, error) {
	if !cfg.Metric.valid() {
		return nil, configErr("step scaling metric %q is not cpu, rps, in_flight, queue or connections", cfg.Metric)
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
		if _, n, m := sp.alarmShape(); sp.AlarmPeriod < 0 || n < 1 || n > maxEvaluationPeriods || m < 1 || m > n {
			return nil, configErr("step scaling alarm: period %d ns, datapoints to alarm %d of %d evaluation periods (1 <= M <= N <= %d)",
				sp.AlarmPeriod, m, n, maxEvaluationPeriods)
		}
	}
	s := &StepScaling{cfg: cfg, min: cfg.Min, max: cfg.Max, cool: newAWSCooldowns()}
	if cfg.ScaleOut != nil {
		s.out = cfg.ScaleOut.newAlarm(true)
	}
	if cfg.ScaleIn != nil {
		s.in = cfg.ScaleIn.newAlarm(false)
	}
	return s, nil
}

// alarmShape returns the alarm's period, EvaluationPeriods and
// DatapointsToAlarm with defaults applied.
func (sp *StepPolicy) alarmShape() (period engine.Duration, n, m int) {
	period, n, m = sp.AlarmPeriod, sp.EvaluationPeriods, sp.DatapointsToAlarm
	if period == 0 {
		period = defaultAlarmPeriod
	}
	if n == 0 {
		n = defaultStepEvaluationPeriods
	}
	if m == 0 {
		m = n
	}
	return period, n, m
}

// newAlarm builds the policy's alarm; out says whether it is the
// scale-out one, which decides the default comparison.
func (sp *StepPolicy) newAlarm(out bool) stepAlarm {
	c := sp.Comparison
	if c == "" {
		c = LessThanOrEqual
		if out {
			c = GreaterThanOrEqual
		}
	}
	period, n, m := sp.alarmShape()
	return stepAlarm{series: newAlarmSeries(period, n),
		alarm: alarm{cmp: c, threshold: sp.Threshold, evaluation: n, datapoints: m}}
}

// Name implements Policy.
func (s *StepScaling) Name() string { return "step_scaling" }

// SetBounds implements Bounded.
func (s *StepScaling) SetBounds(min, max int) { s.min, s.max = min, max }

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
	d := Decision{Desired: current, Reason: ReasonInsufficientData}
	// Update both alarms, then report the newest datapoint (the scale-out
	// alarm's when both exist) and the alarms' state.
	var (
		dp       datapoint
		has      bool
		on, near bool
	)
	for _, a := range []struct {
		sp *StepPolicy
		sa *stepAlarm
	}{{s.cfg.ScaleIn, &s.in}, {s.cfg.ScaleOut, &s.out}} {
		if a.sp == nil {
			continue
		}
		if a.sa.series.observe(now, m, ok) {
			a.sa.alarm.evaluate(&a.sa.series)
		}
		if p, h := a.sa.series.latest(); h {
			dp, has = p, true
			on = on || a.sa.alarm.on
			near = near || p.ok && a.sa.alarm.cmp.breaches(p.v, a.sa.alarm.threshold)
		}
	}
	if has {
		d.Metric = dp.v
		switch {
		case !dp.ok:
			d.Reason = ReasonNoMetrics
		case on:
			d.Reason = ReasonAlarmWait
		case near:
			d.Reason = ReasonAlarmPending
		default:
			d.Reason = ReasonNoAlarm
		}
	}
	outCooldown := s.cfg.ScaleOut.cooldown()
	inOutCooldown := s.cool.scalingOut(now, outCooldown)
	if sp := s.cfg.ScaleOut; sp != nil && s.out.alarm.on {
		if p, _ := s.out.series.latest(); p.ok && s.out.alarm.invoke(now) {
			d.Reason = ReasonNoStep
			if adj, found := sp.step(p.v, s.out.alarm.cmp.above()); found {
				if want := sp.capacity(s.cool.outFrom(now, outCooldown, current), adj); want > current {
					d.Desired, d.Reason = want, ReasonScaleOut
				} else if inOutCooldown {
					d.Reason = ReasonScaleOutCooldown
				} else {
					d.Reason = ReasonNearTarget
				}
			}
		}
	} else if sp := s.cfg.ScaleIn; sp != nil && s.in.alarm.on {
		if p, _ := s.in.series.latest(); p.ok && s.in.alarm.invoke(now) {
			d.Reason = ReasonNoStep
			if adj, found := sp.step(p.v, s.in.alarm.cmp.above()); found {
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

func (sp *StepPolicy) cooldown() engine.Duration {
	if sp == nil {
		return 0
	}
	return sp.Cooldown
}
