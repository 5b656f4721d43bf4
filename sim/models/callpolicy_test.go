package models_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/breaker"
	"github.com/clustersim/clustersim/sim/policies/retry"
	"github.com/clustersim/clustersim/sim/results"
)

// callPolicyRun sends one request a second (at 1, 2 ... 100 s) to front
// (1 ms of its own work), which makes call k to dep (service time depMs,
// depReplicas roomy instances, Retry-After after).
func callPolicyRun(t *testing.T, k models.CallSpec, depMs float64, depReplicas int, after engine.Duration) *results.Summary {
	t.Helper()
	k.Service, k.Count = 1, 1
	dep := callService("dep", depMs, depReplicas)
	dep.RetryAfter = after
	_, sum := runRecorded(t, models.Config{
		Name: "call-policy", Seed: 3, Duration: 100*engine.Second + engine.Second/2, Window: engine.Second / 2,
		Services: []models.ServiceSpec{callService("front", 1, 1, k), dep},
		Workloads: []models.WorkloadSpec{{
			Name: "w", Service: 0, Arrival: models.Constant, Rate: models.RateCurve{{At: 0, Rate: 1}}, ServiceTime: constMs(1),
		}},
	})
	return sum
}

// TestCallTimeoutRetry: dep takes 100 ms, the caller waits 50 ms per
// attempt and retries 3 attempts in all with backoff 10 ms, no jitter
// (min(cap, 10·2^k) ms, AWS "Exponential Backoff and Jitter"): attempts
// at 1, 61 and 131 ms after the call, each given up at +50 ms; the call
// fails at 1 + 50 + 10 + 50 + 20 + 50 = 181 ms. With on_error =
// "fallback" every request is answered at 181 ms; the edge counts 100
// calls, 100 errors, 200 retries and 300 timeouts, and dep works on all
// 300 attempts (they are not cancelled). A dep of 30 ms answers the
// first attempt: 31 ms, no retry.
func TestCallTimeoutRetry(t *testing.T) {
	k := models.CallSpec{OnError: models.Fallback, Timeout: 50 * engine.Millisecond,
		Retry: &models.RetrySpec{Attempts: 3, Backoff: 10 * engine.Millisecond, Jitter: retry.None}}
	slow := callPolicyRun(t, k, 100, 1, 0)
	near(t, "end-to-end max (ms)", slow.Workloads["w"].LatencyMs.Max, 181)
	near(t, "end-to-end p50 (ms)", slow.Workloads["w"].LatencyMs.P50, 181)
	e := slow.Edges[0]
	if slow.Requests.OK != 100 || e.Calls != 100 || e.Errors != 100 || e.Retries != 200 || e.Timeouts != 300 {
		t.Errorf("requests %+v, edge %+v: want 100 ok, 100 calls failed after 200 retries and 300 timeouts", slow.Requests, e)
	}
	if got := slow.Services["dep"].Requests.Timeouts; got != 300 {
		t.Errorf("dep counts %d timed-out attempts, want 300", got)
	}
	fast := callPolicyRun(t, k, 30, 1, 0)
	near(t, "fast dep: end-to-end max (ms)", fast.Workloads["w"].LatencyMs.Max, 31)
	if e := fast.Edges[0]; e.Retries != 0 || e.Timeouts != 0 || e.Errors != 0 {
		t.Errorf("fast dep edge %+v", e)
	}
	k.OnError = models.FailCaller
	failed := callPolicyRun(t, k, 100, 1, 0)
	if failed.Requests.Failed != 100 || failed.Requests.OK != 0 {
		t.Errorf("on_error fail: requests %+v, want 100 failed", failed.Requests)
	}
}

// TestCallRetryAfter: dep has no instance and answers every attempt with
// a 503 carrying Retry-After 40 ms; the caller's retry (3 attempts,
// backoff 10 ms, no jitter) waits max(10, 40) and max(20, 40) ms (RFC
// 9110 §10.2.3): the call fails 80 ms after it was made, the fallback
// answers at 81 ms.
func TestCallRetryAfter(t *testing.T) {
	k := models.CallSpec{OnError: models.Fallback,
		Retry: &models.RetrySpec{Attempts: 3, Backoff: 10 * engine.Millisecond, Jitter: retry.None}}
	sum := callPolicyRun(t, k, 10, 0, 40*engine.Millisecond)
	near(t, "end-to-end max (ms)", sum.Workloads["w"].LatencyMs.Max, 81)
	if e := sum.Edges[0]; e.Retries != 200 || e.Errors != 100 {
		t.Errorf("edge %+v, want 200 retries and 100 errors", e)
	}
	plain := callPolicyRun(t, k, 10, 0, 0)
	near(t, "without Retry-After: end-to-end max (ms)", plain.Workloads["w"].LatencyMs.Max, 1+10+20)
}

