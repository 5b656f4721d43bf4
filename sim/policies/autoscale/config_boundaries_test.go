package autoscale_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// TestConfigBoundaries pins the edges of every constructor's validation:
// the value at a documented bound is accepted ("not negative" admits 0,
// "min ≤ max" admits min = max, "1..8640" admits both ends) and the value
// just past it is rejected. The bounds are those of the field docs and of
// the APIs they model: Kubernetes HPAScalingPolicy value and periodSeconds
// "must be greater than zero", maxReplicas ≥ 1, minReplicas ≤
// maxReplicas; CloudWatch EvaluationPeriods × Period ≤ one day (8640
// periods of 10 s); an Application Auto Scaling StepAdjustment's interval
// non-empty.
func TestConfigBoundaries(t *testing.T) {
	hpa := func(edit func(*autoscale.HPAConfig)) error {
		cfg := autoscale.DefaultHPAConfig()
		edit(&cfg)
		_, err := autoscale.NewHPA(cfg)
		return err
	}
	upPolicy := func(p autoscale.ScalingPolicy) func(*autoscale.HPAConfig) {
		return func(c *autoscale.HPAConfig) {
			c.Behavior.ScaleUp = &autoscale.ScalingRules{Policies: []autoscale.ScalingPolicy{p}}
		}
	}
	tt := func(edit func(*autoscale.TargetTrackingConfig)) error {
		cfg := autoscale.DefaultTargetTrackingConfig()
		edit(&cfg)
		_, err := autoscale.NewTargetTracking(cfg)
		return err
	}
	step := func(edit func(*autoscale.StepScalingConfig)) error {
		out := autoscale.DefaultStepPolicy(50, autoscale.GreaterThanOrEqual, autoscale.StepAdjustment{Lower: 0, Upper: 10, Adjustment: 1})
		cfg := autoscale.StepScalingConfig{Metric: autoscale.MetricRPS, Min: 1, Max: 10, ScaleOut: &out}
		edit(&cfg)
		_, err := autoscale.NewStepScaling(cfg)
		return err
	}
	pred := func(edit func(*autoscale.PredictiveConfig)) error {
		cfg := autoscale.DefaultPredictiveConfig()
		edit(&cfg)
		_, err := autoscale.NewPredictive(cfg, nil)
		return err
	}
	sched := func(actions ...autoscale.ScheduledAction) error {
		_, err := autoscale.NewScheduled(actions, nil)
		return err
	}
	tests := []struct {
		name    string
		err     error
		wantErr bool
	}{
		// HPA: HPAScalingPolicy value and period must be positive.
		{"hpa policy value 0", hpa(upPolicy(autoscale.ScalingPolicy{Type: autoscale.PodsPolicy, Value: 0, Period: 15 * sec})), true},
		{"hpa policy period 0", hpa(upPolicy(autoscale.ScalingPolicy{Type: autoscale.PodsPolicy, Value: 1, Period: 0})), true},
		{"hpa policy value 1, period 1 ns", hpa(upPolicy(autoscale.ScalingPolicy{Type: autoscale.PodsPolicy, Value: 1, Period: 1})), false},
		{"hpa rps target 0", hpa(func(c *autoscale.HPAConfig) { c.Metric, c.Target = autoscale.MetricRPS, 0 }), true},
		{"hpa cpu target 1% (averageUtilization 1)", hpa(func(c *autoscale.HPAConfig) { c.Target = 0.01 }), false},
		{"hpa cpu target 0.4% rounds to 0", hpa(func(c *autoscale.HPAConfig) { c.Target = 0.004 }), true},
		{"hpa min = max = 1", hpa(func(c *autoscale.HPAConfig) { c.Min, c.Max = 1, 1 }), false},
		{"hpa max 0", hpa(func(c *autoscale.HPAConfig) { c.Min, c.Max = 0, 0 }), true},
		{"hpa tolerance 0", hpa(func(c *autoscale.HPAConfig) { c.Tolerance = 0 }), false},
		// A NaN tolerance would make the band |ratio−1| ≤ tolerance empty:
		// even a ratio of exactly 1 would scale.
		{"hpa tolerance NaN", hpa(func(c *autoscale.HPAConfig) { c.Tolerance = math.NaN() }), true},
		{"hpa scale-up tolerance NaN", hpa(func(c *autoscale.HPAConfig) {
			nan := math.NaN()
			c.Behavior.ScaleUp = &autoscale.ScalingRules{Tolerance: &nan}
		}), true},
		{"hpa sync period 0", hpa(func(c *autoscale.HPAConfig) { c.SyncPeriod = 0 }), false},
		{"hpa cpu initialization 0", hpa(func(c *autoscale.HPAConfig) { c.CPUInitializationPeriod = 0 }), false},
		{"hpa initial readiness delay 0", hpa(func(c *autoscale.HPAConfig) { c.InitialReadinessDelay = 0 }), false},
		{"hpa downscale stabilization 0", hpa(func(c *autoscale.HPAConfig) { c.DownscaleStabilization = 0 }), false},

		// Target tracking.
		{"tt target 0", tt(func(c *autoscale.TargetTrackingConfig) { c.Target = 0 }), true},
		{"tt min 0", tt(func(c *autoscale.TargetTrackingConfig) { c.Min = 0 }), false},
		{"tt min = max", tt(func(c *autoscale.TargetTrackingConfig) { c.Min, c.Max = 3, 3 }), false},
		{"tt cooldowns 0", tt(func(c *autoscale.TargetTrackingConfig) { c.ScaleOutCooldown, c.ScaleInCooldown = 0, 0 }), false},
		{"tt scale-out cooldown 0", tt(func(c *autoscale.TargetTrackingConfig) { c.ScaleOutCooldown = 0 }), false},
		{"tt scale-in cooldown 0", tt(func(c *autoscale.TargetTrackingConfig) { c.ScaleInCooldown = 0 }), false},
		{"tt scale-in margin 0", tt(func(c *autoscale.TargetTrackingConfig) { c.ScaleInMargin = 0 }), false},
		{"tt scale-in margin 1", tt(func(c *autoscale.TargetTrackingConfig) { c.ScaleInMargin = 1 }), true},
		{"tt alarm period 0", tt(func(c *autoscale.TargetTrackingConfig) { c.AlarmPeriod = 0 }), true},
		{"tt 1 datapoint each", tt(func(c *autoscale.TargetTrackingConfig) { c.ScaleOutDatapoints, c.ScaleInDatapoints = 1, 1 }), false},
		{"tt 8640 scale-out datapoints", tt(func(c *autoscale.TargetTrackingConfig) { c.ScaleOutDatapoints = 8640 }), false},
		{"tt 8640 scale-in datapoints", tt(func(c *autoscale.TargetTrackingConfig) { c.ScaleInDatapoints = 8640 }), false},
		{"tt 8641 scale-in datapoints", tt(func(c *autoscale.TargetTrackingConfig) { c.ScaleInDatapoints = 8641 }), true},

		// Step scaling.
		{"step min 0", step(func(c *autoscale.StepScalingConfig) { c.Min = 0 }), false},
		{"step min = max", step(func(c *autoscale.StepScalingConfig) { c.Min, c.Max = 4, 4 }), false},
		{"step empty interval [5, 5)", step(func(c *autoscale.StepScalingConfig) {
			c.ScaleOut.Steps = []autoscale.StepAdjustment{{Lower: 5, Upper: 5, Adjustment: 1}}
		}), true},
		{"step 8640 evaluation periods", step(func(c *autoscale.StepScalingConfig) { c.ScaleOut.EvaluationPeriods = 8640 }), false},
		{"step 8641 evaluation periods", step(func(c *autoscale.StepScalingConfig) { c.ScaleOut.EvaluationPeriods = 8641 }), true},

		// Predictive: 0 < step ≤ period, 0 ≤ lead < period, 0 ≤ min ≤ max.
		{"predictive period = step", pred(func(c *autoscale.PredictiveConfig) { c.Period, c.Step, c.Lead = 15*sec, 15*sec, 0 }), false},
		{"predictive lead 0", pred(func(c *autoscale.PredictiveConfig) { c.Lead = 0 }), false},
		{"predictive min 0", pred(func(c *autoscale.PredictiveConfig) { c.Min = 0 }), false},
		{"predictive min = max", pred(func(c *autoscale.PredictiveConfig) { c.Min, c.Max = 5, 5 }), false},

		// Scheduled: sorted by At (ties allowed), 0 ≤ Min ≤ Max, Desired within.
		{"scheduled two actions at the same time", sched(autoscale.ScheduledAction{At: min_, Min: 1, Max: 2}, autoscale.ScheduledAction{At: min_, Min: 2, Max: 3}), false},
		{"scheduled min 0", sched(autoscale.ScheduledAction{At: min_, Min: 0, Max: 2}), false},
		{"scheduled min = max", sched(autoscale.ScheduledAction{At: min_, Min: 2, Max: 2}), false},
		{"scheduled desired = min", sched(autoscale.ScheduledAction{At: min_, Min: 2, Max: 5, Desired: 2, HasDesired: true}), false},
		{"scheduled desired = max", sched(autoscale.ScheduledAction{At: min_, Min: 2, Max: 5, Desired: 5, HasDesired: true}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err != nil; got != tt.wantErr {
				t.Fatalf("error %v, want error: %v", tt.err, tt.wantErr)
			}
			if tt.err != nil && !errors.Is(tt.err, autoscale.ErrConfig) {
				t.Fatalf("error %v does not wrap ErrConfig", tt.err)
			}
		})
	}
}

// TestScheduledOrderError pins that the ordering error names the two
// actions out of order (the later one and the one before it).
func TestScheduledOrderError(t *testing.T) {
	_, err := autoscale.NewScheduled([]autoscale.ScheduledAction{{At: 10 * sec, Min: 1, Max: 1}, {At: 5 * sec, Min: 1, Max: 1}}, nil)
	if err == nil || !strings.Contains(err.Error(), "action 1 at 5000000000 ns is before action 0") {
		t.Fatalf("got %v", err)
	}
}
