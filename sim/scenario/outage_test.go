package scenario_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/scenario"
)

// TestOutageKeyErrors: node and zone faults are refused, with the key and
// a suggestion, when they name no pool or zone, carry a service, or lack
// node pools altogether.
func TestOutageKeyErrors(t *testing.T) {
	base := `
[sim]
duration = "10m"

[[workload]]
name = "w"
target = "api"
rate = 10
service_time = { dist = "constant", value = "1ms" }

[[service]]
name = "api"
`
	pool := `
[[node_pool]]
name = "workers"
nodes = 3
zones = ["a", "b", "c"]
`
	tests := []struct{ name, extra, want string }{
		{"zone unknown", pool + `[[fault]]
kind = "zone"
zone = "d"
at = "1m"`, `fault[0].zone: no node pool has zone "d"`},
		{"zone missing", pool + `[[fault]]
kind = "zone"
at = "1m"`, `fault[0].zone: required for a zone fault`},
		{"pool misspelt", pool + `[[fault]]
kind = "node"
pool = "worker"
at = "1m"`, `fault[0].pool: no node pool named "worker" (did you mean "workers"?)`},
		{"zone with a service", pool + `[[fault]]
kind = "zone"
zone = "a"
service = "api"
at = "1m"`, `fault[0].service: a zone fault hits nodes, not a service`},
		{"node with a duration", pool + `[[fault]]
kind = "node"
pool = "workers"
at = "1m"
duration = "1m"`, `must be > 0, and not for crash or node`},
		{"zone with instances", pool + `[[fault]]
kind = "zone"
zone = "a"
instances = 2
at = "1m"`, `instances does not apply to zone faults`},
		{"no node pools", `[[fault]]
kind = "zone"
zone = "a"
at = "1m"`, `a zone fault needs node pools`},
		{"zone key on a crash", pool + `[[fault]]
kind = "crash"
service = "api"
zone = "a"
at = "1m"`, `zone applies to node and zone faults only`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantRejected(t, base+tt.extra, tt.want) })
	}
	ok := base + pool + `[[fault]]
kind = "zone"
zone = "b"
at = "1m"
duration = "2m"
`
	if _, err := scenario.Parse("x.toml", []byte(ok), nil); err != nil {
		t.Errorf("valid zone fault refused: %v", err)
	}
}
