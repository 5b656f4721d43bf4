package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/network"
)

// TestHandshakeLatency: with one connection per request (keep_alive off),
// a constant 10 ms of work and a 50 ms round trip, every request's latency
// is the protocol's setup round trips plus the request's own plus the work,
// worked by hand from the handshake table (RFC 793, 5246, 8446, 9000):
// tcp 10 + 2×50 = 110 ms, tls1.2 10 + 4×50 = 210 ms, tls1.3 160 ms, quic
// 110 ms; with resumption (every connection after the client's first)
// tls1.2 160 ms, tls1.3 110 ms, quic 0-RTT 60 ms.
func TestHandshakeLatency(t *testing.T) {
	tests := []struct {
		p       network.Protocol
		resumed bool
		want    float64 // ms
	}{
		{network.TCP, false, 110}, {network.TLS12, false, 210}, {network.TLS13, false, 160}, {network.QUIC, false, 110},
		{network.TLS12, true, 160}, {network.TLS13, true, 110}, {network.QUIC, true, 60},
	}
	for _, tt := range tests {
		t.Run(tt.p.String(), func(t *testing.T) {
			net := models.DefaultNetwork()
			net.RTT, net.Protocol, net.KeepAlive, net.Resumption = 50*engine.Millisecond, tt.p, false, tt.resumed
			_, sum := runRecorded(t, models.Config{
				Name: "hs", Seed: 1, Duration: 100 * engine.Second, Window: 10 * engine.Second,
				Services: []models.ServiceSpec{{Name: "svc", Replicas: 2, Concurrency: 4, Queue: -1, Algorithm: "round_robin"}},
				Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: 5}},
					ServiceTime: dist.Spec{Kind: "constant", Mean: 0.010}, Network: &net}},
			})
			// p50 rather than the mean: with resumption the client's very
			// first connection pays the full handshake.
			if got := sum.LatencyMs.P50; math.Abs(got-tt.want) > tt.want*0.001 {
				t.Errorf("p50 latency %.3f ms, want %.0f ms", got, tt.want)
			}
			if sum.Requests.OK < 490 {
				t.Errorf("only %d requests succeeded", sum.Requests.OK)
			}
		})
	}
}

// TestKeepAliveReusePaysOneRoundTrip: on a kept-alive connection only the
// first request pays the handshake; the rest pay one round trip each.
func TestKeepAliveReusePaysOneRoundTrip(t *testing.T) {
	net := models.DefaultNetwork()
	net.RTT, net.Protocol = 50*engine.Millisecond, network.TLS12
	_, sum := runRecorded(t, models.Config{
		Name: "ka", Seed: 1, Duration: 100 * engine.Second, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{Name: "svc", Replicas: 1, Concurrency: 4, Queue: -1, Algorithm: "round_robin"}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: 5}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.010}, Network: &net}},
	})
	if got := sum.LatencyMs.P50; math.Abs(got-60) > 0.06 {
		t.Errorf("p50 %.3f ms, want 60 (10 ms work + one 50 ms round trip)", got)
	}
	if got := sum.LatencyMs.Max; math.Abs(got-210) > 0.21 {
		t.Errorf("max %.3f ms, want 210 (the first request's TLS 1.2 handshake)", got)
	}
	// The first request leaves the client at 0.175 s (it reaches the
	// balancer half a round trip later, at 0.2 s), lands after the TLS 1.2
	// handshake at 0.35 s, and its response is back at 0.385 s; the second
	// leaves at 0.375 s, before that, so it opens a second connection. From
	// then on requests 200 ms apart reuse them.
	if c := sum.Services["svc"].Connections; c.Max != 2 {
		t.Errorf("connections max %v, want 2", c.Max)
	}
}

// TestL4Stickiness: one HTTP/2 connection behind an L4 balancer sends all
// its requests to one of four instances, so the connection imbalance
// (max over ready instances / mean) is 1 / (1/4) = 4 in every window;
// behind an L7 balancer the same requests spread over the four.
func TestL4Stickiness(t *testing.T) {
	for _, l4 := range []bool{true, false} {
		net := models.DefaultNetwork()
		net.Pool, net.Streams = 1, 100
		rec, sum := runRecorded(t, models.Config{
			Name: "l4", Seed: 1, Duration: 100 * engine.Second, Window: 10 * engine.Second,
			Services: []models.ServiceSpec{{Name: "svc", Replicas: 4, Concurrency: 4, Queue: -1, Algorithm: "round_robin", L4: l4}},
			Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Poisson, Rate: models.RateCurve{{Rate: 100}},
				ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.010}, Network: &net}},
		})
		imb := rec.col("svc.connection_imbalance")
		for i, v := range imb {
			if l4 && v != 4 {
				t.Fatalf("L4 window %d: imbalance %v, want 4", i, v)
			}
			if !l4 && (v < 1 || v > 1.5) {
				t.Fatalf("L7 window %d: imbalance %v, want near 1", i, v)
			}
		}
		if c := sum.Services["svc"].Connections; c.Max != 1 || c.Mean != 1 {
			t.Errorf("L4=%v: connections %+v, want one open", l4, c)
		}
	}
}

