package reports_test

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/results"
)

var update = flag.Bool("update", false, "rewrite golden files")

// checkGolden compares got with testdata/name, or rewrites it under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports/ -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden (inspect, then rerun with -update)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

// listDir returns the names in dir, failing the test on error.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// assertNoTemp fails if dir holds a temporary file.
func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	for _, n := range listDir(t, dir) {
		if strings.HasPrefix(n, ".tmp") || strings.HasSuffix(n, ".tmp") {
			t.Errorf("temporary file left behind: %s", n)
		}
	}
}

// sampleSummary is a hand-built summary with two services, one NaN, a nil
// map (Workloads) and a nil slice (Scaling).
func sampleSummary() *results.Summary {
	return &results.Summary{
		Scenario:     "flash-sale",
		Seed:         42,
		SimDurationS: 1740,
		WarmupS:      60,
		Events:       1234567,
		Requests:     results.Requests{Total: 100000, OK: 99000, Errors: 1000, Timeouts: 600, Rejected: 350, Failed: 50, Retries: 12, ErrorRatio: 0.01},
		LatencyMs: results.Latency{
			Mean: 23.456789, P50: 12.3, P90: 40.00001, P95: 55.55555, P99: 120.123456, P999: 240, Max: 612.9,
		},
		ThroughputRPS: 56.896551724137936,
		Services: map[string]results.ServiceSummary{
			"db": {
				Replicas:    results.Stat{Min: 2, Max: 2, Mean: 2},
				Utilization: results.Stat{Min: 0.1, Max: 0.5, Mean: 1.0 / 3},
				QueueMax:    3, InstanceSeconds: 3480,
				WaitMsMean: math.NaN(), // missing: must come out as null
			},
			"api": {
				Replicas:    results.Stat{Min: 3, Max: 8, Mean: 4.56789},
				Utilization: results.Stat{Min: 0.2, Max: 0.97, Mean: 0.6321},
				ColdStarts:  5, QueueMax: 120, QueueMean: 0, InstanceSeconds: 7946.12345, // an Inf is refused by WriteSummary (CheckFinite)
			},
		},
		Cost: results.Cost{TotalUSD: 0.7421, Services: map[string]float64{"api": 0.5, "db": 0.2421}},
		Assertions: []results.Assertion{
			{Name: "p99 under 250ms", Metric: "latency_ms.p99", OK: true, Value: 120.123456, Limit: "<= 250"},
			{Name: "error rate under 0.5%", Metric: "requests.error_rate", OK: false, Value: 0.01, Limit: "<= 0.005"},
		},
	}
}

// sampleSeries is a synthetic series for services api and db over n
// windows of stepS seconds, with every contract column and a few NaNs.
func sampleSeries(n int, stepS float64) *results.Series {
	metrics := []string{"rps", "errors", "p50_ms", "p95_ms", "p99_ms", "utilization", "queue",
		"replicas_desired", "replicas_ready", "replicas_starting", "connections", "cold_starts"}
	s := &results.Series{}
	for _, svc := range []string{"api", "db"} {
		for _, m := range metrics {
			s.Columns = append(s.Columns, svc+"."+m)
		}
	}
	for i := range n {
		t := float64(i+1) * stepS
		row := make([]float64, 0, len(s.Columns))
		for k := range 2 {
			x := float64(i) / float64(max(n-1, 1))
			load := 100 + 400*math.Sin(math.Pi*x)*float64(2-k)
			p50 := 10 + 20*x
			if i == 3 {
				p50 = math.NaN() // a window with no completions
			}
			row = append(row,
				load, load*0.01*x, p50, p50*2.5, p50*4,
				math.Min(1, load/600), 50*x*x,
				float64(3+i/4), float64(3+max(i-2, 0)/4), float64(i%4/3),
				load/10, float64(i%4/3))
		}
		s.Times = append(s.Times, t)
		s.Rows = append(s.Rows, row)
	}
	return s
}
