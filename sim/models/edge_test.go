package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/network"
)

// TestEdgeTermination works the latencies of global users 200 ms from
// the origin, with and without a point of presence 10 ms away that
// terminates TCP and TLS (the seed: "if the user need only make network
// round trips of 10 milliseconds to a local Point of Presence, as opposed
// to 200 milliseconds to serving infrastructure in a different continent
// [...] the edge proxies will have persistent encrypted network
// connections to your servers: there is no per-request overhead for
// connection setup or handshakes"). One connection per request, 20 ms of
// work; handshake round trips per RFC 793/5246/8446/9000 (TCP 1, TLS 1.2
// 3, TLS 1.3 2, QUIC 1):
//
//	direct: 20 + (setup + 1) × 200  →  tcp 420, tls1.2 820, tls1.3 620, quic 420
//	edge:   20 + setup × 10 + 200    →  tcp 230, tls1.2 250, tls1.3 240, quic 230
//
// and with keep-alive through the edge every request after the first
// pays only its 200 ms: 220.
func TestEdgeTermination(t *testing.T) {
	tests := []struct {
		name      string
		p         network.Protocol
		edge      engine.Duration
		keepAlive bool
		want      float64 // ms, p50
	}{
		{"direct tcp", network.TCP, 0, false, 420},
		{"direct tls1.2", network.TLS12, 0, false, 820},
		{"direct tls1.3", network.TLS13, 0, false, 620},
		{"direct quic", network.QUIC, 0, false, 420},
		{"edge tcp", network.TCP, 10 * engine.Millisecond, false, 230},
		{"edge tls1.2", network.TLS12, 10 * engine.Millisecond, false, 250},
		{"edge tls1.3", network.TLS13, 10 * engine.Millisecond, false, 240},
		{"edge quic", network.QUIC, 10 * engine.Millisecond, false, 230},
		{"edge keep-alive", network.TLS12, 10 * engine.Millisecond, true, 220},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net := models.DefaultNetwork()
			net.RTT, net.EdgeRTT, net.Protocol, net.KeepAlive = 200*engine.Millisecond, tt.edge, tt.p, tt.keepAlive
			_, sum := runRecorded(t, models.Config{
				Name: "edge", Seed: 1, Duration: 100 * engine.Second, Window: 10 * engine.Second,
				Services: []models.ServiceSpec{{Name: "svc", Replicas: 2, Concurrency: 8, Queue: -1, Algorithm: "round_robin"}},
				Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: 5}},
					ServiceTime: dist.Spec{Kind: "constant", Mean: 0.020}, Network: &net}},
			})
			if got := sum.LatencyMs.P50; math.Abs(got-tt.want) > tt.want*0.001 {
				t.Errorf("p50 latency %.3f ms, want %.0f ms", got, tt.want)
			}
			if sum.Requests.OK < 490 {
				t.Errorf("only %d requests succeeded", sum.Requests.OK)
			}
		})
	}
	// The seed's arithmetic: a first page costing six round trips, all
	// answered by the edge, is 6 × 10 ms through it and 6 × 200 ms
	// straight to the origin.
	if got := network.Page(6, 10*engine.Millisecond); got != 60*engine.Millisecond {
		t.Errorf("through the edge: %v, want 60ms", got)
	}
	if got := network.Page(6, 200*engine.Millisecond); got != 1200*engine.Millisecond {
		t.Errorf("to the origin: %v, want 1.2s", got)
	}
}
