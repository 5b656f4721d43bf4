// Package autoscale holds clustersim's autoscaling decisions: pure,
// deterministic policies that read an Observation (each instance's phase,
// readiness and newest metric sample or the absence of one, an external
// total or its absence, the current replica count and the simulated time)
// and return a Decision (desired replicas, the recommendation before
// limits, the metric acted on, and a Reason). The simulator builds the
// Observation itself each sync (sim/models); a policy returns an error
// only when it failed itself, never for a missing metric. They never read a clock or do I/O; time is
// Observation.Now, an engine.Time of simulated time, and any history
// a policy needs (stabilisation windows, cooldowns, forecast samples)
// lives in the policy value itself, so each service gets its own.
//
// Policies:
//   - HPA: the Kubernetes Horizontal Pod Autoscaler (autoscaling/v2),
//     reproducing replica_calculator.go and the behavior normalisation of
//     horizontal.go (tolerance, unready and missing pods, stabilisation
//     windows, Pods/Percent rate limits, selectPolicy, min/max).
//   - TargetTracking and StepScaling: AWS Application Auto Scaling, acting
//     on CloudWatch-style alarms over one-minute datapoints (alarm.go),
//     with its cooldown semantics.
//   - Scheduled: time-ordered actions setting bounds (and a desired
//     count), alone or around another policy.
//   - Predictive: provisions for last period's load one lead time ahead,
//     never below a reactive inner policy.
//
// Users add their own by implementing Policy. The simulator calls Decide
// every sync period and applies the result:
//
//	cfg := autoscale.DefaultHPAConfig()
//	cfg.Metric, cfg.Target, cfg.Min, cfg.Max = autoscale.MetricCPU, 0.7, 2, 50
//	hpa, err := autoscale.NewHPA(cfg)
//	if err != nil { ... }
//	for now := cfg.SyncPeriod; now <= horizon; now += cfg.SyncPeriod {
//		d, err := hpa.Decide(autoscale.Observation{Now: now, Current: replicas, Pods: observe()})
//		if err != nil { ... } // the policy failed: stop
//		replicas = d.Desired // d.Reason says why, e.g. "ScaleUpLimit"
//	}
//
// Policies compose: NewScheduled(actions, hpa) changes the HPA's bounds
// at scheduled times, NewPredictive(cfg, hpa) raises its decisions ahead
// of recurring load. HPA.Normalize pairs a recommender of your own with
// Kubernetes' normalisation; HPA.State and HPA.Restore save and seed its
// history. ExampleHPA is the loop above, run.
package autoscale
