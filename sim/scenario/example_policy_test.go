package scenario_test

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
	"github.com/clustersim/clustersim/sim/scenario"
)

// perInstanceRate is a user's own policy: one instance per 20 req/s of
// traffic, rounded to the nearest, between 1 and 20 instances.
type perInstanceRate struct{}

func (perInstanceRate) Name() string { return "per-20-rps" }

func (perInstanceRate) Decide(obs autoscale.Observation) (autoscale.Decision, error) {
	total := 0.0
	for _, p := range obs.Pods {
		if p.HasMetric {
			total += p.Metric
		}
	}
	if total == 0 {
		return autoscale.Decision{Desired: obs.Current, Recommended: obs.Current, Reason: "NoMetrics"}, nil
	}
	want := min(max(int(total/20+0.5), 1), 20)
	return autoscale.Decision{Desired: want, Recommended: want, Metric: total, Reason: "TwentyPerInstance"}, nil
}

// ExampleUsePolicy runs a scenario with a Go policy of your own in place of
// the built-in autoscalers: 100 req/s at 20 req/s per instance settles at
// 5 instances.
func ExampleUsePolicy() {
	cfg, err := scenario.Parse("custom.toml", []byte(`
[sim]
duration = "10m"
[[workload]]
name = "w"
target = "api"
rate = 100
service_time = { dist = "constant", value = "100ms" }
[[service]]
name = "api"
replicas = 1
concurrency = 4
queue = 100
`), nil)
	if err != nil {
		panic(err)
	}
	mc, _, err := scenario.Build(cfg)
	if err != nil {
		panic(err)
	}
	if err := scenario.UsePolicy(&mc, "api", perInstanceRate{}, autoscale.MetricRPS); err != nil {
		panic(err)
	}
	cluster, err := models.New(mc)
	if err != nil {
		panic(err)
	}
	sum, err := cluster.Run(nil, nil)
	if err != nil {
		panic(err)
	}
	last := sum.Scaling[len(sum.Scaling)-1]
	fmt.Printf("policy %s settled at %d instances\n", last.Policy, last.Desired)
	// Output:
	// policy per-20-rps settled at 5 instances
}
