package main

import (
	"fmt"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
	"github.com/clustersim/clustersim/sim/results"
	"github.com/clustersim/clustersim/sim/scenario"
)

// annotations collects what the plots mark besides the series: the
// warm-up, each workload's rate changes, each scaling decision that
// changed the desired replicas, node failures, assertion limits on plotted
// metrics and the utilisation target of cpu autoscalers that track one
// (hpa, target_tracking, predictive; the policy's default when unset).
func annotations(sc *scenario.Config, asserts []assertion.Spec, sum *results.Summary) *reports.Annotations {
	a := &reports.Annotations{WarmupS: sc.Sim.Warmup.Seconds()}
	targets := map[string]string{}
	for _, w := range sc.Workloads {
		targets[w.Name] = w.Target
		for _, p := range w.Schedule {
			a.Events = append(a.Events, reports.Event{
				TimeS: p.At.Seconds(), Kind: reports.EventSchedule, Service: w.Target,
				Label: reports.FormatFloat(p.Rate) + "/s",
			})
		}
	}
	if sum != nil {
		for _, d := range sum.Scaling {
			kind := reports.EventScaleUp
			if d.Desired < d.Current {
				kind = reports.EventScaleDown
			}
			a.Events = append(a.Events, reports.Event{
				TimeS: d.TimeS, Kind: kind, Service: d.Service,
				Label: fmt.Sprintf("%d→%d", d.Current, d.Desired),
			})
		}
	}
	for _, p := range sc.NodePools {
		for _, f := range p.Failures {
			a.Events = append(a.Events, reports.Event{
				TimeS: f.At.Seconds(), Kind: reports.EventNodeFailure,
				Label: fmt.Sprintf("%d× %s down", f.Count, p.Name),
			})
		}
	}
	for _, s := range asserts {
		a.Limits = append(a.Limits, reports.AssertLimits(s.Name, s.Metric, s.Min, s.Max, targets)...)
	}
	for _, s := range sc.Services {
		as := s.Autoscaler
		if as == nil || (as.Metric != "" && as.Metric != scenario.MetricCPU) {
			continue
		}
		target := as.Target
		switch as.Kind {
		case scenario.AutoscalerHPA:
			if target <= 0 {
				target = autoscale.DefaultHPAConfig().Target
			}
		case scenario.AutoscalerTargetTracking:
			if target <= 0 {
				target = autoscale.DefaultTargetTrackingConfig().Target
			}
		case scenario.AutoscalerPredictive: // its inner HPA tracks the same target
		default:
			continue // no utilisation target: a step threshold, a schedule, an external policy
		}
		if target > 0 {
			a.Limits = append(a.Limits, reports.TargetLimit(s.Name, string(as.Kind), target))
		}
	}
	return a
}
