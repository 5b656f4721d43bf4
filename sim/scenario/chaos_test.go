package scenario_test

import (
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/scenario"
)

// chaosBase has a web service calling db, and two regional node pools.
const chaosBase = `
[sim]
duration = "10m"

[[workload]]
name = "w"
target = "web"
rate = 10
service_time = { dist = "constant", value = "1ms" }

[[service]]
name = "db"
service_time = { dist = "constant", value = "1ms" }

[[node_pool]]
name = "east"
zones = ["e1", "e2"]
region = "east"

[[node_pool]]
name = "west"
zones = ["w1"]
region = "west"

[[service]]
name = "web"
calls = [{ service = "db" }]
`

// TestChaosKeyErrors: the chaos keys are refused with the file, line,
// column and key, and a suggestion where one helps.
func TestChaosKeyErrors(t *testing.T) {
	tests := []struct{ name, extra, want string }{
		{"call misspelt", `
[[fault]]
service = "web"
call = "dbb"
kind = "errors"
error_rate = 0.5
at = "1m"`, `x.toml:31:1: fault[0].call: service "web" makes no calls to "dbb" (did you mean "db"?)`},
		{"call on a crash", `
[[fault]]
service = "web"
call = "db"
kind = "crash"
at = "1m"`, `fault[0].call: a crash fault does not hit a call edge`},
		{"slow call without latency", `
[[fault]]
service = "web"
call = "db"
kind = "slow"
at = "1m"`, `fault[0].latency: required for slow on a call, > 0`},
		{"latency on a hang", `
[[fault]]
service = "web"
kind = "hang"
latency = "1s"
at = "1m"`, `fault[0].latency: latency does not apply to hang faults`},
		{"share with instances", `
[[fault]]
service = "web"
kind = "errors"
error_rate = 1
instances = 2
share = 0.5
at = "1m"`, `fault[0].share: share and instances exclude each other`},
		{"share out of range", `
[[fault]]
service = "web"
kind = "slow"
factor = 2
share = 1.5
at = "1m"`, `fault[0].share: must be in (0, 1], got 1.5`},
		{"flush without a cache", `
[[fault]]
service = "web"
kind = "cache_flush"
at = "1m"`, `fault[0].service: service "web" has no cache to flush`},
		{"region misspelt", `
[[fault]]
kind = "region"
region = "eats"
at = "1m"`, `fault[0].region: no node pool has region "eats" (did you mean "east"?)`},
		{"failover on a zone fault", `
[[fault]]
kind = "zone"
zone = "e1"
failover = "30s"
at = "1m"`, `fault[0].failover: failover applies to region faults only`},
		{"a zone in two regions", `
[[node_pool]]
name = "more"
zones = ["e1"]
region = "west"`, `node_pool.more.region: zone "e1" is in region "east" already`},
		{"crash_after too long", `versions = [{ name = "v1", crash_after = "2000h" }]`, `service.web.versions.v1.crash_after: must be 0 (never) to`},
		{"leak without a rate", `versions = [{ name = "v1", leak = { limit = 2 } }]`, `service.web.versions.v1.leak.rate: required, > 0`},
		{"leak limit at 1", `versions = [{ name = "v1", leak = { rate = 1, limit = 1 } }]`, `service.web.versions.v1.leak.limit: must be > 1`},
		{"flag share", `flags = [{ name = "f", share = 0 }]`, `service.web.flags.f.share: required, in (0, 1], got 0`},
		{"flag killed before it starts", `flags = [{ name = "f", share = 0.1, from = "5m", kill_at = "1m" }]`, `service.web.flags.f.kill_at: kill_at 1m must come after from (5m)`},
		{"flag key misspelt", `flags = [{ name = "f", share = 0.1, kill = "1m" }]`, `x.toml:28:37: service.web.flags.f.kill: unknown key`},
		{"coalesce on a function", `platform = "function"
cache = { capacity = 10, keys = 10, coalesce = true }`, `service.web.cache.coalesce: a function's cache does not coalesce`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenario.Parse("x.toml", []byte(chaosBase+tt.extra+"\n"), nil)
			if err == nil {
				t.Fatal("accepted")
			}
			if got := err.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("error\n%s\nlacks\n%s", got, tt.want)
			}
		})
	}
}

// TestChaosBuild: the chaos keys reach the models: an edge fault names its
// callee, a region fault its zones and default 90 s failover, a version
// its crash and leak, a service its flags and cache coalescing.
func TestChaosBuild(t *testing.T) {
	src := chaosBase + `versions = [{ name = "v1", crash_after = "5m", leak = { rate = 2, limit = 3 } }]
flags = [{ name = "f", share = 0.25, added_latency = "20ms", error_rate = 0.1, from = "1m", kill_at = "2m" }]
cache = { capacity = 10, keys = 100, coalesce = true }

[[fault]]
service = "web"
call = "db"
kind = "slow"
latency = "200ms"
at = "1m"

[[fault]]
kind = "region"
region = "east"
at = "2m"

[[fault]]
service = "web"
kind = "errors"
error_rate = 1
latency = "1ms"
share = 0.5
at = "3m"
`
	_, mc := buildOf(t, "x.toml", src)
	web := mc.Services[1]
	if edge := mc.Faults[0]; edge.Callee != 1 || edge.Service != 1 || edge.Latency != 200*engine.Millisecond {
		t.Errorf("edge fault %+v, want web → db (callee index 0 + 1), 200ms", edge)
	}
	if r := mc.Faults[1]; r.Kind != models.FaultRegion || strings.Join(r.Zones, ",") != "e1,e2" || r.Failover != 90*engine.Second {
		t.Errorf("region fault %+v, want zones e1,e2 and failover 90s", r)
	}
	if e := mc.Faults[2]; e.Share != 0.5 || e.Latency != engine.Millisecond {
		t.Errorf("errors fault %+v, want share 0.5 and latency 1ms", e)
	}
	if v := web.Versions[0]; v.CrashAfter != 5*engine.Minute || v.Leak != (models.LeakSpec{Rate: 2, Limit: 3}) {
		t.Errorf("version %+v", v)
	}
	want := models.FlagSpec{Name: "f", Share: 0.25, AddedLatency: 20 * engine.Millisecond, ErrorRate: 0.1,
		From: engine.Time(engine.Minute), KillAt: engine.Time(2 * engine.Minute)}
	if len(web.Flags) != 1 || web.Flags[0] != want {
		t.Errorf("flags %+v, want %+v", web.Flags, want)
	}
	if web.Cache == nil || !web.Cache.Coalesce {
		t.Errorf("cache %+v, want coalescing", web.Cache)
	}
}
