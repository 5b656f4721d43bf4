package models_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/retry"
	"github.com/clustersim/clustersim/sim/results"
)

// closedRun runs n closed-loop users with a constant think time z (s)
// against one single-server instance of exponential service time s (s).
// The think time is constant so that the law's Z carries no sampling
// noise: with R much smaller than Z, a 0.4% error in a sampled mean Z
// would be a 10% error in N/X − Z.
func closedRun(t *testing.T, n int, z, s float64, dur engine.Duration) *results.Summary {
	t.Helper()
	_, sum := runRecorded(t, models.Config{
		Name: "closed", Seed: 3, Duration: dur, Warmup: 100 * engine.Second, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{Name: "svc", Replicas: 1, Concurrency: 1, Queue: -1, Algorithm: "round_robin"}},
		Workloads: []models.WorkloadSpec{{
			Name: "users", Service: 0, Users: n,
			Think:       dist.Spec{Kind: "constant", Mean: z},
			ServiceTime: dist.Spec{Kind: "exponential", Mean: s},
		}},
	})
	return sum
}

// mva is exact Mean Value Analysis of a closed network of one FCFS
// queueing centre of demand d and a delay centre of think time z, for n
// customers: R(k) = d·(1 + Q(k−1)), X(k) = k/(z + R(k)), Q(k) = X(k)·R(k).
// Reference: Lazowska, Zahorjan, Graham, Sevcik, "Quantitative System
// Performance" (1984), §6.3 (exact MVA), Algorithm 6.1.
func mva(n int, d, z float64) (r, x float64) {
	q := 0.0
	for k := 1; k <= n; k++ {
		r = d * (1 + q)
		x = float64(k) / (z + r)
		q = x * r
	}
	return r, x
}

// TestResponseTimeLaw checks closed-loop users against the interactive
// response-time law R = N/X − Z (Lazowska et al., "Quantitative System
// Performance" (1984), §3.2.4; Jain, "The Art of Computer Systems
// Performance Analysis" (1991), §33.4) within 1%, and the measured
// throughput and response time against exact MVA (same book, §6.3)
// within 2% (MVA is exact for exponential service at the queueing centre
// and any think-time distribution at the delay centre: BCMP), below, near
// and beyond the saturation point N* = (D+Z)/D = 51.
func TestResponseTimeLaw(t *testing.T) {
	const z, d = 1.0, 0.02
	for _, n := range []int{20, 45, 100} {
		sum := closedRun(t, n, z, d, 8000*engine.Second)
		x := sum.ThroughputRPS
		r := sum.LatencyMs.Mean / 1000
		if sum.Requests.Errors != 0 {
			t.Fatalf("N=%d: %d errors, want none", n, sum.Requests.Errors)
		}
		within(t, "R vs N/X − Z (s)", r, float64(n)/x-z, 0.01)
		wantR, wantX := mva(n, d, z)
		within(t, "X vs MVA (req/s)", x, wantX, 0.02)
		within(t, "R vs MVA (s)", r, wantR, 0.02)
	}
}

// TestClosedLoopThroughputFlattens: past saturation, more users add
// latency, not throughput (the bound X <= 1/D, Lazowska et al. §5.2).
func TestClosedLoopThroughputFlattens(t *testing.T) {
	a := closedRun(t, 100, 1, 0.02, 1000*engine.Second)
	b := closedRun(t, 400, 1, 0.02, 1000*engine.Second)
	if a.ThroughputRPS > 50.5 || b.ThroughputRPS > 50.5 || b.ThroughputRPS < 49 {
		t.Errorf("throughput %v and %v req/s, want both at the bound 1/D = 50", a.ThroughputRPS, b.ThroughputRPS)
	}
	// Beyond saturation R = N·D − Z (Lazowska §5.2, the asymptote).
	within(t, "R at N=400 (s)", b.LatencyMs.Mean/1000, 400*0.02-1, 0.02)
}

// retryRun sends requests to a service with no instance, so every attempt
// is rejected at once, with the given retry policy.
func retryRun(t *testing.T, w models.WorkloadSpec, dur engine.Duration) *results.Summary {
	t.Helper()
	w.Name, w.Service = "w", 0
	w.ServiceTime = dist.Spec{Kind: "constant", Mean: 0.01}
	_, sum := runRecorded(t, models.Config{
		Name: "retry", Seed: 5, Duration: dur, Window: engine.Second,
		Services:  []models.ServiceSpec{{Name: "svc", Replicas: 0, Concurrency: 1, Queue: -1, Algorithm: "round_robin"}},
		Workloads: []models.WorkloadSpec{w},
	})
	return sum
}

