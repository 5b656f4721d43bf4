package scenario_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/scenario"
)

// runToSummary parses, builds and runs src, and returns the summary.
func runToSummary(t *testing.T, src string) []byte {
	t.Helper()
	cfg, err := scenario.Parse("x.toml", []byte(src), nil)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	mc, _, err := scenario.Build(cfg)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	defer scenario.Close(mc)
	c, err := models.New(mc)
	if err != nil {
		t.Fatalf("models: %v", err)
	}
	sum, err := c.Run(nil, nil)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if err := reports.CheckFinite(sum); err != nil {
		t.Fatalf("summary: %v", err)
	}
	b, err := reports.MarshalSummary(sum) // missing figures (NaN) are null
	if err != nil {
		t.Fatalf("summary: %v", err)
	}
	return b
}

// TestHugeDurationsSaturate runs scenarios that validate accepts and
// whose draws overflow int64 nanoseconds (issue 11): each must run to the
// end instead of panicking with "schedule in the past".
func TestHugeDurationsSaturate(t *testing.T) {
	base := `[sim]
duration = "1m"
[[workload]]
name = "w"
target = "api"
rate = 50
%s
[[service]]
name = "api"
concurrency = 4
%s
`
	cases := []struct{ name, workload, service string }{
		{"pareto alpha 0.2", `service_time = { dist = "pareto", alpha = 0.2, xm = "10ms" }`, ""},
		{"pareto alpha 0.05", `service_time = { dist = "pareto", alpha = 0.05, xm = "1s" }`, ""},
		{"lognormal mu 50", `service_time = { dist = "lognormal", mu = 50, sigma = 1 }`, ""},
		{"exponential 106751d", `service_time = { dist = "exponential", mean = "106751d" }`, ""},
		{"slow factor 1e15", `service_time = { dist = "constant", value = "10ms" }`, "slow = { instances = 1, factor = 1e15 }"},
		{"warmup slowdown 1e15", `service_time = { dist = "constant", value = "10ms" }`, `warmup = { duration = "30s", slowdown = 1e15 }`},
		{"startup 106751d", `service_time = { dist = "constant", value = "10ms" }`, `replicas = 0
process_start = { dist = "exponential", mean = "106751d" }
autoscaler = { kind = "hpa", min = 1, max = 2 }`},
		{"node provision 106751d", `service_time = { dist = "constant", value = "10ms" }`, `node_pool = "p"
autoscaler = { kind = "hpa", min = 1, max = 8, target = 0.1 }
[[node_pool]]
name = "p"
cpu = 1
nodes = 1
max = 4
provision = { dist = "exponential", mean = "106751d" }`},
		{"termination grace 106751d", `service_time = { dist = "constant", value = "10ms" }`, `termination_grace = "106751d"
autoscaler = { kind = "scheduled", min = 1, max = 3, schedule = [{ at = "20s", desired = 3 }, { at = "40s", desired = 1 }] }`},
		{"readiness period huge", `service_time = { dist = "constant", value = "10ms" }`, `readiness = { period = "106751d", success_threshold = 3 }`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(strings.Replace(base, "%s", tc.workload, 1), "%s", tc.service, 1)
			runToSummary(t, src)
		})
	}
}

func TestNoInfInSummary(t *testing.T) {
	b := runToSummary(t, `[sim]
duration = "10h"
window = "1h"
[[workload]]
name = "w"
target = "api"
rate = 1
service_time = { dist = "constant", value = "10ms" }
[[service]]
name = "api"
cost_per_hour = 1e9
`)
	if strings.Contains(string(b), "Inf") || strings.Contains(string(b), "NaN") {
		t.Fatalf("summary holds Inf or NaN: %s", b)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if got := v["cost"].(map[string]any)["total_usd"].(float64); math.Abs(got-1e10) > 1 {
		t.Errorf("cost %v, want 1e10", got)
	}
}

// TestPolicyExitFailsRun: an external policy that exits non-zero at the
// end of the run fails the run, before any output would be written.
func TestPolicyExitFailsRun(t *testing.T) {
	src := `[sim]
duration = "1m"
[[workload]]
name = "w"
target = "api"
rate = 10
service_time = { dist = "constant", value = "10ms" }
[[service]]
name = "api"
autoscaler = { kind = "external", min = 1, max = 3, command = ["sh", "-c", "while read l; do echo '{\"desired\": 1}'; done; echo bye >&2; exit 3"] }
`
	_, mc := buildOf(t, "x.toml", src)
	defer scenario.Close(mc)
	c, err := models.New(mc)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Run(nil, nil)
	if err == nil || !strings.HasSuffix(err.Error(), "at end of run: exit status 3; stderr: bye") {
		t.Fatalf("Run: %v", err)
	}
}