// TestLongLivedImbalanceAndMaxAge: 600 long-lived connections open in the
// first minute on 2 instances (round robin: 300 each) and none after; at
// 100 s the fleet grows to 4. Pinned, the new instances get none: the
// imbalance is 300 / (600/4) = 2 exactly. With max_connection_age 60 s
// (±10%, so every connection reconnects at least once in any 66 s) and
// least-connections picks, each reconnect goes to the emptiest instance,
// and by 200 s the four hold 150 ± 1 each.
func TestLongLivedImbalanceAndMaxAge(t *testing.T) {
	run := func(maxAge engine.Duration) float64 {
		plan := &scripted{plan: []struct{ at, n int }{{100, 4}}}
		rec, _ := runRecorded(t, models.Config{
			Name: "ll", Seed: 1, Duration: 200 * engine.Second, Window: 10 * engine.Second,
			Services: []models.ServiceSpec{{Name: "svc", Replicas: 2, Concurrency: 4, Queue: -1,
				Algorithm: "least_outstanding", L4: true, MaxConnectionAge: maxAge,
				Autoscaler: &models.AutoscalerSpec{Policy: plan, SyncPeriod: 10 * engine.Second, Resolution: 10 * engine.Second}}},
			Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant,
				Rate:        models.RateCurve{{At: 0, Rate: 10}, {At: engine.Time(60*engine.Second - 1), Rate: 10}, {At: engine.Time(60*engine.Second - 1), Rate: 0}},
				ServiceTime: dist.Spec{Kind: "constant", Mean: 0.001},
				Lifetime:    dist.Spec{Kind: "constant", Mean: 3600}, MessageRate: 0.05}},
		})
		conns, imb := rec.col("svc.connections"), rec.col("svc.connection_imbalance")
		last := len(imb) - 1
		if conns[last] != 599 && conns[last] != 600 {
			t.Fatalf("%d connections open at the end, want 600", int(conns[last]))
		}
		return imb[last]
	}
	if got := run(0); math.Abs(got-2) > 0.01 {
		t.Errorf("pinned: imbalance %v, want 2", got)
	}
	if got := run(60 * engine.Second); got > 151.0/150 {
		t.Errorf("max_connection_age: imbalance %v, want <= 151/150", got)
	}
}

// TestIdleTimeout: requests 2 s apart on a keep-alive client. With a 1 s
// idle timeout the pooled connection is closed before each next request,
// which pays the TLS 1.2 handshake again: 10 + 4 × 50 = 210 ms. With a 5 s
// timeout it is reused: 10 + 50 = 60 ms.
func TestIdleTimeout(t *testing.T) {
	for _, tt := range []struct {
		idle engine.Duration
		want float64
	}{{engine.Second, 210}, {5 * engine.Second, 60}} {
		net := models.DefaultNetwork()
		net.RTT, net.Protocol, net.IdleTimeout = 50*engine.Millisecond, network.TLS12, tt.idle
		_, sum := runRecorded(t, models.Config{
			Name: "idle", Seed: 1, Duration: 200 * engine.Second, Window: 10 * engine.Second,
			Services: []models.ServiceSpec{{Name: "svc", Replicas: 1, Concurrency: 4, Queue: -1, Algorithm: "round_robin"}},
			Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: 0.5}},
				ServiceTime: dist.Spec{Kind: "constant", Mean: 0.010}, Network: &net}},
		})
		if got := sum.LatencyMs.P50; math.Abs(got-tt.want) > tt.want*0.001 {
			t.Errorf("idle timeout %v: p50 %.3f ms, want %.0f", tt.idle, got, tt.want)
		}
	}
}

// TestScaleInClosesPinnedConnections: 8 HTTP/2 clients (one connection
// each) behind L4 on 4 instances, each instance always busy (25 req/s ×
// 0.5 s = 12.5 in service); at 100 s the fleet shrinks to 2. The draining
// instances close their connections gracefully (busy ones after their
// last response), so they empty and terminate well within the 30 s grace
// and nothing fails; were the connections kept, requests would keep
// landing on them until the grace ran out and the ~12 in service then
// would fail. The clients reconnect: 8 connections, 4 on each of the two
// instances left (round robin).
func TestScaleInClosesPinnedConnections(t *testing.T) {
	plan := &scripted{plan: []struct{ at, n int }{{100, 2}}}
	net := models.DefaultNetwork()
	net.Pool, net.Streams, net.Clients, net.RTT = 1, 100, 8, engine.Millisecond
	rec, sum := runRecorded(t, models.Config{
		Name: "drain", Seed: 1, Duration: 200 * engine.Second, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{Name: "svc", Replicas: 4, Concurrency: 100, Queue: -1, Algorithm: "round_robin", L4: true,
			Grace:      30 * engine.Second,
			Autoscaler: &models.AutoscalerSpec{Policy: plan, SyncPeriod: 10 * engine.Second, Resolution: 10 * engine.Second}}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: 100}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.5}, Network: &net}},
	})
	if sum.Requests.Failed != 0 || sum.Requests.Rejected != 0 {
		t.Errorf("failed %d rejected %d, want none", sum.Requests.Failed, sum.Requests.Rejected)
	}
	conns, imb, ready := rec.col("svc.connections"), rec.col("svc.connection_imbalance"), rec.col("svc.replicas_ready")
	last := len(conns) - 1
	if conns[last] != 8 || imb[last] != 1 || ready[last] != 2 {
		t.Errorf("at the end: %v connections, imbalance %v, %v ready; want 8, 1, 2", conns[last], imb[last], ready[last])
	}
}
