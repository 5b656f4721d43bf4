package autoscale_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// References used below:
//   [tt]   https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html
//   [alarm] see aws_alarm_test.go: the alarms' timing (3 / 15 one-minute
//          datapoints for target tracking, M of N for step scaling)
//   [ttc]  Application Auto Scaling API reference,
//          TargetTrackingScalingPolicyConfiguration ScaleOutCooldown /
//          ScaleInCooldown (defaults 300 s for ECS services)
//   [ssc]  Application Auto Scaling API reference,
//          StepScalingPolicyConfiguration Cooldown and AdjustmentType
//   [step] Application Auto Scaling API reference, StepAdjustment

func newTT(t *testing.T, edit func(*autoscale.TargetTrackingConfig)) *autoscale.TargetTracking {
	t.Helper()
	cfg := autoscale.DefaultTargetTrackingConfig()
	if edit != nil {
		edit(&cfg)
	}
	p, err := autoscale.NewTargetTracking(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fixedAvg returns a load function giving every current pod metric v.
func fixedAvg(v float64) func(int) []autoscale.PodSample {
	return func(n int) []autoscale.PodSample { return ready(same(n, v)...) }
}

// oldPods returns a load function where only the first k pods report v
// (the rest are still starting).
func oldPods(k int, v float64) func(int) []autoscale.PodSample {
	return func(n int) []autoscale.PodSample { return with(ready(same(k, v)...), pending(n-k)) }
}

// TestTargetTrackingDecide pins the scaling calculation once an alarm
// fires: each case feeds the same observation at one-minute syncs until
// the alarm that case needs has its datapoints ([alarm]: 3 for the high
// alarm, 15 for the low one) and checks that sync's decision.
func TestTargetTrackingDecide(t *testing.T) {
	const out, in = 3, 15 // minutes of datapoints the high / low alarm needs
	tests := []struct {
		name       string
		cfg        func(*autoscale.TargetTrackingConfig)
		obs        autoscale.Observation
		minutes    int
		want       int
		wantReason string
	}{
		// [tt] "When the metric is above the target value, Application Auto
		// Scaling scales out ... proportional to the metric value":
		// 4 × 0.75/0.5 = 6.
		{"scale out proportionally", nil,
			autoscale.Observation{Current: 4, Pods: ready(same(4, 0.75)...)}, out, 6, autoscale.ReasonScaleOut},
		{"round up", nil,
			autoscale.Observation{Current: 3, Pods: ready(same(3, 0.6)...)}, out, 4, autoscale.ReasonScaleOut},
		// Scale-in: 10 × 0.3/0.5 = 6.
		{"scale in", nil,
			autoscale.Observation{Current: 10, Pods: ready(same(10, 0.3)...)}, in, 6, autoscale.ReasonScaleIn},
		// [tt] scale-in only "far enough below the target value (usually
		// more than 10% lower)": the low alarm is metric < 0.45, strictly.
		{"no scale-in at the low threshold", nil,
			autoscale.Observation{Current: 10, Pods: ready(same(10, 0.45)...)}, in, 10, autoscale.ReasonNearTarget},
		{"scale-in just below the low threshold", nil,
			autoscale.Observation{Current: 10, Pods: ready(same(10, 0.449)...)}, in, 9, autoscale.ReasonScaleIn},
		{"scale-in disabled", func(c *autoscale.TargetTrackingConfig) { c.DisableScaleIn = true },
			autoscale.Observation{Current: 10, Pods: ready(same(10, 0.1)...)}, in, 10, autoscale.ReasonScaleInDisabled},
		{"never below min", func(c *autoscale.TargetTrackingConfig) { c.Min = 3 },
			autoscale.Observation{Current: 10, Pods: ready(same(10, 0.05)...)}, in, 3, autoscale.ReasonScaleIn},
		{"capped at max", nil,
			autoscale.Observation{Current: 8, Pods: ready(same(8, 1.0)...)}, out, 10, autoscale.ReasonTooManyReplicas},
		// Warm-up (EC2 Auto Scaling instance warm-up: "not counted toward
		// the aggregated metrics"): the warming instance's start-up CPU
		// spike would raise the average to 0.6 and scale out to 6.
		{"warming instances are not aggregated", func(c *autoscale.TargetTrackingConfig) { c.Warmup = 10 * min_ },
			autoscale.Observation{Now: hour, Current: 5, Pods: with(ready(same(4, 0.5)...),
				[]autoscale.PodSample{{Ready: true, HasMetric: true, Metric: 1.0, ReadyAt: hour - min_}})}, out, 5, autoscale.ReasonNearTarget},
		{"warmed instances are aggregated", func(c *autoscale.TargetTrackingConfig) { c.Warmup = 10 * min_ },
			autoscale.Observation{Now: hour, Current: 5, Pods: with(ready(same(4, 0.5)...),
				[]autoscale.PodSample{{Ready: true, HasMetric: true, Metric: 1.0, ReadyAt: hour - 20*min_}})}, out, 6, autoscale.ReasonScaleOut},
		// queue: backlog per instance = 120/4 = 30 against 10 → 12.
		{"queue backlog per instance", func(c *autoscale.TargetTrackingConfig) {
			c.Metric, c.Target, c.Max = autoscale.MetricQueue, 10, 20
		}, autoscale.Observation{Current: 4, Pods: ready(0, 0, 0, 0), External: 120, HasExternal: true}, out, 12, autoscale.ReasonScaleOut},
		// Missing datapoints never breach ([tt]: no scale-in on
		// INSUFFICIENT_DATA), so capacity is held.
		{"no metrics holds", nil,
			autoscale.Observation{Current: 4, Pods: pending(4)}, in, 4, autoscale.ReasonNoMetrics},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := steady(t, newTT(t, tt.cfg), tt.obs, tt.minutes)
			if d.Desired != tt.want || d.Reason != tt.wantReason {
				t.Errorf("got %d %q, want %d %q", d.Desired, d.Reason, tt.want, tt.wantReason)
			}
		})
	}
}

