package scenario_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/scenario"
)

// TestBalancerComponentAndEdgeErrors: bad balancer-component, balancer
// fault and edge keys are refused naming the key, with a hint.
func TestBalancerComponentAndEdgeErrors(t *testing.T) {
	base := `
[sim]
duration = "10m"

[[workload]]
name = "w"
target = "api"
rate = 10
service_time = { dist = "constant", value = "1ms" }
`
	tests := []struct{ name, extra, want string }{
		{"edge beyond rtt", `network = { rtt = "50ms", edge_rtt = "60ms" }
[[service]]
name = "api"`, `workload.w.network.edge_rtt: must be between 0 and rtt (50ms), got 60ms`},
		{"unknown standby", `[[service]]
name = "api"
balancer = { standby = "active_pasive" }`, `service.api.balancer.standby: unknown value "active_pasive" (did you mean "active_passive"?)`},
		{"failover without standby", `[[service]]
name = "api"
balancer = { failover = "2s" }`, `service.api.balancer.failover: failover applies to a balancer with a standby`},
		{"negative capacity", `[[service]]
name = "api"
balancer = { capacity = -1 }`, `service.api.balancer.capacity: must be in 0..1000000000, got -1`},
		{"latency too long", `[[service]]
name = "api"
balancer = { latency = "2h" }`, `service.api.balancer.latency: must be between 0 and 1h`},
		{"balancer hang", `[[service]]
name = "api"
[[fault]]
service = "api"
component = "balancer"
at = "1m"
kind = "hang"`, `fault[0].kind: a balancer fault is a crash, got "hang"`},
		{"three balancer nodes", `[[service]]
name = "api"
[[fault]]
service = "api"
component = "balancer"
at = "1m"
kind = "crash"
instances = 3`, `fault[0].instances: must be 1 or 2 for a balancer, got 3`},
		{"unknown component", `[[service]]
name = "api"
[[fault]]
service = "api"
component = "balancr"
at = "1m"
kind = "crash"`, `fault[0].component: unknown value "balancr" (did you mean "balancer"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantRejected(t, base+tt.extra, tt.want) })
	}
	// A balancer crash may last (the repair time), unlike an instance crash.
	ok := base + `[[service]]
name = "api"
balancer = { standby = "active_active" }
[[fault]]
service = "api"
component = "balancer"
at = "1m"
kind = "crash"
duration = "30s"
`
	if _, err := scenario.Parse("x.toml", []byte(ok), nil); err != nil {
		t.Errorf("balancer crash with a repair time refused: %v", err)
	}
}
