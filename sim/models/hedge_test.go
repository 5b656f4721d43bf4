package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/results"
)

// hedgeRun sends 20 req/s (Poisson) for 5000 s to two roomy instances
// (no queueing) with exponential service times of mean 10 ms, hedged
// after delay (nil: not hedged).
func hedgeRun(t *testing.T, hedge *models.HedgeSpec, timeout engine.Duration) *results.Summary {
	t.Helper()
	_, sum := runRecorded(t, models.Config{
		Name: "hedge", Seed: 11, Duration: 5000 * engine.Second, Window: 100 * engine.Second,
		Services: []models.ServiceSpec{{Name: "svc", Replicas: 2, Concurrency: 1000, Queue: -1, Algorithm: "round_robin"}},
		Workloads: []models.WorkloadSpec{{
			Name: "w", Service: 0, Arrival: models.Poisson, Rate: models.RateCurve{{At: 0, Rate: 20}},
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.010}, Hedge: hedge, Timeout: timeout,
		}},
	})
	return sum
}

// TestHedgeTail: hedged requests against independent servers with
// exponential service times X ~ Exp(mean m = 10 ms), a copy sent after
// d = 10 ms without an answer (Dean & Barroso, "The Tail at Scale", CACM
// 2013). With no queueing the latency is T = min(X1, d + X2), so for
// t >= d, P(T > t) = e^{-t/m}·e^{-(t-d)/m}, and the p99 solves
// e^{-(2t-d)/m} = 0.01: t = (d + m·ln 100)/2 = 28.03 ms, against
// m·ln 100 = 46.05 ms unhedged. A copy goes out for the requests slower
// than d: e^{-d/m} = e^{-1} = 36.8% of them, and since losers are left
// to finish each copy costs its full work: the servers' busy time grows
// by the same 36.8%. The mean is ∫P(T > t) dt = m(1 − e^{-1}) + m·e^{-1}/2
// = 8.16 ms.
func TestHedgeTail(t *testing.T) {
	const m, d = 10.0, 10.0
	plain := hedgeRun(t, nil, 0)
	hedged := hedgeRun(t, &models.HedgeSpec{Delay: 10 * engine.Millisecond, Max: 1}, 0)
	within(t, "unhedged p99 (ms)", plain.LatencyMs.P99, m*math.Log(100), 0.02)
	within(t, "hedged p99 (ms)", hedged.LatencyMs.P99, (d+m*math.Log(100))/2, 0.02)
	within(t, "hedged mean (ms)", hedged.LatencyMs.Mean, m*(1-math.Exp(-1))+m*math.Exp(-1)/2, 0.02)
	if plain.Requests.Hedges != nil {
		t.Errorf("requests.hedges = %d without hedging, want absent", *plain.Requests.Hedges)
	}
	if hedged.Requests.Hedges == nil {
		t.Fatal("requests.hedges absent with hedging")
	}
	within(t, "hedges per request", float64(*hedged.Requests.Hedges)/float64(hedged.Requests.Total), math.Exp(-1), 0.02)
	within(t, "extra load (busy time hedged / unhedged)",
		hedged.Services["svc"].Utilization.Mean/plain.Services["svc"].Utilization.Mean, 1+math.Exp(-1), 0.02)
	if hedged.Requests.Errors != 0 || hedged.Requests.OK < 99_000 {
		t.Errorf("hedged requests %+v", hedged.Requests)
	}
}

// TestHedgeMaxAndTimeout: with up to 3 copies, one every d = m, a copy
// goes out at kd when every copy already out is still running: at d with
// P = e^{-1}, at 2d with P = e^{-2}·e^{-1} (the original has run 2d, the
// first copy d), at 3d with P = e^{-3}·e^{-2}·e^{-1}: e^{-1} + e^{-3} +
// e^{-6} = 0.420 copies a request. A 15 ms timeout belongs to the
// request, not to each copy: it fails exactly the requests with T > 15
// ms, P = e^{-1.5}·e^{-0.5} = e^{-2} = 13.5% (one copy at most).
func TestHedgeMaxAndTimeout(t *testing.T) {
	sum := hedgeRun(t, &models.HedgeSpec{Delay: 10 * engine.Millisecond, Max: 3}, 0)
	want := math.Exp(-1) + math.Exp(-3) + math.Exp(-6)
	within(t, "hedges per request, max 3", float64(*sum.Requests.Hedges)/float64(sum.Requests.Total), want, 0.02)
	to := hedgeRun(t, &models.HedgeSpec{Delay: 10 * engine.Millisecond, Max: 1}, 15*engine.Millisecond)
	within(t, "timed-out share", float64(to.Requests.Timeouts)/float64(to.Requests.Total), math.Exp(-2), 0.03)
	if to.LatencyMs.Max > 15 {
		t.Errorf("an answer after the 15 ms timeout was counted: max %v ms", to.LatencyMs.Max)
	}
}