// steady feeds o to p at one-minute syncs o.Now+1m ... o.Now+minutes
// and returns the last decision; every earlier one must hold o.Current.
func steady(t *testing.T, p autoscale.Policy, o autoscale.Observation, minutes int) autoscale.Decision {
	t.Helper()
	start := o.Now
	var d autoscale.Decision
	for i := 1; i <= minutes; i++ {
		o.Now = start.Add(engine.Duration(i) * min_)
		d, _ = p.Decide(o)
		if i < minutes && d.Desired != o.Current {
			t.Fatalf("minute %d: acted early: %d %s", i, d.Desired, d.Reason)
		}
	}
	return d
}

// TestTargetTrackingCooldowns reproduces [ttc]: "The scaling policy won't
// increase the desired capacity again unless either a larger scale out is
// triggered or the cooldown period ends. While the cooldown period is in
// effect, the capacity added by the initiating scale-out activity is
// calculated as part of the desired capacity for the next scale-out
// activity", and for scale-in, "scale-in activities are blocked until the
// cooldown period has expired. However, if another alarm triggers a
// scale-out activity during the scale-in cooldown period, Application
// Auto Scaling scales out the target immediately. In this case, the
// scale-in cooldown period stops". Cooldowns are the ECS defaults, 300 s.
// The alarms here go to ALARM on one datapoint, and syncs fall on the
// minute, so every sync completes a datapoint and, in ALARM, invokes the
// policy: the ticks isolate the cooldowns from the alarm timing.
func TestTargetTrackingCooldowns(t *testing.T) {
	oneDatapoint := func(c *autoscale.TargetTrackingConfig) { c.ScaleOutDatapoints, c.ScaleInDatapoints = 1, 1 }
	t.Run("scale-out", func(t *testing.T) {
		run(t, newTT(t, oneDatapoint), 4, []tick{
			{1 * min_, fixedAvg(0.75), 6, autoscale.ReasonScaleOut},
			// The 2 new instances are not reporting yet; the 4 old ones
			// still read 0.75: from the pre-cooldown 4 that is 6 again.
			{2 * min_, oldPods(4, 0.75), 6, autoscale.ReasonScaleOutCooldown},
			// A larger scale-out: 4 × 1.0/0.5 = 8 > 6.
			{3 * min_, oldPods(4, 1.0), 8, autoscale.ReasonScaleOut},
			{5 * min_, oldPods(4, 1.0), 8, autoscale.ReasonScaleOutCooldown},
			// Cooldown over (started at 1m): capacity is current again.
			{6 * min_, fixedAvg(0.75), 10, autoscale.ReasonTooManyReplicas},
		})
	})
	t.Run("scale-in", func(t *testing.T) {
		run(t, newTT(t, func(c *autoscale.TargetTrackingConfig) { oneDatapoint(c); c.Max = 20 }), 10, []tick{
			{1 * min_, fixedAvg(0.4), 8, autoscale.ReasonScaleIn},
			{2 * min_, fixedAvg(0.3), 8, autoscale.ReasonScaleInCooldown},
			{5 * min_, fixedAvg(0.3), 8, autoscale.ReasonScaleInCooldown},
			{6 * min_, fixedAvg(0.3), 5, autoscale.ReasonScaleIn},
			// A scale-out during the scale-in cooldown happens at once and
			// ends that cooldown, so the next scale-in is not blocked.
			{7 * min_, fixedAvg(0.6), 6, autoscale.ReasonScaleOut},
			{8 * min_, fixedAvg(0.2), 3, autoscale.ReasonScaleIn},
		})
	})
}

