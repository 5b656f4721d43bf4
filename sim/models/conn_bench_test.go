package models_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/network"
)

// BenchmarkKeepAlive runs BenchmarkMM8's model with its clients behind a
// network (1 ms round trip, TLS 1.3, 8 keep-alive HTTP/1.1 clients, L7);
// issue 12's budget is its time per request within 1.2× of
// BenchmarkMM8/no-timeout's. One op is one simulated request.
func BenchmarkKeepAlive(b *testing.B) {
	for _, l4 := range []bool{false, true} {
		name := "L7"
		if l4 {
			name = "L4"
		}
		b.Run(name, func(b *testing.B) {
			cfg := mm8(b.N, 0)
			net := models.DefaultNetwork()
			net.RTT, net.Protocol, net.Clients = engine.Millisecond, network.TLS13, 8
			cfg.Workloads[0].Network = &net
			cfg.Services[0].L4 = l4
			c := benchRun(b, cfg)
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
			b.ReportMetric(float64(c.Events())/b.Elapsed().Seconds(), "events/s")
		})
	}
}
