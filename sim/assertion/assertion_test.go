package assertion_test

import (
	"slices"
	"testing"

	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/results"
)

func ptr(v float64) *float64 { return &v }

func TestEvaluate(t *testing.T) {
	sum := &results.Summary{
		LatencyMs: results.Latency{P99: 180},
		Services:  map[string]results.ServiceSummary{"api": {Replicas: results.Stat{Max: 12}}},
	}
	cases := []struct {
		spec  assertion.Spec
		ok    bool
		value float64
		limit string
	}{
		{assertion.Spec{Name: "p99", Metric: "latency_ms.p99", Max: ptr(250)}, true, 180, "<= 250"},
		{assertion.Spec{Name: "p99 tight", Metric: "latency_ms.p99", Max: ptr(100)}, false, 180, "<= 100"},
		{assertion.Spec{Name: "replicas", Metric: "services.api.replicas.max", Min: ptr(3), Max: ptr(20)}, true, 12, ">= 3, <= 20"},
		{assertion.Spec{Name: "too few", Metric: "services.api.replicas.max", Min: ptr(13)}, false, 12, ">= 13"},
		// Bounds are inclusive.
		{assertion.Spec{Name: "edge", Metric: "latency_ms.p99", Min: ptr(180), Max: ptr(180)}, true, 180, ">= 180, <= 180"},
	}
	for _, c := range cases {
		got, err := assertion.Evaluate(sum, []assertion.Spec{c.spec})
		if err != nil {
			t.Fatal(err)
		}
		a := got[0]
		if a.OK != c.ok || a.Value != c.value || a.Limit != c.limit || a.Name != c.spec.Name {
			t.Errorf("%s: got %+v", c.spec.Name, a)
		}
	}
	if _, err := assertion.Evaluate(sum, []assertion.Spec{{Name: "x", Metric: "latency_ms.p98", Max: ptr(1)}}); err == nil {
		t.Error("unknown metric accepted")
	}
}

func TestPaths(t *testing.T) {
	p := assertion.Paths([]string{"api"}, []string{"shoppers"}, []string{"pool"})
	for _, want := range []string{"latency_ms.p99", "services.api.replicas.max", "requests.rejected", "cost.total_usd", "workloads.shoppers.offered_rps", "services.api.utilization.mean", "node_pools.pool.nodes.max", "cost.node_pools.pool"} {
		if !slices.Contains(p, want) {
			t.Errorf("paths lack %s", want)
		}
	}
}