func newStep(t *testing.T, cfg autoscale.StepScalingConfig) *autoscale.StepScaling {
	t.Helper()
	p, err := autoscale.NewStepScaling(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestStepScalingBoundaries reproduces [step]: "If the metric value is
// above the breach threshold, the lower bound is inclusive ... and the
// upper bound is exclusive ... If the metric value is below the breach
// threshold, the lower bound is exclusive ... and the upper bound is
// inclusive". Scale-out alarm rps ≥ 50 with steps [0,10) +1, [10,20) +2,
// [20,∞) +3; scale-in alarm rps ≤ 20 with (-10,0] -1, (-∞,-10] -2.
func TestStepScalingBoundaries(t *testing.T) {
	inf := math.Inf(1)
	cfg := autoscale.StepScalingConfig{Metric: autoscale.MetricRPS, Min: 1, Max: 20,
		ScaleOut: &autoscale.StepPolicy{Threshold: 50, Comparison: autoscale.GreaterThanOrEqual, Steps: []autoscale.StepAdjustment{
			{Lower: 0, Upper: 10, Adjustment: 1}, {Lower: 10, Upper: 20, Adjustment: 2}, {Lower: 20, Upper: inf, Adjustment: 3}}},
		ScaleIn: &autoscale.StepPolicy{Threshold: 20, Comparison: autoscale.LessThanOrEqual, Steps: []autoscale.StepAdjustment{
			{Lower: -10, Upper: 0, Adjustment: -1}, {Lower: -inf, Upper: -10, Adjustment: -2}}},
	}
	tests := []struct {
		name       string
		metric     float64
		want       int
		wantReason string
	}{
		{"below the scale-out alarm", 49.9, 5, autoscale.ReasonNoAlarm},
		{"between the alarms", 30, 5, autoscale.ReasonNoAlarm},
		{"at threshold: first step (lower inclusive)", 50, 6, autoscale.ReasonScaleOut},
		{"just below the second step (upper exclusive)", 59.5, 6, autoscale.ReasonScaleOut},
		{"at the second step's lower bound", 60, 7, autoscale.ReasonScaleOut},
		{"open-ended last step", 500, 8, autoscale.ReasonScaleOut},
		{"at scale-in threshold: upper inclusive", 20, 4, autoscale.ReasonScaleIn},
		{"at -10: the lower step (its upper is inclusive)", 10, 3, autoscale.ReasonScaleIn},
		{"just above -10: first scale-in step (lower exclusive)", 10.5, 4, autoscale.ReasonScaleIn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// One sync at 1m completes the first one-minute datapoint; the
			// alarms are 1 of 1, so it is in ALARM and invokes its policy.
			d, _ := newStep(t, cfg).Decide(autoscale.Observation{Now: min_, Current: 5, Pods: ready(same(5, tt.metric)...)})
			if d.Desired != tt.want || d.Reason != tt.wantReason {
				t.Errorf("got %d %q, want %d %q", d.Desired, d.Reason, tt.want, tt.wantReason)
			}
		})
	}
}

// TestStepScalingPercent reproduces [ssc]'s rounding of
// PercentChangeInCapacity (as documented for EC2 Auto Scaling step
// adjustments): values above 1 round down, between 0 and 1 to 1, between
// -1 and 0 to -1, below -1 up; MinAdjustmentMagnitude raises small changes.
func TestStepScalingPercent(t *testing.T) {
	tests := []struct {
		name            string
		current, adj    int
		minMag          int
		typ             autoscale.AdjustmentType
		want            int
		outNotIn        bool
		wantReasonCheck string
	}{
		{"+25% of 10 is 2.5 → 2", 10, 25, 0, autoscale.PercentChangeInCapacity, 12, true, autoscale.ReasonScaleOut},
		{"+25% of 2 is 0.5 → 1", 2, 25, 0, autoscale.PercentChangeInCapacity, 3, true, autoscale.ReasonScaleOut},
		{"MinAdjustmentMagnitude 2", 2, 25, 2, autoscale.PercentChangeInCapacity, 4, true, autoscale.ReasonScaleOut},
		{"-25% of 10 is -2.5 → -2", 10, -25, 0, autoscale.PercentChangeInCapacity, 8, false, autoscale.ReasonScaleIn},
		{"-25% of 2 is -0.5 → -1", 2, -25, 0, autoscale.PercentChangeInCapacity, 1, false, autoscale.ReasonScaleIn},
		{"ExactCapacity", 3, 7, 0, autoscale.ExactCapacity, 7, true, autoscale.ReasonScaleOut},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp := &autoscale.StepPolicy{Threshold: 50, AdjustmentType: tt.typ, MinAdjustmentMagnitude: tt.minMag,
				Steps: []autoscale.StepAdjustment{{Lower: math.Inf(-1), Upper: math.Inf(1), Adjustment: tt.adj}}}
			cfg := autoscale.StepScalingConfig{Metric: autoscale.MetricRPS, Min: 1, Max: 20}
			m := 10.0
			if tt.outNotIn {
				cfg.ScaleOut, m = sp, 90
			} else {
				cfg.ScaleIn = sp
			}
			d, _ := newStep(t, cfg).Decide(autoscale.Observation{Now: min_, Current: tt.current, Pods: ready(same(tt.current, m)...)})
			if d.Desired != tt.want || d.Reason != tt.wantReasonCheck {
				t.Errorf("got %d %q, want %d %q", d.Desired, d.Reason, tt.want, tt.wantReasonCheck)
			}
		})
	}
}