// TestRetrySchedule: one closed-loop user with no think time against a
// service that rejects everything, retrying 3 attempts in all with
// backoff 100 ms and no jitter: each request takes 100 + 200 ms of
// backoff (AWS "Exponential Backoff and Jitter": min(cap, base·2^attempt)),
// so 30 s hold exactly 100 requests and 200 retries; the 101st, sent at
// 30 s, has its first attempt rejected when the run ends.
func TestRetrySchedule(t *testing.T) {
	sum := retryRun(t, models.WorkloadSpec{
		Users: 1, Think: dist.Spec{Kind: "constant", Mean: 0},
		Retry: &models.RetrySpec{Attempts: 3, Backoff: 100 * engine.Millisecond, Jitter: retry.None},
	}, 30*engine.Second+engine.Millisecond)
	if sum.Requests.Total != 100 || sum.Requests.Rejected != 100 || sum.Requests.Retries != 200 {
		t.Errorf("requests %+v, want 100 rejected after 200 retries", sum.Requests)
	}
	if got := sum.Services["svc"].Requests.Rejected; got != 301 {
		t.Errorf("the service rejected %d attempts, want 301", got)
	}
}

// TestRetryBudget: with a budget of 0.2 (Finagle RetryBudget's default
// percentCanRetry), retries stay within 20% of requests however many
// attempts the policy allows; without one every request is retried
// attempts−1 times.
func TestRetryBudget(t *testing.T) {
	spec := func(budget bool) models.WorkloadSpec {
		return models.WorkloadSpec{
			Arrival: models.Constant, Rate: models.RateCurve{{At: 0, Rate: 100}},
			Retry: &models.RetrySpec{Attempts: 4, Backoff: 10 * engine.Millisecond, Jitter: retry.Full, Budget: 0.2, HasBudget: budget},
		}
	}
	free := retryRun(t, spec(false), 60*engine.Second)
	// Requests still retrying when the run ends add a few retries.
	if got, want := free.Requests.Retries, 3*free.Requests.Total; got < want || got > want+10 {
		t.Errorf("without a budget: %d retries for %d requests, want 3 each", got, free.Requests.Total)
	}
	capped := retryRun(t, spec(true), 60*engine.Second)
	ratio := float64(capped.Requests.Retries) / float64(capped.Requests.Total)
	if ratio > 0.2 || ratio < 0.19 {
		t.Errorf("with budget 0.2: %d retries for %d requests (%.3f), want just under 0.2", capped.Requests.Retries, capped.Requests.Total, ratio)
	}
}

// TestUserSchedule: the user count follows its schedule, 20 → 100 → 20:
// in each phase the throughput settles at exact MVA's for that many
// users (Lazowska et al. §6.3), within 3% over the phase's second half;
// surplus users leave as they finish their requests.
func TestUserSchedule(t *testing.T) {
	const z, d = 1.0, 0.02
	rec, _ := runRecorded(t, models.Config{
		Name: "users-schedule", Seed: 6, Duration: 3000 * engine.Second, Window: 100 * engine.Second,
		Services: []models.ServiceSpec{{Name: "svc", Replicas: 1, Concurrency: 1, Queue: -1, Algorithm: "round_robin"}},
		Workloads: []models.WorkloadSpec{{
			Name: "users", Service: 0, Users: 20,
			UserSchedule: []models.UserStep{{At: engine.Time(1000 * engine.Second), Users: 100}, {At: engine.Time(2000 * engine.Second), Users: 20}},
			Think:        dist.Spec{Kind: "constant", Mean: z},
			ServiceTime:  dist.Spec{Kind: "exponential", Mean: d},
		}},
	})
	col := -1
	for j, c := range rec.cols {
		if c == "svc.ok" {
			col = j
		}
	}
	phase := func(from, to float64) float64 {
		sum, n := 0.0, 0
		for i, ts := range rec.ts {
			if ts > from && ts <= to {
				sum += rec.rows[i][col]
				n++
			}
		}
		return sum / float64(n)
	}
	_, x20 := mva(20, d, z)
	_, x100 := mva(100, d, z)
	within(t, "X with 20 users", phase(500, 1000), x20, 0.03)
	within(t, "X with 100 users", phase(1500, 2000), x100, 0.03)
	within(t, "X back at 20 users", phase(2500, 3000), x20, 0.03)
}
