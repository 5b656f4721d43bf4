package autoscale_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// Boundaries of the AWS-style policies and their CloudWatch alarms that
// the tests in aws_test.go and aws_alarm_test.go leave open. References
// as there ([ttc], [ssc], [step], [mofn]).

// TestAlarmDatapointIsPeriodAverage pins alarm.go's contract: a datapoint
// averages the aggregates of every observation in its period (here four
// 15 s syncs in (0, 60 s]), not only the last one.
func TestAlarmDatapointIsPeriodAverage(t *testing.T) {
	p := newTT(t, nil)
	var d autoscale.Decision
	for i, v := range []float64{0.25, 0.5, 0.75, 1.0} {
		d, _ = p.Decide(autoscale.Observation{Now: engine.Time(i+1) * 15 * sec, Current: 2, Pods: ready(v, v)})
	}
	if d.Metric != 0.625 {
		t.Fatalf("datapoint %v, want 0.625 (mean of 0.25, 0.5, 0.75, 1)", d.Metric)
	}
}

// TestTargetTrackingWarmupEnds pins countedAverage: an instance counts
// once it has been ready "at least warmup" (EC2 Auto Scaling: its metrics
// are excluded until the warm-up time has elapsed), so at exactly
// ReadyAt + Warmup it is in the aggregate.
func TestTargetTrackingWarmupEnds(t *testing.T) {
	p := newTT(t, func(c *autoscale.TargetTrackingConfig) { c.Warmup = 30 * sec })
	pods := ready(0.25, 0.75)
	pods[1].ReadyAt = 30 * sec
	d, _ := p.Decide(autoscale.Observation{Now: min_, Current: 2, Pods: pods})
	if d.Metric != 0.5 {
		t.Fatalf("metric %v, want 0.5: the instance warmed up at exactly 60 s counts", d.Metric)
	}
}

// TestAWSCooldownBoundaries pins the cooldown edges [ttc] [ssc]: a
// cooldown started at time 0 is a cooldown (the "none" marker is
// negative, not 0), and it ends at exactly start + cooldown; a scale-out
// ends a running scale-in cooldown however long it is ("the scale-in
// cooldown period stops").
func TestAWSCooldownBoundaries(t *testing.T) {
	oneDatapoint := func(c *autoscale.TargetTrackingConfig) {
		c.ScaleOutDatapoints, c.ScaleInDatapoints, c.Max = 1, 1, 20
	}
	outStep := autoscale.DefaultStepPolicy(50, autoscale.GreaterThanOrEqual,
		autoscale.StepAdjustment{Lower: 0, Upper: math.Inf(1), Adjustment: 2})
	inStep := autoscale.DefaultStepPolicy(20, autoscale.LessThanOrEqual,
		autoscale.StepAdjustment{Lower: math.Inf(-1), Upper: 0, Adjustment: -1})
	t.Run("step scale-out cooldown started at time 0", func(t *testing.T) {
		sp := outStep
		p := newStep(t, autoscale.StepScalingConfig{Metric: autoscale.MetricRPS, Min: 1, Max: 20, ScaleOut: &sp})
		run(t, p, 5, []tick{
			{0, fixedAvg(90), 7, autoscale.ReasonScaleOut},
			// Within the 300 s cooldown the +2 already counts: 5+2 = 7.
			{min_, fixedAvg(90), 7, autoscale.ReasonScaleOutCooldown},
		})
	})
	t.Run("step scale-in cooldown started at time 0", func(t *testing.T) {
		sp := inStep
		p := newStep(t, autoscale.StepScalingConfig{Metric: autoscale.MetricRPS, Min: 1, Max: 20, ScaleIn: &sp})
		run(t, p, 5, []tick{
			{0, fixedAvg(10), 4, autoscale.ReasonScaleIn},
			{min_, fixedAvg(10), 4, autoscale.ReasonScaleInCooldown},
			// 0 + 300 s: the cooldown is over.
			{5 * min_, fixedAvg(10), 3, autoscale.ReasonScaleIn},
		})
	})
	t.Run("target tracking: a scale-out ends a long scale-in cooldown", func(t *testing.T) {
		p := newTT(t, func(c *autoscale.TargetTrackingConfig) { oneDatapoint(c); c.ScaleInCooldown = hour })
		run(t, p, 10, []tick{
			{min_, fixedAvg(0.4), 8, autoscale.ReasonScaleIn},
			{2 * min_, fixedAvg(0.6), 10, autoscale.ReasonScaleOut},
			{3 * min_, fixedAvg(0.2), 4, autoscale.ReasonScaleIn},
		})
	})
}

