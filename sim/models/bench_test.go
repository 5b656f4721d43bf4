package models_test

import (
	"fmt"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
)

// mm8 returns an M/M/8 at utilisation 0.8 (lambda 640/s, mean service
// 10 ms) on one instance with concurrency 8, sized to send n requests.
func mm8(n int, timeout engine.Duration) models.Config {
	return models.Config{
		Name: "mm8", Seed: 1, Duration: engine.Duration(float64(n)/640*1e9) + 1, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{Name: "svc", Replicas: 1, Concurrency: 8, Queue: -1, Algorithm: "round_robin"}},
		Workloads: []models.WorkloadSpec{{
			Name: "w", Arrival: models.Poisson, Rate: models.RateCurve{{Rate: 640}},
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.01}, Timeout: timeout,
		}},
	}
}

// BenchmarkMM8 runs the end-to-end M/M/8 model; one op is one simulated
// request (two model events: arrival and departure).
func BenchmarkMM8(b *testing.B) {
	for _, tc := range []struct {
		name    string
		timeout engine.Duration
	}{{"no-timeout", 0}, {"timeout-2s", 2 * engine.Second}} {
		b.Run(tc.name, func(b *testing.B) {
			c := benchRun(b, mm8(b.N, tc.timeout))
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
			b.ReportMetric(float64(c.Events())/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// benchRun builds cfg and runs it as the timed part of the benchmark.
func benchRun(b *testing.B, cfg models.Config) *models.Cluster {
	c, err := models.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := c.Run(nil, nil); err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkFleet sends traffic to fleets of 10, 1,000 and 10,000
// instances with each balancer, in two ways:
//   - load=scaled: utilisation 0.7 at every size, so the requests in flight
//     (and the pending completion events) grow with the fleet, 28 to 28,000;
//   - load=fixed: the same 560 req/s at every size, so only the fleet's
//     size changes: the balancer and the per-instance bookkeeping.
//
// random, round_robin and p2c pick in O(1); least_outstanding in O(log n).
func BenchmarkFleet(b *testing.B) {
	for _, load := range []string{"scaled", "fixed"} {
		for _, algo := range []string{"random", "round_robin", "p2c", "least_outstanding"} {
			for _, n := range []int{10, 1000, 10000} {
				b.Run(fmt.Sprintf("load=%s/%s/instances=%d", load, algo, n), func(b *testing.B) {
					rate := fleetRate(10) // fixed: what 10 instances carry at 70%
					if load == "scaled" {
						rate = fleetRate(n)
					}
					c := benchRun(b, fleetConfig(algo, n, rate, forRequests(b.N, rate)))
					b.ReportMetric(float64(c.Events())/b.Elapsed().Seconds(), "events/s")
				})
			}
		}
	}
}
