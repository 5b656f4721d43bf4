package assertion_test

import (
	"errors"
	"math"
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

// TestEvaluateMissing pins the missing-figure rule (DESIGN.md: a figure
// that does not exist is null, never 0): a p99 of a run in which nothing
// succeeded, or an error ratio of a run with no request, fails every
// bound, with a reason instead of a value. Before, p99 = 0 passed.
func TestEvaluateMissing(t *testing.T) {
	nan := math.NaN()
	sum := &results.Summary{
		Requests:  results.Requests{Total: 0, ErrorRatio: nan},
		LatencyMs: results.Latency{Mean: nan, P50: nan, P90: nan, P95: nan, P99: nan, P999: nan, Max: nan},
		Services: map[string]results.ServiceSummary{"api": {
			LatencyMs: results.ServiceLatency{Latency: results.Latency{P99: 12}, WorstWindowP99: nan},
		}},
	}
	tests := []struct {
		spec   assertion.Spec
		ok     bool
		reason string
	}{
		{assertion.Spec{Name: "p99", Metric: "latency_ms.p99", Max: ptr(250)}, false, "no successful requests"},
		{assertion.Spec{Name: "p99 floor", Metric: "latency_ms.p99", Min: ptr(0)}, false, "no successful requests"},
		{assertion.Spec{Name: "worst window", Metric: "services.api.latency_ms.worst_window_p99", Max: ptr(250)}, false, "no successful requests"},
		{assertion.Spec{Name: "errors", Metric: "requests.error_ratio", Max: ptr(0.005)}, false, "no requests"},
		{assertion.Spec{Name: "service p99 present", Metric: "services.api.latency_ms.p99", Max: ptr(250)}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.spec.Name, func(t *testing.T) {
			got, err := assertion.Evaluate(sum, []assertion.Spec{tt.spec})
			if err != nil {
				t.Fatal(err)
			}
			a := got[0]
			if a.OK != tt.ok || a.Reason != tt.reason || (!tt.ok && !math.IsNaN(a.Value)) {
				t.Errorf("got %+v, want ok=%v reason=%q value NaN", a, tt.ok, tt.reason)
			}
		})
	}
	if _, err := assertion.Evaluate(sum, []assertion.Spec{{Name: "w", Series: "api.p99_ms", Agg: assertion.AggMax}}); !errors.Is(err, assertion.ErrNeedsSeries) {
		t.Errorf("windowed spec without a tracker: err = %v, want ErrNeedsSeries", err)
	}
}

func TestPaths(t *testing.T) {
	p := assertion.Paths([]string{"api"}, []string{"shoppers"}, []string{"pool"})
	for _, want := range []string{"latency_ms.p99", "services.api.replicas.max", "requests.rejected", "cost.total_usd", "workloads.shoppers.offered_rps", "requests.error_ratio", "services.api.requests.error_ratio", "workloads.shoppers.requests.error_ratio", "services.api.latency_ms.worst_window_p99", "services.api.utilization.mean", "node_pools.pool.nodes.max", "cost.node_pools.pool"} {
		if !slices.Contains(p, want) {
			t.Errorf("paths lack %s", want)
		}
	}
}

// TestFlattenJSONSkipsNull: a stored summary.json read back (baselines)
// has no number where a figure was missing.
func TestFlattenJSONSkipsNull(t *testing.T) {
	flat, err := assertion.FlattenJSON([]byte(`{"latency_ms": {"p99": null, "max": 3}, "requests": {"error_ratio": 1}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := flat["latency_ms.p99"]; ok || flat["latency_ms.max"] != 3 || flat["requests.error_ratio"] != 1 {
		t.Errorf("flat = %v", flat)
	}
}
