package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/breaker"
	"github.com/clustersim/clustersim/sim/policies/retry"
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

// TestResilienceTogether runs every resilience feature at once through an
// overload (hedged clients with a timeout, sidecars on both tiers, a call
// with a timeout, retries honouring Retry-After and an error-rate breaker,
// a callee with a small queue and a cache) and checks that the request
// accounting adds up, that hedged copies never answer twice, and that
// the same seed gives the same figures.
func TestResilienceTogether(t *testing.T) {
	cfg := func() models.Config {
		front := callService("front", 2, 2, models.CallSpec{Service: 1, Count: 2, Parallel: true, OnError: models.Fallback,
			Timeout: 30 * engine.Millisecond,
			Retry:   &models.RetrySpec{Attempts: 3, Backoff: 5 * engine.Millisecond, Jitter: retry.Full},
			Breaker: &breaker.Config{ErrorRate: 0.5, Window: 50, MinRequests: 20, OpenFor: engine.Second, Probes: 3}})
		front.Sidecar = &models.SidecarSpec{Latency: engine.Millisecond / 2}
		back := models.ServiceSpec{Name: "back", Replicas: 2, Concurrency: 2, Queue: 3, Algorithm: "least_outstanding",
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.01}, RetryAfter: 20 * engine.Millisecond,
			Sidecar: &models.SidecarSpec{Latency: engine.Millisecond / 2},
			Cache:   &models.CacheSpec{Capacity: 50, Keys: 1000, Zipf: 1}}
		return models.Config{
			Name: "together", Seed: 9, Duration: 200 * engine.Second, Window: 10 * engine.Second, Warmup: 20 * engine.Second,
			Services: []models.ServiceSpec{front, back},
			Workloads: []models.WorkloadSpec{{
				Name: "w", Service: 0, Arrival: models.Poisson,
				Rate:        models.RateCurve{{At: 0, Rate: 100}, {At: engine.Time(60 * engine.Second), Rate: 400}, {At: engine.Time(120 * engine.Second), Rate: 100}},
				ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.002}, Timeout: 80 * engine.Millisecond,
				Hedge: &models.HedgeSpec{Delay: 20 * engine.Millisecond, Max: 2},
			}},
		}
	}
	_, a := runRecorded(t, cfg())
	_, b := runRecorded(t, cfg())
	r := a.Requests
	if r.Total != r.OK+r.Timeouts+r.Rejected+r.Failed || r.Total == 0 || r.OK == 0 || r.Timeouts == 0 {
		t.Errorf("requests %+v do not add up, or the overload did not show", r)
	}
	if off := float64(r.Total) / (100*40 + 400*60 + 100*80); off < 0.95 || off > 1.05 {
		t.Errorf("%d requests ended of ~%d sent: copies answered twice or requests were lost", r.Total, 100*40+400*60+100*80)
	}
	if a.LatencyMs.Max > 80 {
		t.Errorf("an answer after the 80 ms timeout was counted: %v ms", a.LatencyMs.Max)
	}
	e := a.Edges[0]
	if e.Retries == 0 || e.Timeouts == 0 || e.ShortCircuited == 0 || *r.Hedges == 0 {
		t.Errorf("edge %+v hedges %d: some feature never acted", e, *r.Hedges)
	}
	ra, rb := a.Requests, b.Requests
	ra.Hedges, rb.Hedges, ra.ErrorRatio, rb.ErrorRatio = nil, nil, 0, 0
	if ra != rb || *a.Requests.Hedges != *b.Requests.Hedges || a.LatencyMs != b.LatencyMs || a.Edges[0] != b.Edges[0] {
		t.Errorf("same seed, different figures: %+v vs %+v", a.Requests, b.Requests)
	}
	t.Logf("requests %+v hedges %d; edge %+v", r, *r.Hedges, e)
}
