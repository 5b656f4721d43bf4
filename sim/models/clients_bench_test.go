package models_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
)

// chain3 returns 640 req/s into front, which calls mid, which calls back:
// each service does 10 ms of exponential work; concurrency is roomy, so
// that the chain's slots held while waiting never queue. n requests.
func chain3(n int) models.Config {
	svc := func(name string, calls ...models.CallSpec) models.ServiceSpec {
		return models.ServiceSpec{Name: name, Replicas: 1, Concurrency: 64, Queue: -1, Algorithm: "round_robin",
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.01}, Calls: calls}
	}
	return models.Config{
		Name: "chain3", Seed: 1, Duration: engine.Duration(float64(n)/640*1e9) + 1, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{
			svc("front", models.CallSpec{Service: 1, Count: 1}),
			svc("mid", models.CallSpec{Service: 2, Count: 1}),
			svc("back"),
		},
		Workloads: []models.WorkloadSpec{{
			Name: "w", Arrival: models.Poisson, Rate: models.RateCurve{{Rate: 640}},
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.01},
		}},
	}
}

// BenchmarkThreeServices runs requests that cross three services (front →
// mid → back); one op is one client request: three arrivals at services
// and three completions. Issue 13's budget: at most 3.5× BenchmarkMM8's
// no-timeout op.
func BenchmarkThreeServices(b *testing.B) {
	c := benchRun(b, chain3(b.N))
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
	b.ReportMetric(float64(c.Events())/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkClosedUsers runs 100,000 closed-loop users (think 10 s, 10 ms
// of work on 128 slots: ~10,000 req/s); one op is one request.
func BenchmarkClosedUsers(b *testing.B) {
	cfg := models.Config{
		Name: "users", Seed: 1, Duration: engine.Duration(float64(b.N)/10000*1e9) + 1, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{Name: "svc", Replicas: 1, Concurrency: 128, Queue: -1, Algorithm: "round_robin"}},
		Workloads: []models.WorkloadSpec{{
			Name: "w", Users: 100_000, Think: dist.Spec{Kind: "exponential", Mean: 10},
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.01},
		}},
	}
	benchRun(b, cfg)
}
