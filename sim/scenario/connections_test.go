package scenario_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/scenario"
)

// TestEstimateCountsMessages: 10 long-lived connections/s for 100 s, each
// living 50 s on average and sending 2 messages/s, send at most
// 1,000 × 2 × 50 = 100,000 messages; with 3 events per request and per
// message and 10 windows: 3,000 + 300,000 + 10 events.
func TestEstimateCountsMessages(t *testing.T) {
	src := `
[sim]
duration = "100s"
window = "10s"

[[workload]]
name = "ws"
target = "api"
arrival = "constant"
rate = 10
lifetime = { dist = "exponential", mean = "50s" }
message_rate = 2
service_time = { dist = "constant", value = "1ms" }

[[service]]
name = "api"
`
	cfg, err := scenario.Parse("x.toml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := scenario.Estimate(cfg).Events, 3_000.0+300_000+10; got != want {
		t.Errorf("estimated %v events, want %v", got, want)
	}
}

// TestConnectionKeyErrors: bad connection, health and fault keys are
// refused with their file position and key.
func TestConnectionKeyErrors(t *testing.T) {
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
		{"unknown protocol", `network = { protocol = "tls1.1" }
[[service]]
name = "api"`, `x.toml:10:13: workload.w.network.protocol: unknown value "tls1.1" (did you mean "tls1.2"?)`},
		{"message_rate without lifetime", `message_rate = 2
[[service]]
name = "api"`, `x.toml:10:1: workload.w.message_rate: message_rate needs lifetime (give lifetime too)`},
		{"zero clients", `network = { clients = 0 }
[[service]]
name = "api"`, `x.toml:10:13: workload.w.network.clients: must be between 1 and 1000000, got 0`},
		{"health check incomplete", `[[service]]
name = "api"
health_check = { interval = "5s" }`, `x.toml:12:1: service.api.health_check.timeout: required (Envoy requires it too)`},
		{"outlier percent", `[[service]]
name = "api"
outlier_detection = { max_ejection_percent = 120 }`, `service.api.outlier_detection.max_ejection_percent: must be between 0 and 100, got 120`},
		{"fault on no service", `[[service]]
name = "api"
[[fault]]
service = "apj"
at = "1m"
kind = "crash"`, `x.toml:13:1: fault[0].service: no service named "apj" (did you mean "api"?)`},
		{"errors without rate", `[[service]]
name = "api"
[[fault]]
service = "api"
at = "1m"
kind = "errors"`, `error_rate: required for errors, in (0, 1], got 0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantRejected(t, base+tt.extra, tt.want) })
	}
}
