package scenario_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/assertion"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/results"
	"github.com/clustersim/clustersim/sim/scenario"
)

// honestSrc is a small healthy service with a summary p99 gate, an error
// ratio gate and a windowed p99 gate. Overrides break it.
const honestSrc = `
[sim]
duration = "2m"
warmup = "20s"
window = "10s"
seed = 3

[[workload]]
name = "users"
target = "api"
rate = 50
service_time = { dist = "exponential", mean = "10ms" }
timeout = "2s"

[[service]]
name = "api"
replicas = 2
concurrency = 4
queue = 10

[[assert]]
name = "p99 under 250 ms"
metric = "latency_ms.p99"
max = 250

[[assert]]
name = "errors under 0.5%"
metric = "requests.error_ratio"
max = 0.005

[[assert]]
name = "p99 under 250 ms in every window after warm-up"
series = "api.p99_ms"
agg = "max"
max = 250
`

// runHonest parses honestSrc with overrides, runs it with the assertions'
// tracker in the row sink, as clustersim does, and evaluates.
func runHonest(t *testing.T, sets ...string) (*results.Summary, []results.Assertion) {
	t.Helper()
	cfg, err := scenario.Parse("honest.toml", []byte(honestSrc), sets)
	if err != nil {
		t.Fatal(err)
	}
	mc, specs, err := scenario.Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, err := models.New(mc)
	if err != nil {
		t.Fatal(err)
	}
	tr := assertion.NewTracker(specs, nil)
	sum, err := c.Run(tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tr.Evaluate(sum)
	if err != nil {
		t.Fatal(err)
	}
	return sum, got
}

// TestNothingSucceedsFailsLatencyGates is issue 10's first defect: a run
// in which no request succeeds reported p99 = 0 and passed a p99 gate.
// A percentile of no sample does not exist (DESIGN.md: null, never 0), so
// every latency gate fails with the reason, and the error ratio is 1.
func TestNothingSucceedsFailsLatencyGates(t *testing.T) {
	const noWindow = "no successful requests in any of 10 windows from 20s to 2m"
	tests := []struct {
		name       string
		sets       []string
		errorRatio float64
		want       []string // per assertion: "PASS", or "FAIL value" or "FAIL reason"
	}{
		{"healthy", nil, 0, []string{"PASS", "PASS", "PASS"}},
		{"no replicas: every request rejected", []string{"service.api.replicas=0"}, 1,
			[]string{"FAIL no successful requests", "FAIL 1", "FAIL " + noWindow}},
		{"every request times out", []string{`workload.users.service_time={dist="constant", value="50ms"}`, "workload.users.timeout=20ms"}, 1,
			[]string{"FAIL no successful requests", "FAIL 1", "FAIL " + noWindow}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, got := runHonest(t, tt.sets...)
			if r := sum.Requests.ErrorRatio; r != tt.errorRatio {
				t.Errorf("requests.error_ratio = %v, want %v", r, tt.errorRatio)
			}
			// worst_window_p99 is the windowed max(api.p99_ms) after
			// warm-up, computed in the model instead of the row sink.
			if w, a := sum.Services["api"].LatencyMs.WorstWindowP99, got[2]; w != a.Value && !(math.IsNaN(w) && math.IsNaN(a.Value)) {
				t.Errorf("worst_window_p99 = %v, windowed max p99 = %v", w, a.Value)
			}
			if tt.errorRatio == 1 {
				for name, v := range map[string]float64{
					"latency_ms.p99": sum.LatencyMs.P99, "latency_ms.max": sum.LatencyMs.Max,
					"services.api.latency_ms.p50":              sum.Services["api"].LatencyMs.P50,
					"services.api.latency_ms.worst_window_p99": sum.Services["api"].LatencyMs.WorstWindowP99,
					"workloads.users.latency_ms.p99":           sum.Workloads["users"].LatencyMs.P99,
				} {
					if !math.IsNaN(v) {
						t.Errorf("%s = %v, want missing (NaN)", name, v)
					}
				}
			}
			for i, a := range got {
				var res string
				switch {
				case a.OK:
					res = "PASS"
				case a.Reason != "":
					res = "FAIL " + a.Reason
				default:
					res = "FAIL " + strconv.FormatFloat(a.Value, 'f', -1, 64)
				}
				if res != tt.want[i] {
					t.Errorf("%s: %s, want %s", a.Name, res, tt.want[i])
				}
			}
		})
	}
}

// TestWindowedAssertValidation: windowed assertion keys are checked at
// parse time with file, line and key, and a suggestion.
func TestWindowedAssertValidation(t *testing.T) {
	tests := []struct {
		name string
		add  string
		want string
	}{
		{"unknown column", `series = "api.p99ms"
agg = "max"
max = 1`, `honest.toml:39:1: assert.w.series: timeseries.csv has no column "api.p99ms" (did you mean "api.p99_ms"?)`},
		{"series and metric", `series = "api.p99_ms"
metric = "latency_ms.p99"
agg = "max"
max = 1`, "series and metric are mutually exclusive"},
		{"agg required", `series = "api.p99_ms"
max = 1`, "assert.w.agg: required with series (max | min | mean | last)"},
		{"unknown agg", `series = "api.p99_ms"
agg = "maximum"
max = 1`, `"maximum"`},
		{"from after to", `series = "api.p99_ms"
agg = "max"
from = "1m"
to = "30s"
max = 1`, "to 30s must be after from 1m"},
		{"to beyond the run", `series = "api.p99_ms"
agg = "max"
to = "5m"
max = 1`, "to 5m is outside the run (duration 2m)"},
		{"from on a summary metric", `metric = "latency_ms.p99"
from = "1m"
max = 1`, "from applies to a windowed assertion only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := honestSrc + "\n[[assert]]\nname = \"w\"\n" + tt.add + "\n"
			_, err := scenario.Parse("honest.toml", []byte(src), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}