// TestCallBreaker: dep rejects every call; the caller's error-rate breaker
// (50% of the last 4 calls, once 4 are in; open 10 s; 1 probe) opens
// after the calls at 1 ... 4 s, short-circuits 5 ... 13 s, probes at 14 s
// (rejected: open again), and so on: probes at 14, 24 ... 94 s, and
// 95 ... 100 s short-circuited. Of 100 calls 4 + 9 reach dep and 87 fail
// at once; every call is an error on the edge, none is retried.
func TestCallBreaker(t *testing.T) {
	k := models.CallSpec{OnError: models.Fallback,
		Breaker: &breaker.Config{ErrorRate: 0.5, Window: 4, MinRequests: 4, OpenFor: 10 * engine.Second, Probes: 1}}
	sum := callPolicyRun(t, k, 10, 0, 0)
	e := sum.Edges[0]
	if e.Calls != 100 || e.Errors != 100 || e.ShortCircuited != 87 {
		t.Errorf("edge %+v, want 100 calls, 100 errors, 87 short-circuited", e)
	}
	if got := sum.Services["dep"].Requests.Rejected; got != 13 {
		t.Errorf("dep rejected %d calls, want 13", got)
	}
}

// TestCallRetryThroughChain: front calls mid (retry: 2 attempts, 10 ms
// backoff), mid calls back, which has no instance: each attempt of mid's
// call fails, so mid fails, and front retries it once. A retried attempt
// is a fresh caller of its own calls: back sees 2 calls a request. Per
// request: mid 2 attempts, back 2 calls, all failed; front's fallback
// answers after 1 + 10 (mid) + 10 (backoff) + 10 (mid) = 31 ms.
func TestCallRetryThroughChain(t *testing.T) {
	_, sum := runRecorded(t, models.Config{
		Name: "call-chain-retry", Seed: 3, Duration: 100*engine.Second + engine.Second/2, Window: engine.Second / 2,
		Services: []models.ServiceSpec{
			callService("front", 1, 1, models.CallSpec{Service: 1, Count: 1, OnError: models.Fallback,
				Retry: &models.RetrySpec{Attempts: 2, Backoff: 10 * engine.Millisecond, Jitter: retry.None}}),
			callService("mid", 10, 1, models.CallSpec{Service: 2, Count: 1}),
			callService("back", 10, 0),
		},
		Workloads: []models.WorkloadSpec{{
			Name: "w", Service: 0, Arrival: models.Constant, Rate: models.RateCurve{{At: 0, Rate: 1}}, ServiceTime: constMs(1),
		}},
	})
	if fm, mb := sum.Edges[0], sum.Edges[1]; fm.Calls != 100 || fm.Errors != 100 || fm.Retries != 100 || mb.Calls != 200 || mb.Errors != 200 {
		t.Errorf("edges %+v / %+v: want front→mid 100 calls failed after 100 retries, mid→back 200 failed", fm, mb)
	}
	near(t, "end-to-end max (ms)", sum.Workloads["w"].LatencyMs.Max, 31)
}

// TestCallPolicyUnderEdgeFault: a [[fault]] on the front → dep edge
// (Envoy's fault filter on the caller's route) acts on every attempt of a
// call with a timeout and retries (2 attempts, 10 ms backoff, no jitter;
// dep answers in 10 ms):
//   - slow, 60 ms: each attempt is held 60 ms, so the caller's 50 ms
//     timeout gives up on both: 1 + 50 + 10 + 50 = 111 ms, then the
//     fallback; 200 timeouts and 100 retries on the edge.
//   - errors at 100% after 5 ms: each attempt is aborted at 5 ms:
//     1 + 5 + 10 + 5 = 21 ms.
func TestCallPolicyUnderEdgeFault(t *testing.T) {
	for _, tc := range []struct {
		kind              models.FaultKind
		rate              float64
		lat               engine.Duration
		wantMs            float64
		timeouts, retries int64
	}{
		{models.FaultSlow, 0, 60 * engine.Millisecond, 111, 200, 100},
		{models.FaultErrors, 1, 5 * engine.Millisecond, 21, 0, 100},
	} {
		k := models.CallSpec{Service: 1, Count: 1, OnError: models.Fallback, Timeout: 50 * engine.Millisecond,
			Retry: &models.RetrySpec{Attempts: 2, Backoff: 10 * engine.Millisecond, Jitter: retry.None}}
		_, sum := runRecorded(t, models.Config{
			Name: "call-fault", Seed: 3, Duration: 100*engine.Second + engine.Second/2, Window: engine.Second / 2,
			Services: []models.ServiceSpec{callService("front", 1, 1, k), callService("dep", 10, 1)},
			Workloads: []models.WorkloadSpec{{
				Name: "w", Service: 0, Arrival: models.Constant, Rate: models.RateCurve{{At: 0, Rate: 1}}, ServiceTime: constMs(1),
			}},
			Faults: []models.FaultSpec{{Name: "f", Service: 0, Instances: 1, Callee: 2, Kind: tc.kind, ErrorRate: tc.rate, Latency: tc.lat}},
		})
		near(t, tc.kind.String()+": end-to-end max (ms)", sum.Workloads["w"].LatencyMs.Max, tc.wantMs)
		e := sum.Edges[0]
		if e.Calls != 100 || e.Errors != 100 || e.Timeouts != tc.timeouts || e.Retries != tc.retries || sum.Requests.OK != 100 {
			t.Errorf("%v: edge %+v requests %+v, want 100 failed calls, %d timeouts, %d retries", tc.kind, e, sum.Requests, tc.timeouts, tc.retries)
		}
	}
}
