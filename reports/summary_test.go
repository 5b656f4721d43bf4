package reports_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/results"
)

func TestWriteSummaryGolden(t *testing.T) {
	dir := t.TempDir()
	s := sampleSummary()
	if err := reports.WriteSummary(dir, s); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, reports.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "summary.json", got)
	assertNoTemp(t, dir)

	var m map[string]any
	if err := json.Unmarshal(got, &m); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	if _, ok := m["workloads"].(map[string]any); !ok {
		t.Errorf("nil workloads map written as %v, want {}", m["workloads"])
	}
	if _, ok := m["scaling_decisions"].([]any); !ok {
		t.Errorf("nil scaling slice written as %v, want []", m["scaling_decisions"])
	}
	if !math.IsNaN(s.Services["db"].WaitMsMean) {
		t.Error("WriteSummary modified its input")
	}
}

func TestMarshalSummaryEmpty(t *testing.T) {
	b, err := reports.MarshalSummary(&results.Summary{})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["services"].(map[string]any); !ok {
		t.Errorf("services = %v, want {}", m["services"])
	}
	if _, ok := m["assertions"].([]any); !ok {
		t.Errorf("assertions = %v, want []", m["assertions"])
	}
	if cost := m["cost"].(map[string]any); cost["services"] == nil {
		t.Error("cost.services = null, want {}")
	}
}

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{-0.00001, "0"},
		{1, "1"},
		{10, "10"},
		{0.25, "0.25"},
		{1.0 / 3, "0.3333"},
		{2.0 / 3, "0.6667"},
		{-2.5, "-2.5"},
		{123456.789049, "123456.789"},
		{1e-5, "0"},
		{5e-5, "0.0001"},
		{1e21, "1000000000000000000000"},
		{math.NaN(), ""}, // missing figure: empty, never 0 (DESIGN.md)
		{math.Inf(1), ""},
		{math.Inf(-1), ""},
	}
	for _, tt := range tests {
		if got := reports.FormatFloat(tt.in); got != tt.want {
			t.Errorf("FormatFloat(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMarshalSummaryMissingIsNull pins DESIGN.md's rule for summary.json:
// a figure that does not exist (the p99 of a run in which nothing
// succeeded) is null, never 0, and the keys stay where they were.
func TestMarshalSummaryMissingIsNull(t *testing.T) {
	nan := math.NaN()
	s := &results.Summary{
		Requests:  results.Requests{Total: 10, Errors: 10, Rejected: 10, ErrorRatio: 1},
		LatencyMs: results.Latency{Mean: nan, P50: nan, P90: nan, P95: nan, P99: nan, P999: nan, Max: nan},
		Services: map[string]results.ServiceSummary{"api": {
			LatencyMs: results.ServiceLatency{Latency: results.Latency{P99: 12.34567}, WorstWindowP99: nan},
		}},
		Assertions: []results.Assertion{{Name: "p99", Metric: "latency_ms.p99", Value: nan, Limit: "<= 250", Reason: "no successful requests"}},
	}
	b, err := reports.MarshalSummary(s)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		`"error_ratio": 1`,
		"\"latency_ms\": {\n    \"mean\": null,\n    \"p50\": null,\n    \"p90\": null,\n    \"p95\": null,\n    \"p99\": null,\n    \"p999\": null,\n    \"max\": null\n  }",
		`"p99": 12.3457`,
		`"worst_window_p99": null`,
		`"value": null`,
		`"reason": "no successful requests"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary.json lacks %s:\n%s", want, got)
		}
	}
}
