package autoscale_test

import (
	"reflect"
	"testing"

	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// TestDefaults pins every Default… constructor to the values its doc
// comment states and the sources it cites: kube-controller-manager's HPA
// flags (tolerance 0.1, 15 s sync, 5 min CPU initialisation, 30 s initial
// readiness delay, 5 min downscale stabilisation), autoscaling/v2
// defaults.go (80% cpu, minReplicas 1; scale-up 4 pods or 100% per 15 s,
// scale-down 100% per 15 s), Application Auto Scaling's ECS defaults
// (300 s cooldowns), the target tracking alarms (3 and 15 one-minute
// datapoints, 10% below target to scale in) and CloudWatch's console
// defaults for a step scaling alarm (1 of 1 one-minute datapoints).
func TestDefaults(t *testing.T) {
	tests := []struct {
		name      string
		got, want any
	}{
		{"DefaultHPAConfig", autoscale.DefaultHPAConfig(), autoscale.HPAConfig{
			Metric: autoscale.MetricCPU, Target: 0.8, Min: 1, Max: 10, Tolerance: 0.1, SyncPeriod: 15 * sec,
			CPUInitializationPeriod: 5 * min_, InitialReadinessDelay: 30 * sec, DownscaleStabilization: 5 * min_}},
		{"DefaultScaleUpPolicies", autoscale.DefaultScaleUpPolicies(), []autoscale.ScalingPolicy{
			{Type: autoscale.PodsPolicy, Value: 4, Period: 15 * sec}, {Type: autoscale.PercentPolicy, Value: 100, Period: 15 * sec}}},
		{"DefaultScaleDownPolicies", autoscale.DefaultScaleDownPolicies(), []autoscale.ScalingPolicy{
			{Type: autoscale.PercentPolicy, Value: 100, Period: 15 * sec}}},
		{"DefaultTargetTrackingConfig", autoscale.DefaultTargetTrackingConfig(), autoscale.TargetTrackingConfig{
			Metric: autoscale.MetricCPU, Target: 0.5, Min: 1, Max: 10, ScaleOutCooldown: 300 * sec, ScaleInCooldown: 300 * sec,
			ScaleInMargin: 0.1, AlarmPeriod: min_, ScaleOutDatapoints: 3, ScaleInDatapoints: 15}},
		{"DefaultStepPolicy", autoscale.DefaultStepPolicy(70, autoscale.GreaterThan), autoscale.StepPolicy{
			Threshold: 70, Comparison: autoscale.GreaterThan, AdjustmentType: autoscale.ChangeInCapacity,
			Cooldown: 300 * sec, AlarmPeriod: min_, EvaluationPeriods: 1}},
		{"Minute", autoscale.Minute, 60 * autoscale.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %+v, want %+v", tt.got, tt.want)
			}
		})
	}
}
