package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/results"
)

// lbRun sends 100 requests/s, one every 10 ms, needing a constant 25 ms,
// to 4 instances behind a modelled balancer; a balancer node crashes at
// 302.005 s (between arrivals), repaired after repair (0: never); nodes
// 0: no fault.
func lbRun(t *testing.T, lb models.LBSpec, nodes int, repair engine.Duration) *results.Summary {
	t.Helper()
	cfg := models.Config{
		Name: "lb", Seed: 1, Duration: 600 * engine.Second, Warmup: 100 * engine.Second, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{Name: "svc", Replicas: 4, Concurrency: 8, Queue: -1, Algorithm: "round_robin", LB: &lb}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: 100}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.025}}},
		Faults: []models.FaultSpec{{Name: "lb", Service: 0, At: engine.Time(302005 * engine.Millisecond), Kind: models.FaultCrash,
			Instances: nodes, Duration: repair, Balancer: true}},
	}
	if nodes == 0 {
		cfg.Faults = nil
	}
	_, sum := runRecorded(t, cfg)
	return sum
}

// TestBalancerFailover works the lost requests of a balancer failure by
// hand. At 302.005 s the requests that arrived at 301.98, 301.99 and
// 302.00 s are in service (25 ms each): 3 in flight, their connections
// reset with the node. Then:
//   - one node, repaired after 20 s: every arrival of the 20 s is lost,
//     3 + 100 × 20 = 2003;
//   - one node, never repaired: 3 + every arrival to the end, the 29,800
//     at 302.01, 302.02, ..., 600.00 s: 29,803;
//   - active-passive, failover 3 s (keepalived's VRRP advertisement of
//     1 s × 3 missed plus skew, the order of its default): 3 + 100 × 3 = 303;
//   - active-active, failover 3 s: each of those 303 was on the failed
//     node with probability 1/2: binomial(303, 1/2), mean 151.5, standard
//     deviation 8.7; within 4 of them.
//
// The balancer's 2 ms is added to every response: 27 ms.
func TestBalancerFailover(t *testing.T) {
	lost := func(s *results.Summary) float64 {
		p := s.Services["svc"].LostToBalancer
		if p == nil {
			t.Fatal("lost_to_balancer missing")
		}
		return float64(*p)
	}
	ms := 2 * engine.Millisecond
	tests := []struct {
		name   string
		lb     models.LBSpec
		repair engine.Duration
		want   float64
		tol    float64
	}{
		{"none repaired", models.LBSpec{Latency: ms}, 20 * engine.Second, 2003, 0},
		{"none never repaired", models.LBSpec{Latency: ms}, 0, 29803, 0},
		{"active-passive", models.LBSpec{Latency: ms, Standby: models.StandbyActivePassive, Failover: 3 * engine.Second}, 0, 303, 0},
		{"active-active", models.LBSpec{Latency: ms, Standby: models.StandbyActiveActive, Failover: 3 * engine.Second}, 0, 151.5, 4 * math.Sqrt(303) / 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum := lbRun(t, tt.lb, 1, tt.repair)
			if got := lost(sum); math.Abs(got-tt.want) > tt.tol {
				t.Errorf("lost %v, want %v ± %v", got, tt.want, tt.tol)
			}
			if got := float64(sum.Requests.Failed); got != lost(sum) {
				t.Errorf("failed %v, want the %v lost", got, lost(sum))
			}
			if p50 := sum.LatencyMs.P50; math.Abs(p50-27) > 0.05 {
				t.Errorf("p50 %v ms, want 25 + 2", p50)
			}
		})
	}
	// Both nodes of an active-active pair: an outage, as one node without
	// a standby.
	aa := models.LBSpec{Standby: models.StandbyActiveActive, Failover: 3 * engine.Second}
	if got := lost(lbRun(t, aa, 2, 20*engine.Second)); got != 2003 {
		t.Errorf("active-active, both nodes: lost %v, want 2003", got)
	}
}

// TestBalancerCapacity: a node holding 2 requests at once, in front of
// arrivals every 10 ms that need 25 ms each. An arrival at t finds in
// flight those admitted at t-10 and t-20 ms (t-30 ms left at t-5 ms): it
// is refused when both were admitted, so admissions go admit, admit,
// refuse, repeating: a third of the 50,000 arrivals after warm-up
// (16,667) refused. An active-active pair holds 4: none refused. After
// one of its nodes fails at 302.005 s (withdrawn at once, failover 0) the
// pattern returns for the 29,800 arrivals left: 9,933 refused, give or
// take the phase (±2), and at most the 3 in flight lost.
func TestBalancerCapacity(t *testing.T) {
	refused := func(s *results.Summary) float64 { return float64(s.Requests.Rejected) }
	if got := refused(lbRun(t, models.LBSpec{Capacity: 2}, 0, 0)); math.Abs(got-50000.0/3) > 1 {
		t.Errorf("one node: refused %v, want 16667", got)
	}
	aa := models.LBSpec{Capacity: 2, Standby: models.StandbyActiveActive}
	if got := refused(lbRun(t, aa, 0, 0)); got != 0 {
		t.Errorf("active-active: refused %v, want 0", got)
	}
	sum := lbRun(t, aa, 1, 0)
	if got := refused(sum); math.Abs(got-29800.0/3) > 2 {
		t.Errorf("active-active after a failure: refused %v, want 9933", got)
	}
	if got := *sum.Services["svc"].LostToBalancer; got > 3 {
		t.Errorf("active-active after a failure: lost %v, want at most the 3 in flight", got)
	}
}
