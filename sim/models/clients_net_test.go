package models_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/network"
)

// closedNetRun runs n closed-loop users with think time z against one
// instance (concurrency 1) of exponential service time s, the users
// reaching it over keep-alive TLS 1.3 connections with round trip rtt.
func closedNetRun(t *testing.T, n int, z, s float64, rtt engine.Duration) *models.Config {
	t.Helper()
	return &models.Config{
		Name: "closed-net", Seed: 3, Duration: 4000 * engine.Second, Warmup: 100 * engine.Second, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{Name: "svc", Replicas: 1, Concurrency: 1, Queue: -1, Algorithm: "round_robin"}},
		Workloads: []models.WorkloadSpec{{
			Name: "users", Service: 0, Users: n,
			Think:       dist.Spec{Kind: "constant", Mean: z},
			ServiceTime: dist.Spec{Kind: "exponential", Mean: s},
			Network:     &models.NetworkSpec{RTT: rtt, Protocol: network.TLS13, KeepAlive: true, Clients: n, Streams: 1},
		}},
	}
}

// TestResponseTimeLawOverNetwork: a user waits for the answer to cross
// the network, so the round trip belongs to the response time R in the
// interactive response-time law R = N/X − Z (Lazowska et al.,
// "Quantitative System Performance", §3.2.4), whatever the round trip.
// Before the users' cycle included the trip, X ignored it and R broke
// the law by the round trip (94.5 ms against 74.5 ms for N = 100).
func TestResponseTimeLawOverNetwork(t *testing.T) {
	const z, d = 1.0, 0.02
	for _, rtt := range []engine.Duration{20 * engine.Millisecond, 200 * engine.Millisecond} {
		_, sum := runRecorded(t, *closedNetRun(t, 30, z, d, rtt))
		x, r := sum.ThroughputRPS, sum.LatencyMs.Mean/1000
		within(t, "R vs N/X − Z (s)", r, 30/x-z, 0.01)
		if r < rtt.Seconds()+d {
			t.Errorf("rtt %v: R = %.4f s, below the round trip plus one service time", rtt, r)
		}
	}
}

// TestTimeoutCountsTheRoundTrip: a client's timeout runs from when it
// sends, so its answer must cross the network before the deadline. Over
// TCP with a 60 ms round trip a new connection's first request takes the
// handshake (60 ms) plus its own round trip (60 ms) plus its service, and
// a request on the warm connection 60 ms plus its service. With a 160 ms
// timeout a 30 ms service answers everything in time (at most 150 ms);
// a 50 ms one times the first request out (170 ms), a timed-out HTTP/1.1
// request closes its connection (as Go's http.Client does), so every
// later request handshakes again and times out too. Worked by hand; the
// timer that ignored the trips let all of them through.
func TestTimeoutCountsTheRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		service float64
		ok      bool
	}{{0.03, true}, {0.05, false}} {
		cfg := models.Config{
			Name: "timeout-rtt", Seed: 1, Duration: 100 * engine.Second, Window: 10 * engine.Second,
			Services: []models.ServiceSpec{{Name: "svc", Replicas: 10, Concurrency: 10, Queue: -1, Algorithm: "round_robin"}},
			Workloads: []models.WorkloadSpec{{
				Name: "w", Service: 0, Arrival: models.Constant, Rate: models.RateCurve{{Rate: 5}},
				Timeout:     160 * engine.Millisecond,
				ServiceTime: dist.Spec{Kind: "constant", Mean: tc.service},
				Network:     &models.NetworkSpec{RTT: 60 * engine.Millisecond, Protocol: network.TCP, KeepAlive: true, Clients: 1, Streams: 1},
			}},
		}
		_, sum := runRecorded(t, cfg)
		ok, to := sum.Requests.OK, sum.Requests.Timeouts
		if tc.ok && (to != 0 || ok == 0) || !tc.ok && (ok != 0 || to == 0) {
			t.Errorf("service %v s: %d ok, %d timeouts; want all %s", tc.service, ok, to, map[bool]string{true: "ok", false: "timed out"}[tc.ok])
		}
		if tc.ok && (sum.LatencyMs.Max < 149 || sum.LatencyMs.Max > 151) {
			t.Errorf("service %v s: max latency %v ms, want the first request's 150 ms", tc.service, sum.LatencyMs.Max)
		}
	}
}
