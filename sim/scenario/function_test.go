package scenario_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/cost"
	"github.com/clustersim/clustersim/sim/scenario"
)

const fnBase = `[sim]
duration = "1m"

[[workload]]
name = "w"
target = "fn"
rate = 10
service_time = { dist = "constant", value = "100ms" }

[[service]]
name = "fn"
`

// TestFunctionKeysBuild: the function keys reach the model with Lambda's
// defaults where omitted (1,000 concurrency, 10-minute keep-alive, 3 s
// timeout, 1,000 environments per 10 s) and the runtime preset as the
// cold start.
func TestFunctionKeysBuild(t *testing.T) {
	cases := []struct {
		name, keys string
		check      func(t *testing.T, s models.ServiceSpec)
	}{
		{"defaults", `platform = "function"
memory = 0.5`, func(t *testing.T, s models.ServiceSpec) {
			f := s.Function
			if f.ConcurrencyLimit != 1000 || f.KeepAlive != 10*engine.Minute || f.Timeout != 3*engine.Second ||
				f.ScaleBurst != 1000 || f.ScalePeriod != 10*engine.Second || f.Provisioned != 0 || f.Arch != cost.X86 ||
				f.ColdStart.Kind != "constant" || f.ThrottleRetries != 0 || s.Replicas != 0 || s.Memory != 0.5 {
				t.Errorf("defaults %+v (replicas %d)", *f, s.Replicas)
			}
		}},
		{"given", `platform = "function"
arch = "arm64"
runtime = "java"
keep_alive = "5m"
concurrency_limit = 50
provisioned = 5
timeout = "15m"
throttle_retry = { retries = 2, backoff = "100ms" }
provisioned_schedule = [{ at = "10s", count = 20 }, { at = "30s", count = 0 }]`, func(t *testing.T, s models.ServiceSpec) {
			f := s.Function
			want := []models.ProvisionedStep{{At: engine.Time(10 * engine.Second), Count: 20}, {At: engine.Time(30 * engine.Second), Count: 0}}
			if !slices.Equal(f.ProvisionedSchedule, want) {
				t.Errorf("schedule %v, want %v", f.ProvisionedSchedule, want)
			}
			if f.ConcurrencyLimit != 50 || f.KeepAlive != 5*engine.Minute || f.Timeout != 15*engine.Minute ||
				f.Provisioned != 5 || f.Arch != cost.ARM || f.ColdStart.Kind != "lognormal" ||
				f.ThrottleRetries != 2 || f.ThrottleBackoff != 100*engine.Millisecond {
				t.Errorf("built %+v", *f)
			}
		}},
		{"container", `platform = "container"
arch = "arm64"
cpu = 0.25`, func(t *testing.T, s models.ServiceSpec) {
			if s.Platform != models.PlatformContainer || s.Arch != cost.ARM || s.Function != nil {
				t.Errorf("built %+v", s)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, mc := buildOf(t, "x.toml", fnBase+c.keys+"\n")
			c.check(t, mc.Services[0])
		})
	}
}

// TestFunctionKeysRejected: bad function keys are errors naming the key.
func TestFunctionKeysRejected(t *testing.T) {
	cases := []struct{ keys, key, msg string }{
		{`keep_alive = "1m"`, "keep_alive", "applies to functions only"},
		{`provisioned = 3`, "provisioned", "applies to functions only"},
		{`arch = "arm64"`, "arch", "applies to containers and functions only"},
		{"platform = \"function\"\ntimeout = \"16m\"", "timeout", "must be in (0s, 15m]"},
		{"platform = \"function\"\nconcurrency_limit = 10\nprovisioned = 11", "provisioned", "must be in [0, 10]"},
		{"platform = \"function\"\nmemory = 20", "memory", "must be in [0.125, 10]"},
		{"platform = \"function\"\ncost_per_hour = 1", "cost_per_hour", "not for functions"},
		{"platform = \"function\"\nruntime = \"java\"\ncold_start = { dist = \"constant\", value = \"1s\" }", "cold_start", "not both"},
		{"platform = \"function\"\nthrottle_retry = { retries = 0, backoff = \"1s\" }", "retries", "must be in [1, 10000]"},
		{"platform = \"lambda\"", "platform", ""},
		{"platform = \"function\"\nconcurrency_limit = 10\nprovisioned_schedule = [{ at = \"1s\", count = 11 }]", "count", "must be in [0, 10]"},
		{"platform = \"function\"\nprovisioned_schedule = [{ at = \"2s\", count = 1 }, { at = \"1s\", count = 2 }]", "at", "after the previous entry"},
		{"provisioned_schedule = [{ at = \"1s\", count = 1 }]", "provisioned_schedule", "applies to functions only"},
		{"platform = \"function\"\nconcurrency_limit = 200000", "concurrency_limit", "--max-instances"},
		{"platform = \"function\"\nruntime = \"cobol\"", "runtime", ""},
	}
	for _, c := range cases {
		t.Run(c.keys, func(t *testing.T) { wantRejected(t, fnBase+c.keys+"\n", "x.toml:", c.key, c.msg) })
	}
}

// TestContainerCost: a container service without cost_per_hour is billed
// at Fargate's us-east-1 prices: 2 instances × (0.5 vCPU × $0.04048 +
// 1 GB × $0.004445) per hour, for 1 minute: 2 × 0.024685 / 60.
func TestContainerCost(t *testing.T) {
	cfg, err := scenario.Parse("x.toml", []byte(fnBase+"platform = \"container\"\nreplicas = 2\ncpu = 0.5\nmemory = 1\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := clusterOf(t, cfg)
	sum, err := c.Run(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 * (0.5*0.04048 + 1*0.004445) / 60; math.Abs(sum.Cost.TotalUSD-want) > 1e-12 {
		t.Errorf("container cost %v, want %v", sum.Cost.TotalUSD, want)
	}
}

// TestFunctionHugeInitSaturates: a cold start longer than the run (and
// than int32 milliseconds) runs to the end without wrapping: nothing
// completes, nothing is billed negative.
func TestFunctionHugeInitSaturates(t *testing.T) {
	for _, cs := range []string{`{ dist = "constant", value = "100000h" }`, `{ dist = "pareto", alpha = 0.5, xm = "1h" }`} {
		b := runToSummary(t, fnBase+"platform = \"function\"\ncold_start = "+cs+"\n")
		if !strings.Contains(string(b), `"ok": 0`) || strings.Contains(string(b), `"total_usd": -`) {
			t.Errorf("cold_start %s: %s", cs, b)
		}
	}
}
