package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/results"
)

// edgeRun runs web (10 ms of work, then one call to db, 5 ms) under
// constant arrivals 100 ms apart for 30 s, with fault on the web → db
// edge from 10 s to 20 s.
func edgeRun(t *testing.T, fault models.FaultSpec) *results.Summary {
	t.Helper()
	fault.Service, fault.Callee = 0, 2
	fault.At, fault.Duration = engine.Time(10*engine.Second), 10*engine.Second
	_, sum := runRecorded(t, models.Config{
		Name: "edge", Seed: 2, Duration: 30 * engine.Second, Window: engine.Second,
		Services: []models.ServiceSpec{
			{Name: "web", Replicas: 1, Concurrency: 10, Queue: -1, Algorithm: "round_robin", Calls: []models.CallSpec{{Service: 1, Count: 1}}},
			{Name: "db", Replicas: 1, Concurrency: 10, Queue: -1, Algorithm: "round_robin", ServiceTime: dist.Spec{Kind: "constant", Mean: 0.005}},
		},
		Workloads: []models.WorkloadSpec{{
			Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: 10}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.01},
		}},
		Faults: []models.FaultSpec{fault},
	})
	return sum
}

// TestEdgeFaults works Envoy-style fault injection on one call edge by
// hand. Requests arrive at 0.1 s, 0.2 s, ... 30 s and call db 10 ms
// later (299 calls: the last would leave after the end); the calls sent in [10 s, 20 s) — those of the 100 requests that
// arrive at 10.0 ... 19.9 s — are hit. An abort of every call fails
// those 100 calls (and their callers, on_error "fail") and db never sees
// them; a 200 ms delay makes them 205 ms and their callers 215 ms, the
// other 199 calls 5 ms.
func TestEdgeFaults(t *testing.T) {
	sum := edgeRun(t, models.FaultSpec{Name: "abort", Kind: models.FaultErrors, ErrorRate: 1, Instances: 1})
	e := sum.Edges[0]
	if e.Calls != 299 || e.Errors != 100 || sum.Requests.Failed != 100 || sum.Services["db"].Requests.OK != 199 {
		t.Errorf("abort: %d calls, %d errors, %d failed, db served %d; want 299, 100, 100, 199",
			e.Calls, e.Errors, sum.Requests.Failed, sum.Services["db"].Requests.OK)
	}
	sum = edgeRun(t, models.FaultSpec{Name: "delay", Kind: models.FaultSlow, Latency: 200 * engine.Millisecond, Instances: 1})
	e = sum.Edges[0]
	if e.Errors != 0 || math.Abs(e.LatencyMs.Max-205) > 1e-9 || math.Abs(e.LatencyMs.Mean-(100*205+199*5)/299.0) > 1e-9 {
		t.Errorf("delay: %d errors, call latency max %v mean %v; want 0, 205, %v", e.Errors, e.LatencyMs.Max, e.LatencyMs.Mean, (100*205+199*5)/299.0)
	}
	if math.Abs(sum.LatencyMs.Max-215) > 1e-9 {
		t.Errorf("delay: caller latency max %v, want 215", sum.LatencyMs.Max)
	}
}
