package models_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies"
)

// keyedRun runs 4 instances under algo for 100 s of constant arrivals
// (10 req/s, 10ms each: never queued) with the given key space and
// returns the service's summary; faults break some instances.
func keyedRun(t *testing.T, algo string, keys int, faults ...models.FaultSpec) (map[string]float64, int64, int64) {
	t.Helper()
	cfg := models.Config{
		Name: "keyed", Seed: 1, Duration: 100 * engine.Second, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{
			Name: "api", Replicas: 4, Concurrency: 1, Queue: -1,
			Balance: policies.Config{Algorithm: algo},
		}},
		Faults: faults,
		Workloads: []models.WorkloadSpec{{
			Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: 10}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.01}, Keys: models.KeySpec{Keys: keys},
		}},
	}
	c, err := models.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := c.Run(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := sum.Services["api"]
	b := s.Balancer
	return map[string]float64{"affinity": b.KeyAffinity, "imbalance": b.ArrivalImbalanceMean, "keyed": float64(b.KeyedRequests)},
		s.Requests.OK, s.Requests.Failed
}

// TestKeyAffinityByHand: the key-affinity figure worked by hand on a
// fixed fleet of 4. One key under round robin goes to the next instance
// every time: affinity 0, and the 4 instances share evenly (imbalance 1).
// Under sticky sessions or ring hash every repeat of a key finds its
// instance: affinity exactly 1. One key under ring hash sends everything
// to one instance: imbalance 4 (busiest / mean of 4). The first request
// of each key is not counted: 1000 requests of 1 key count 999.
func TestKeyAffinityByHand(t *testing.T) {
	cases := []struct {
		algo                string
		keys                int
		affinity, imbalance float64
	}{
		{policies.NameRoundRobin, 1, 0, 1},
		{policies.NameSticky, 20, 1, -1},
		{policies.NameRingHash, 20, 1, -1},
		{policies.NameMaglev, 1, 1, 4},
	}
	for _, c := range cases {
		t.Run(c.algo, func(t *testing.T) {
			got, ok, _ := keyedRun(t, c.algo, c.keys)
			if got["affinity"] != c.affinity {
				t.Errorf("affinity %v, want %v", got["affinity"], c.affinity)
			}
			// Windows of 99 or 100 requests: round robin's busiest has
			// 25 of 99 in one of ten windows (ratio 1.0101).
			if c.imbalance >= 0 && (got["imbalance"] < c.imbalance || got["imbalance"] > c.imbalance*1.0011) {
				t.Errorf("imbalance %v, want %v", got["imbalance"], c.imbalance)
			}
			if c.keys == 1 && got["keyed"] != float64(ok-1) {
				t.Errorf("%v keyed requests counted of %d, want all but the first", got["keyed"], ok)
			}
		})
	}
}

// failFast is an errors fault on the first instance from the start that
// answers every request with an error after 1 ms.
var failFast = models.FaultSpec{Name: "ff", Kind: models.FaultErrors, Instances: 1, ErrorRate: 1, Latency: engine.Millisecond}

// TestFailFastByHand: one of 4 instances fails every request; round
// robin sends it exactly every 4th of the 1000 requests (the 1st, 5th,
// ...), so 250 fail; of the other 750 the last, sent at 100 s, is still
// in service when the run ends: 749 succeed.
func TestFailFastByHand(t *testing.T) {
	_, ok, failed := keyedRun(t, policies.NameRoundRobin, 0, failFast)
	if ok != 749 || failed != 250 {
		t.Fatalf("ok %d, failed %d; want 749 and 250", ok, failed)
	}
}

// TestWeightedResponseTimeLearns: under weighted_response_time the
// balancer hears every answer, failures included: with one of 4
// instances failing in 1ms against 10ms answers it sends that instance
// 10/13 of the traffic (weights 1/1 against 1/10 three times), far more
// than round robin's 1/4. With constant arrivals 100ms apart nothing
// queues, so the EWMAs are exactly 1ms and 10ms.
func TestWeightedResponseTimeLearns(t *testing.T) {
	_, ok, failed := keyedRun(t, policies.NameWeightedResponseTime, 0, failFast)
	share := float64(failed) / float64(ok+failed)
	if share < 0.72 || share > 0.82 {
		t.Fatalf("fast-failing instance got %.3f of requests, want about 10/13 = 0.769", share)
	}
}

// TestWeightsReachTheBalancer: weights = [3, 1] on weighted_round_robin
// send exactly 3 of every 4 requests to the first instance created, so
// the busiest instance gets 1.5× the mean of 2 over each window of
// constant arrivals (10 req/s: about 100 per window, a window's cut
// falling inside the 4-pick cycle moves it by ±1, ±0.02).
func TestWeightsReachTheBalancer(t *testing.T) {
	cfg := models.Config{
		Name: "weights", Seed: 1, Duration: 100 * engine.Second, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{
			Name: "api", Replicas: 2, Concurrency: 1, Queue: -1,
			Balance: policies.Config{Algorithm: policies.NameWeightedRoundRobin}, Weights: []float64{3, 1},
		}},
		Workloads: []models.WorkloadSpec{{
			Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: 10}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.01},
		}},
	}
	c, err := models.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := c.Run(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := sum.Services["api"].Balancer
	if b.ArrivalImbalanceMean < 1.49 || b.ArrivalImbalanceMean > 1.51 || b.ArrivalImbalanceMax > 1.53 {
		t.Fatalf("imbalance mean %v max %v, want 1.5 (3:1 over 2 instances)", b.ArrivalImbalanceMean, b.ArrivalImbalanceMax)
	}
}
