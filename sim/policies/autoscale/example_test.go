package autoscale_test

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// QueueThreshold is a user-written policy: one more instance when the
// queue per instance is above High, one fewer when it is below Low.
type QueueThreshold struct {
	High, Low float64 // queued requests per instance
	Min, Max  int     // replica bounds
}

// Name implements autoscale.Policy.
func (q *QueueThreshold) Name() string { return "queue_threshold" }

// Decide implements autoscale.Policy.
func (q *QueueThreshold) Decide(obs autoscale.Observation) (autoscale.Decision, error) {
	if !obs.HasExternal {
		return autoscale.Decision{Desired: obs.Current, Recommended: obs.Current, Reason: autoscale.ReasonNoMetrics}, nil
	}
	per := obs.External / float64(max(obs.Current, 1))
	d := autoscale.Decision{Desired: obs.Current, Metric: per, Reason: "WithinBand"}
	switch {
	case per > q.High && obs.Current < q.Max:
		d.Desired, d.Reason = obs.Current+1, "QueueHigh"
	case per < q.Low && obs.Current > q.Min:
		d.Desired, d.Reason = obs.Current-1, "QueueLow"
	}
	d.Recommended = d.Desired
	return d, nil
}

// Example plugs a custom policy into the simulator's loop, wrapped in a
// schedule that raises the minimum to 3 instances at 60 s.
func Example() {
	var p autoscale.Policy = &QueueThreshold{High: 10, Low: 2, Min: 1, Max: 5}
	p, err := autoscale.NewScheduled([]autoscale.ScheduledAction{{At: engine.Time(autoscale.Minute), Min: 3, Max: 5}}, p)
	if err != nil {
		panic(err)
	}
	current := 2
	for i, queue := range []float64{50, 60, 40, 20, 0, 0} {
		now := engine.Time(0).Add(autoscale.Second.Mul(15 * int64(i)))
		d, _ := p.Decide(autoscale.Observation{Now: now, Current: current, External: queue, HasExternal: true})
		fmt.Printf("t=%2ds queue=%2.0f replicas %d -> %d %s\n", int(now.Seconds()), queue, current, d.Desired, d.Reason)
		current = d.Desired // the simulator applies the decision
	}
	// Output:
	// t= 0s queue=50 replicas 2 -> 3 QueueHigh
	// t=15s queue=60 replicas 3 -> 4 QueueHigh
	// t=30s queue=40 replicas 4 -> 4 WithinBand
	// t=45s queue=20 replicas 4 -> 4 WithinBand
	// t=60s queue= 0 replicas 4 -> 3 QueueLow
	// t=75s queue= 0 replicas 3 -> 3 TooFewReplicas
}

// ExampleHPA shows the Kubernetes default scale-up rate (4 pods or 100%
// per 15 s) under a load of 2400 rps with a target of 100 rps per pod.
func ExampleHPA() {
	cfg := autoscale.DefaultHPAConfig()
	cfg.Metric, cfg.Target, cfg.Max = autoscale.MetricRPS, 100, 30
	hpa, err := autoscale.NewHPA(cfg)
	if err != nil {
		panic(err)
	}
	current := 1
	for i := range 5 {
		now := engine.Time(0).Add(cfg.SyncPeriod.Mul(int64(i)))
		pods := make([]autoscale.PodSample, current)
		for j := range pods {
			pods[j] = autoscale.PodSample{Ready: true, HasMetric: true, Metric: 2400 / float64(current)}
		}
		d, _ := hpa.Decide(autoscale.Observation{Now: now, Current: current, Pods: pods})
		fmt.Printf("t=%2ds %2d -> %2d at %4.0f rps/pod: %s\n", int(now.Seconds()), current, d.Desired, d.Metric, d.Reason)
		current = d.Desired
	}
	// Output:
	// t= 0s  1 ->  5 at 2400 rps/pod: ScaleUpLimit
	// t=15s  5 -> 10 at  480 rps/pod: ScaleUpLimit
	// t=30s 10 -> 20 at  240 rps/pod: ScaleUpLimit
	// t=45s 20 -> 24 at  120 rps/pod: DesiredWithinRange
	// t=60s 24 -> 24 at  100 rps/pod: WithinTolerance
}