// TestTargetTrackingScaleInToCurrent pins that a scale-in invocation whose
// calculation gives the current count (ceil(1 × 0.2/0.5) = 1) reports
// NearTarget, not ScaleIn: there is nothing to remove.
func TestTargetTrackingScaleInToCurrent(t *testing.T) {
	p := newTT(t, func(c *autoscale.TargetTrackingConfig) { c.ScaleInDatapoints = 1 })
	run(t, p, 1, []tick{{min_, fixedAvg(0.2), 1, autoscale.ReasonNearTarget}})
}

// TestStepScalingEdges pins step scaling at its edges:
//   - LessThanThreshold breaches only strictly below the threshold
//     (CloudWatch ComparisonOperator [mofn]);
//   - a sync with no counted instance gives a missing datapoint, which
//     does not breach (TreatMissingData notBreaching, alarm.go), rather
//     than a datapoint of 0;
//   - PercentChangeInCapacity rounding and MinAdjustmentMagnitude [ssc]
//     ("the minimum value to scale by"): it raises a small scale-in to
//     its magnitude, and leaves a 0% step at no change in either
//     direction.
func TestStepScalingEdges(t *testing.T) {
	change := func(thr float64, c autoscale.Comparison, adj int) *autoscale.StepPolicy {
		sp := autoscale.DefaultStepPolicy(thr, c, autoscale.StepAdjustment{Lower: math.Inf(-1), Upper: math.Inf(1), Adjustment: adj})
		return &sp
	}
	pct := func(thr float64, c autoscale.Comparison, adj, minMag int) *autoscale.StepPolicy {
		sp := change(thr, c, adj)
		sp.AdjustmentType, sp.MinAdjustmentMagnitude = autoscale.PercentChangeInCapacity, minMag
		return sp
	}
	tests := []struct {
		name       string
		out, in    *autoscale.StepPolicy
		current    int
		pods       []autoscale.PodSample
		want       int
		wantReason string
	}{
		{"LessThan: metric at the threshold does not breach", nil, change(20, autoscale.LessThan, -1),
			5, ready(same(5, 20)...), 5, autoscale.ReasonNoAlarm},
		{"LessThan: metric below the threshold breaches", nil, change(20, autoscale.LessThan, -1),
			5, ready(same(5, 19)...), 4, autoscale.ReasonScaleIn},
		{"no counted instance: missing datapoint, no scale-in", nil, change(20, autoscale.LessThanOrEqual, -1),
			5, pending(5), 5, autoscale.ReasonNoMetrics},
		{"-10% of 10 raised to MinAdjustmentMagnitude 3", nil, pct(20, autoscale.LessThanOrEqual, -10, 3),
			10, ready(same(10, 10)...), 7, autoscale.ReasonScaleIn},
		{"0% scale-in step changes nothing despite MinAdjustmentMagnitude", nil, pct(20, autoscale.LessThanOrEqual, 0, 2),
			5, ready(same(5, 10)...), 5, autoscale.ReasonNearTarget},
		{"0% scale-out step changes nothing despite MinAdjustmentMagnitude", pct(50, autoscale.GreaterThanOrEqual, 0, 2), nil,
			5, ready(same(5, 90)...), 5, autoscale.ReasonNearTarget},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newStep(t, autoscale.StepScalingConfig{Metric: autoscale.MetricRPS, Min: 1, Max: 20, ScaleOut: tt.out, ScaleIn: tt.in})
			d, _ := p.Decide(autoscale.Observation{Now: min_, Current: tt.current, Pods: tt.pods})
			if d.Desired != tt.want || d.Reason != tt.wantReason {
				t.Errorf("got %d %s, want %d %s", d.Desired, d.Reason, tt.want, tt.wantReason)
			}
		})
	}
}