// TestStepScalingCooldown reproduces [ssc]'s example: "when an alarm
// triggers a step scaling policy to increase the capacity by 2, the
// scaling activity completes successfully, and a cooldown period starts.
// If the alarm triggers again during the cooldown period but at a more
// aggressive step adjustment of 3, the previous increase of 2 is
// considered part of the current capacity. Therefore, only 1 is added to
// the capacity." Scale-ins are blocked during their cooldown.
func TestStepScalingCooldown(t *testing.T) {
	inf := math.Inf(1)
	out := autoscale.DefaultStepPolicy(50, autoscale.GreaterThanOrEqual,
		autoscale.StepAdjustment{Lower: 0, Upper: 20, Adjustment: 2}, autoscale.StepAdjustment{Lower: 20, Upper: inf, Adjustment: 3})
	in := autoscale.DefaultStepPolicy(20, autoscale.LessThanOrEqual,
		autoscale.StepAdjustment{Lower: -inf, Upper: 0, Adjustment: -1})
	p := newStep(t, autoscale.StepScalingConfig{Metric: autoscale.MetricRPS, Min: 1, Max: 20, ScaleOut: &out, ScaleIn: &in})
	// Syncs on the minute: each completes a datapoint and, the alarms
	// being 1 of 1 and in ALARM, invokes the policy.
	run(t, p, 4, []tick{
		{1 * min_, fixedAvg(55), 6, autoscale.ReasonScaleOut},
		{2 * min_, fixedAvg(55), 6, autoscale.ReasonScaleOutCooldown},
		{3 * min_, fixedAvg(75), 7, autoscale.ReasonScaleOut},  // 4 + 3: only 1 added
		{6 * min_, fixedAvg(75), 10, autoscale.ReasonScaleOut}, // cooldown (from 1m) over: 7 + 3
		{7 * min_, fixedAvg(10), 9, autoscale.ReasonScaleIn},
		{9 * min_, fixedAvg(10), 9, autoscale.ReasonScaleInCooldown},
		{12 * min_, fixedAvg(10), 8, autoscale.ReasonScaleIn}, // scale-in cooldown from 7m over
	})
}
