package reports_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/reports"
)

// writeRun writes a run folder holding summary and timeseries.
func writeRun(t *testing.T, summary, timeseries string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{"summary.json": summary, "timeseries.csv": timeseries} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// compareRuns are two runs of two services: the second has an error
// ratio and a window with no successful request (an empty p99), which
// must be a gap in the plot and not a zero.
func compareRuns(t *testing.T) []*reports.CompareRun {
	a := writeRun(t, `{"scenario": "sale/hpa70", "seed": 11, "requests": {"total": 1000, "errors": 10},
 "latency_ms": {"p50": 20.5, "p95": 80, "p99": 120.25},
 "cost": {"total_usd": 1.5},
 "services": {"web": {"instance_seconds": 3600, "replicas": {"max": 3}},
              "api": {"instance_seconds": 7200, "replicas": {"max": 4}}}}`,
		"time_s,api.rps,api.p99_ms,api.replicas_ready,web.p99_ms,web.replicas_ready,api@v2.p99_ms\n"+
			"10,100,110,4,50,3,1\n20,100,130,4,55,3,1\n30,100,120,3,52,2,1\n")
	b := writeRun(t, `{"scenario": "sale/hpa40", "seed": 11, "requests": {"total": 1000, "errors": 40, "error_ratio": 0.04},
 "latency_ms": {"p50": 25, "p95": 90, "p99": null},
 "cost": {"total_usd": 2},
 "services": {"api": {"instance_seconds": 10800, "replicas": {"max": 6}},
              "web": {"instance_seconds": 3600, "replicas": {"max": 3}}}}`,
		"time_s,api.rps,api.p99_ms,api.replicas_ready,web.p99_ms,web.replicas_ready\n"+
			"10,100,150,5,60,3\n20,100,,6,58,3\n30,100,140,6,51,3\n")
	var runs []*reports.CompareRun
	for i, dir := range []string{a, b} {
		r, err := reports.ReadRun(dir, []string{"hpa70", "hpa40"}[i])
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	return runs
}

// TestCompareGolden pins compare.csv and compare.html (regenerate with
// `go test ./reports -update` after inspecting the diff).
func TestCompareGolden(t *testing.T) {
	runs := compareRuns(t)
	checkGolden(t, "compare.csv", reports.CompareCSV(runs))
	html, err := reports.CompareHTML(runs)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "compare.html", html)
	for _, want := range []string{
		"hpa40",
		"&#43;30 (&#43;300.0%)", // errors against the reference ("+" escaped)
		"&#43;1 (&#43;33.3%)",   // instance-hours: 4 h against 3 h
		`<script`,               // must not appear: see below
		"Latency p99 over time", // one overlay per metric
		"Ready replicas over time",
	} {
		if want == `<script` {
			if strings.Contains(string(html), want) {
				t.Errorf("compare.html runs a script")
			}
			continue
		}
		if !strings.Contains(string(html), want) {
			t.Errorf("compare.html lacks %q", want)
		}
	}
	// hpa40's api p99 has an empty window: its line is two polylines (a
	// gap), and its api replicas one: three solid lines in hpa40's colour.
	if n := strings.Count(string(html), `stroke="#D55E00" stroke-width="1.6" points=`); n != 3 {
		t.Errorf("hpa40's api lines drawn as %d polylines, want 3 (a gap for the empty window)", n)
	}
}

// TestCompareFigures: the CSV row is whole counts, figures to 4 decimals,
// and an empty field for a figure the summary lacks or gives as null.
func TestCompareFigures(t *testing.T) {
	runs := compareRuns(t)
	tests := []struct {
		run  int
		want string
	}{
		{0, "1000,10,,20.5,80,120.25,1.5,3,7"},
		{1, "1000,40,0.04,25,90,,2,4,9"},
	}
	for _, tt := range tests {
		if got := strings.Join(runs[tt.run].Cells(), ","); got != tt.want {
			t.Errorf("run %d: got %s, want %s", tt.run, got, tt.want)
		}
	}
}

// TestComparePairing: compare.html says the runs are paired only when all
// are variants of one scenario on one seed.
func TestComparePairing(t *testing.T) {
	tests := []struct {
		name, scenario, seed string
		paired               bool
	}{
		{"variants of one scenario", "sale/hpa40", "11", true},
		{"another seed", "sale/hpa40", "12", false},
		{"another scenario", "spike/hpa40", "11", false},
		{"not a variant", "sale", "11", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs := compareRuns(t)
			runs[1].Scenario, runs[1].Seed = tt.scenario, tt.seed
			html, err := reports.CompareHTML(runs)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(string(html), "All are variants of sale on seed 11"); got != tt.paired {
				t.Errorf("paired = %v, want %v", got, tt.paired)
			}
		})
	}
}

// TestReadRunWithoutSummary: a folder that is not a run's outputs is
// ErrNoSummary (the CLI's exit 2).
func TestReadRunWithoutSummary(t *testing.T) {
	_, err := reports.ReadRun(t.TempDir(), "x")
	if !errors.Is(err, reports.ErrNoSummary) {
		t.Fatalf("got %v, want ErrNoSummary", err)
	}
}
