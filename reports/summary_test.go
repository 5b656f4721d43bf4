package reports_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
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
