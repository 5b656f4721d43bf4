package reports

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/results"
)

func TestCheckFinite(t *testing.T) {
	cases := []struct {
		name string
		s    results.Summary
		want string
	}{
		{"finite", results.Summary{ThroughputRPS: 3, LatencyMs: results.Latency{P99: math.NaN()}}, ""},
		{"total cost", results.Summary{Cost: results.Cost{TotalUSD: math.Inf(1)}}, "reports: cost.total_usd is infinite: a computation overflowed"},
		{"service cost", results.Summary{Cost: results.Cost{Services: map[string]float64{"b": math.Inf(-1), "a": 1}}}, "reports: cost.services.b is infinite: a computation overflowed"},
	}
	for _, tc := range cases {
		err := CheckFinite(&tc.s)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	if err := WriteSummary(t.TempDir(), &results.Summary{Cost: results.Cost{TotalUSD: math.Inf(1)}}); err == nil {
		t.Error("WriteSummary wrote an infinite cost")
	}
}
