package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/results"
)

func constMs(ms float64) dist.Spec { return dist.Spec{Kind: "constant", Mean: ms / 1000} }

// callService is a roomy service (no queueing) with a constant service
// time, making the given calls.
func callService(name string, ms float64, replicas int, calls ...models.CallSpec) models.ServiceSpec {
	return models.ServiceSpec{Name: name, Replicas: replicas, Concurrency: 100, Queue: -1, Algorithm: "round_robin", ServiceTime: constMs(ms), Calls: calls}
}

// fanOut runs 10 req/s for 100 s into "front" (10 ms of its own work),
// which calls auth (5 ms), then db ×3 and search (20 and 30 ms) in
// parallel, then log (2 ms) twice in sequence.
func fanOut(t *testing.T, authReplicas int, onError models.OnError) *results.Summary {
	t.Helper()
	_, sum := runRecorded(t, models.Config{
		Name: "fanout", Seed: 1, Duration: 100 * engine.Second, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{
			callService("front", 10, 2,
				models.CallSpec{Service: 1, Count: 1, OnError: onError},
				models.CallSpec{Service: 2, Count: 3, Parallel: true},
				models.CallSpec{Service: 3, Count: 1, Parallel: true},
				models.CallSpec{Service: 4, Count: 2}),
			callService("auth", 5, authReplicas),
			callService("db", 20, 2),
			callService("search", 30, 2),
			callService("log", 2, 2),
		},
		Workloads: []models.WorkloadSpec{{
			Name: "w", Service: 0, Arrival: models.Constant, Rate: models.RateCurve{{At: 0, Rate: 10}}, ServiceTime: constMs(10),
		}},
	})
	return sum
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-3*want+1e-9 {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// TestCriticalPath: with deterministic service times and no queueing, the
// end-to-end latency of a fan-out is its critical path, computed by hand:
// own work 10 ms + auth 5 ms + max(db 20, search 30) ms + log 2 × 2 ms =
// 49 ms; each edge's latency is its callee's service time, and the edge
// table counts every call (db three per request, log two).
func TestCriticalPath(t *testing.T) {
	sum := fanOut(t, 2, models.FailCaller)
	lat := sum.Workloads["w"].LatencyMs
	near(t, "end-to-end mean (ms)", lat.Mean, 49)
	near(t, "end-to-end max (ms)", lat.Max, 49)
	near(t, "end-to-end p50 (ms)", lat.P50, 49)
	n := sum.Requests.OK
	if n < 990 || sum.Requests.Errors != 0 {
		t.Fatalf("requests %+v", sum.Requests)
	}
	want := []struct {
		to    string
		calls int64
		ms    float64
	}{{"auth", n, 5}, {"db", 3 * n, 20}, {"search", n, 30}, {"log", 2 * n, 2}}
	if len(sum.Edges) != len(want) {
		t.Fatalf("edges %+v", sum.Edges)
	}
	for i, w := range want {
		e := sum.Edges[i]
		if e.From != "front" || e.To != w.to || e.Calls != w.calls || e.Errors != 0 {
			t.Errorf("edge %d = %+v, want front→%s with %d calls", i, e, w.to, w.calls)
		}
		near(t, "edge "+w.to+" p99 (ms)", e.LatencyMs.P99, w.ms)
	}
	// Each callee's own sojourn is its service time; front holds its
	// slot for the whole 49 ms: Little's law, in flight = 10/s × 49 ms.
	near(t, "db service mean (ms)", sum.Services["db"].LatencyMs.Mean, 20)
	near(t, "front in flight (Little)", sum.Services["front"].InFlightMean, 0.49)
}

// TestOnError: auth has no instance, so every call to it is rejected.
// "fail" fails the caller's request; "ignore" carries on with the other
// calls (10 + 30 + 4 = 44 ms); "fallback" answers at once after the
// failed call (10 ms: the rejection is immediate).
func TestOnError(t *testing.T) {
	failed := fanOut(t, 0, models.FailCaller)
	if failed.Requests.OK != 0 || failed.Requests.Failed != failed.Requests.Total || failed.Requests.Total < 990 {
		t.Errorf("fail: requests %+v, want all failed", failed.Requests)
	}
	if e := failed.Edges[0]; e.Errors != e.Calls || e.Calls != failed.Requests.Total {
		t.Errorf("fail: auth edge %+v, want every call an error", e)
	}
	if failed.Edges[1].Calls != 0 {
		t.Errorf("fail: the caller went on calling db: %+v", failed.Edges[1])
	}
	ignored := fanOut(t, 0, models.IgnoreError)
	near(t, "ignore: end-to-end max (ms)", ignored.Workloads["w"].LatencyMs.Max, 44)
	if ignored.Requests.Errors != 0 {
		t.Errorf("ignore: %d errors", ignored.Requests.Errors)
	}
	fb := fanOut(t, 0, models.Fallback)
	near(t, "fallback: end-to-end max (ms)", fb.Workloads["w"].LatencyMs.Max, 10)
	if fb.Requests.Errors != 0 || fb.Edges[1].Calls != 0 {
		t.Errorf("fallback: %d errors, %d db calls", fb.Requests.Errors, fb.Edges[1].Calls)
	}
}

// TestCallChain: a → b → c, each 10 ms, sequential: 30 ms end to end, and
// a slow c (one instance, concurrency 1, 10 ms at 90 req/s: M/D/1 at ρ =
// 0.9) holds b's and a's slots while it queues: b's in-flight requests
// equal c's (Little's law on the chain).
func TestCallChain(t *testing.T) {
	chain := func(rate float64, cConc int) *results.Summary {
		c := callService("c", 10, 1)
		c.Concurrency = cConc
		_, sum := runRecorded(t, models.Config{
			Name: "chain", Seed: 2, Duration: 1000 * engine.Second, Window: 10 * engine.Second, Warmup: 20 * engine.Second,
			Services: []models.ServiceSpec{
				callService("a", 10, 1, models.CallSpec{Service: 1, Count: 1}),
				callService("b", 10, 1, models.CallSpec{Service: 2, Count: 1}),
				c,
			},
			Workloads: []models.WorkloadSpec{{
				Name: "w", Service: 0, Arrival: models.Poisson, Rate: models.RateCurve{{At: 0, Rate: rate}}, ServiceTime: constMs(10),
			}},
		})
		return sum
	}
	fast := chain(50, 100)
	near(t, "chain end-to-end max (ms)", fast.Workloads["w"].LatencyMs.Max, 30)
	slow := chain(90, 1)
	// M/D/1 mean wait (Pollaczek–Khinchine): ρ·S / (2(1−ρ)) = 45 ms.
	within(t, "c's mean wait (ms)", slow.Services["c"].WaitMsMean, 45, 0.05)
	within(t, "end-to-end mean = 30 ms + c's wait", slow.Workloads["w"].LatencyMs.Mean, 30+slow.Services["c"].WaitMsMean, 0.01)
	if b, c := slow.Services["b"].InFlightMean, slow.Services["c"].InFlightMean; b < c {
		t.Errorf("b has %v in flight, fewer than its callee c's %v", b, c)
	}
}

// TestErlangB: a pool with no waiting room (one instance, concurrency
// c = 10, queue 0) offered 8 Erlangs blocks a fraction B(c, a) of
// requests, Erlang's loss formula: B(10, 8) = 0.1217, computed by the
// recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)). Reference:
// Kleinrock, Queueing Systems Vol. 1 (1975), eq. 3.46 (M/M/m/m); the
// formula is insensitive to the service-time distribution: exponential
// and constant service times both check it.
func TestErlangB(t *testing.T) {
	b := 1.0
	for k := 1; k <= 10; k++ {
		b = 8 * b / (float64(k) + 8*b)
	}
	if math.Abs(b-0.1217) > 0.00005 {
		t.Fatalf("Erlang B recursion gives %v, want 0.1217", b)
	}
	for _, st := range []dist.Spec{{Kind: "exponential", Mean: 0.1}, {Kind: "constant", Mean: 0.1}} {
		s := queueRun(t, 4, 20000*engine.Second, 80, st, 1, 10, 0)
		blocked := float64(s.Requests.Rejected) / float64(s.Requests.Total)
		within(t, st.Kind+" service: blocking vs Erlang B", blocked, b, 0.02)
	}
}
