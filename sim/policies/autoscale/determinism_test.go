package autoscale_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// TestDeterministic runs every policy twice, from fresh values, over the
// same varying observations and requires identical decisions: no hidden
// global state, clock or iteration-order dependence.
func TestDeterministic(t *testing.T) {
	builders := map[string]func() autoscale.Policy{
		"hpa": func() autoscale.Policy {
			return newHPA(t, func(c *autoscale.HPAConfig) { c.Metric, c.Target, c.Max = autoscale.MetricRPS, 10, 60 })
		},
		"target_tracking": func() autoscale.Policy {
			return newTT(t, func(c *autoscale.TargetTrackingConfig) { c.Metric, c.Target, c.Max = autoscale.MetricRPS, 10, 60 })
		},
		"step_scaling": func() autoscale.Policy {
			out := autoscale.DefaultStepPolicy(12, autoscale.GreaterThanOrEqual,
				autoscale.StepAdjustment{Lower: 0, Upper: 8, Adjustment: 1}, autoscale.StepAdjustment{Lower: 8, Upper: math.Inf(1), Adjustment: 3})
			out.EvaluationPeriods, out.DatapointsToAlarm = 3, 2
			in := autoscale.DefaultStepPolicy(6, autoscale.LessThan, autoscale.StepAdjustment{Lower: math.Inf(-1), Upper: 0, Adjustment: -1})
			return newStep(t, autoscale.StepScalingConfig{Metric: autoscale.MetricRPS, Min: 1, Max: 60, ScaleOut: &out, ScaleIn: &in})
		},
		"predictive": func() autoscale.Policy {
			p, err := autoscale.NewPredictive(autoscale.PredictiveConfig{Metric: autoscale.MetricRPS, Target: 10,
				Period: 10 * min_, Lead: min_, Step: 15 * sec, Min: 1, Max: 60}, newHPA(t, func(c *autoscale.HPAConfig) {
				c.Metric, c.Target, c.Max = autoscale.MetricRPS, 10, 60
			}))
			if err != nil {
				t.Fatal(err)
			}
			return p
		},
	}
	names := []string{"hpa", "predictive", "step_scaling", "target_tracking"} // fixed order
	for _, name := range names {
		trace := func() []autoscale.Decision {
			p := builders[name]()
			var out []autoscale.Decision
			current := 3
			for i := range 200 {
				total := float64(50 + (i*37)%400) // a deterministic, jagged load
				d, _ := p.Decide(autoscale.Observation{Now: engine.Time(i) * 15 * sec, Current: current, Pods: spread(total)(current)})
				out = append(out, d)
				current = d.Desired
			}
			return out
		}
		if a, b := trace(), trace(); !reflect.DeepEqual(a, b) {
			t.Errorf("%s: two runs differ", name)
		}
	}
}
