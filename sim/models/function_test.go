package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/cost"
	"github.com/clustersim/clustersim/sim/results"
)

// fnRun runs one constant-rate workload into one function service.
func fnRun(t *testing.T, dur engine.Duration, rate float64, work float64, fn models.FunctionSpec, memory float64) (*rowRecorder, *results.Summary) {
	t.Helper()
	return runRecorded(t, models.Config{
		Name: "function", Seed: 1, Duration: dur, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{Name: "fn", Concurrency: 1, Queue: -1, Algorithm: "round_robin",
			Memory: memory, Platform: models.PlatformFunction, Function: &fn}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant,
			Rate: models.RateCurve{{At: 0, Rate: rate}}, ServiceTime: dist.Spec{Kind: "constant", Mean: work}}},
	})
}

// Cold starts on hand-computable arrivals. One request every 20 s with a
// 10 s keep-alive: the environment is reclaimed before each next request,
// so each of the 10 requests (at 20, 40, ..., 200 s) starts cold and takes
// init + work = 200 + 100 = 300 ms. One request every 5 s: the first
// starts the only environment, the 40 after it (5 s apart, under the
// keep-alive) find it warm and take 100 ms (the one sent at 205 s, the
// end of the run, does not finish).
func TestFunctionColdStartsByKeepAlive(t *testing.T) {
	fn := models.DefaultFunctionSpec()
	fn.KeepAlive = 10 * engine.Second
	fn.ColdStart = dist.Spec{Kind: "constant", Mean: 0.2}
	cases := []struct {
		name       string
		rate       float64
		requests   int64
		coldStarts int64
	}{
		{"wider than keep-alive", 1.0 / 20, 10, 10},
		{"narrower than keep-alive", 1.0 / 5, 40, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, s := fnRun(t, 205*engine.Second, c.rate, 0.1, fn, 0.5)
			sv := s.Services["fn"]
			if sv.Requests.OK != c.requests || sv.ColdStarts != c.coldStarts {
				t.Fatalf("ok %d cold starts %d, want %d and %d", sv.Requests.OK, sv.ColdStarts, c.requests, c.coldStarts)
			}
			if got, want := sv.Function.ColdStartRatio, float64(c.coldStarts)/float64(c.requests); got != want {
				t.Errorf("cold start ratio %v, want %v", got, want)
			}
			if math.Abs(sv.Function.LatencyMsCold.Max-300) > 1 {
				t.Errorf("cold latency max %v ms, want 300", sv.Function.LatencyMsCold.Max)
			}
			if c.coldStarts < c.requests && math.Abs(sv.Function.LatencyMsWarm.P99-100) > 1 {
				t.Errorf("warm p99 %v ms, want 100", sv.Function.LatencyMsWarm.P99)
			}
			if c.coldStarts == c.requests && !results.IsMissing(sv.Function.LatencyMsWarm.P99) {
				t.Errorf("warm p99 %v ms with no warm request, want missing", sv.Function.LatencyMsWarm.P99)
			}
		})
	}
}

// The scale-out limit: "each function can scale by 1,000 execution
// environments every 10 seconds", refilled continuously
// (https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html).
// 5,000 requests per second of 1 s each need 5,000 environments; throttled
// requests are resent every second. Environments in existence at t s are
// 1,000 + 100·t: 2,000 at 10 s, 3,000 at 20 s, 4,000 at 30 s, 5,000 at 40 s.
func TestFunctionScaleRate(t *testing.T) {
	fn := models.DefaultFunctionSpec()
	fn.ConcurrencyLimit = 20000
	fn.ThrottleRetries = 100
	fn.ThrottleBackoff = engine.Second
	rec, s := fnRun(t, 40*engine.Second, 5000, 1, fn, 0.5)
	envs := rec.col("fn.replicas_desired")
	for i, want := range []float64{2000, 3000, 4000, 5000} {
		if math.Abs(envs[i]-want) > want*0.005 {
			t.Errorf("environments at %d s = %v, want %v", 10*(i+1), envs[i], want)
		} else {
			t.Logf("environments at %d s = %v, want %v", 10*(i+1), envs[i], want)
		}
	}
	sv := s.Services["fn"]
	if sv.Throttles == 0 || s.Requests.Retries == 0 || sv.Requests.Rejected != 0 {
		t.Errorf("throttles %d retries %d rejected %d: want throttles retried, none rejected", sv.Throttles, s.Requests.Retries, sv.Requests.Rejected)
	}
}

// Throttling at the account limit: 100 requests per second of 1 s each
// against a concurrency limit of 10 keep 10 environments busy; each
// second 10 requests run and 90 are throttled (429) and, with no retries,
// rejected: an error ratio of 0.9 and 10 successes per second.
func TestFunctionThrottleAtLimit(t *testing.T) {
	fn := models.DefaultFunctionSpec()
	fn.ConcurrencyLimit = 10
	rec, s := fnRun(t, 100*engine.Second, 100, 1, fn, 0.5)
	sv := s.Services["fn"]
	within(t, "error ratio", sv.Requests.ErrorRatio, 0.9, 0.01)
	within(t, "throughput", s.ThroughputRPS, 10, 0.02)
	if sv.Throttles != sv.Requests.Rejected || sv.Function.EnvironmentsMax != 10 {
		t.Errorf("throttles %d rejected %d environments %d, want throttles = rejected and 10 environments",
			sv.Throttles, sv.Requests.Rejected, sv.Function.EnvironmentsMax)
	}
	if th := rec.col("fn.throttles"); math.Abs(th[5]-90) > 1 {
		t.Errorf("throttles per second in window 6 = %v, want 90", th[5])
	}
}

// Provisioned concurrency removes cold starts below its level: at 8
// requests per second of 1 s each, 8 environments are busy at once (the
// init is instant here, so that the occupancy is exactly rate × work;
// with an init the first cold environments are held longer). With 10 or 8
// provisioned there is no cold start; with 5, the 3 beyond them start cold
// once (the keep-alive outlasts the gaps); with none, all 8 do.
func TestFunctionProvisioned(t *testing.T) {
	for _, c := range []struct{ provisioned, cold int }{{10, 0}, {8, 0}, {5, 3}, {0, 8}} {
		fn := models.DefaultFunctionSpec()
		fn.Provisioned = c.provisioned
		_, s := fnRun(t, 100*engine.Second, 8, 1, fn, 1)
		if got := s.Services["fn"].ColdStarts; got != int64(c.cold) {
			t.Errorf("provisioned %d: %d cold starts, want %d", c.provisioned, got, c.cold)
		}
	}
}

// Billing on a run, worked by hand from the Lambda price list: every
// invocation of 100.2 ms is billed 101 ms, so at 512 MB each costs
// 0.101 s × 0.5 GB × $0.0000166667 + $0.0000002. An invocation longer
// than the function's 3 s timeout fails and is billed 3,000 ms.
func TestFunctionBilling(t *testing.T) {
	fn := models.DefaultFunctionSpec()
	_, s := fnRun(t, 100*engine.Second, 10, 0.1002, fn, 0.5)
	sv := s.Services["fn"]
	n := float64(sv.Function.Invocations)
	if n < 990 {
		t.Fatalf("%v invocations, want about 1,000", n)
	}
	want := n * (0.101*0.5*0.0000166667 + 0.0000002)
	if got := s.Cost.Services["fn"]; math.Abs(got-want) > 1e-12 {
		t.Errorf("cost %v, want %v", got, want)
	}
	if got := sv.Function.BilledGBSeconds; math.Abs(got-n*0.101*0.5) > 1e-9 {
		t.Errorf("billed GB-s %v, want %v", got, n*0.101*0.5)
	}

	fn.Arch = cost.ARM
	_, s = fnRun(t, 100*engine.Second, 1, 5, fn, 1)
	sv = s.Services["fn"]
	n = float64(sv.Function.Invocations)
	if sv.Requests.Failed != sv.Function.Invocations || sv.Requests.OK != 0 {
		t.Errorf("failed %d ok %d of %v invocations, want all failed at the timeout", sv.Requests.Failed, sv.Requests.OK, n)
	}
	if want := n * (3*0.0000133334 + 0.0000002); math.Abs(s.Cost.TotalUSD-want) > 1e-12 {
		t.Errorf("cost %v, want %v", s.Cost.TotalUSD, want)
	}
}

// Warm reuse picks the environment released most recently, so when
// traffic falls the surplus environments age out: 8 requests per second
// of 1 s need 8 environments; after the rate falls to one request every
// 2 s (100 s in), the same environment serves every request and the 7
// others are reclaimed a keep-alive (30 s) after their last use. Reusing
// the least recently used instead would cycle through all 8, each used
// every 16 s, and keep them all alive.
func TestFunctionReuseMostRecent(t *testing.T) {
	fn := models.DefaultFunctionSpec()
	fn.KeepAlive = 30 * engine.Second
	rec, _ := runRecorded(t, models.Config{
		Name: "function", Seed: 1, Duration: 200 * engine.Second, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{Name: "fn", Concurrency: 1, Queue: -1, Algorithm: "round_robin",
			Memory: 1, Platform: models.PlatformFunction, Function: &fn}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant,
			Rate:        models.RateCurve{{At: 0, Rate: 8}, {At: engine.Time(100 * engine.Second), Rate: 8}, {At: engine.Time(100 * engine.Second), Rate: 0.5}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 1}}},
	})
	envs := rec.col("fn.replicas_desired")
	if envs[9] != 8 { // at 100 s
		t.Errorf("environments at 100 s = %v, want 8", envs[9])
	}
	if envs[14] != 1 || envs[19] != 1 { // at 150 s and 200 s
		t.Errorf("environments at 150 s and 200 s = %v, %v, want 1", envs[14], envs[19])
	}
}

// Provisioned concurrency is billed whether used or not: 2 environments
// of 1 GB configured for 100 s with no request cost 2 × 100 × 1 ×
// $0.0000041667 (Lambda price list, us-east-1 x86).
func TestFunctionProvisionedIdleCost(t *testing.T) {
	fn := models.DefaultFunctionSpec()
	fn.Provisioned = 2
	_, s := fnRun(t, 100*engine.Second, 0.001, 0.1, fn, 1) // first request at 1,000 s: none
	if want := 2 * 100 * 0.0000041667; math.Abs(s.Cost.TotalUSD-want) > 1e-12 {
		t.Errorf("cost %v, want %v", s.Cost.TotalUSD, want)
	}
	if s.Services["fn"].Function.Invocations != 0 || s.Services["fn"].ColdStarts != 0 {
		t.Errorf("invocations or cold starts with no request")
	}
}

// A provisioned-concurrency schedule: none until 50 s, 10 from 50 s to
// 100 s, none after. 8 requests per second of 1 s: the first 8 start cold;
// from 50 s the provisioned environments take every request and the
// on-demand ones idle out (keep-alive 20 s); at 100 s the idle provisioned
// environments go at once and the 8 busy ones as their invocations end
// (at 100, 100.125, ..., 100.875 s: 3.5 environment-seconds more), so the
// requests from 100 s start 8 on-demand environments cold again: 16 cold
// starts. Billed: 400 invocations (arrivals 50 s to 99.875 s) at the
// provisioned duration price, the others on demand, and 10 × 50 + 3.5 =
// 503.5 provisioned environment-seconds, all at 1 GB.
func TestFunctionProvisionedSchedule(t *testing.T) {
	fn := models.DefaultFunctionSpec()
	fn.KeepAlive = 20 * engine.Second
	fn.ProvisionedSchedule = []models.ProvisionedStep{{At: engine.Time(50 * engine.Second), Count: 10}, {At: engine.Time(100 * engine.Second), Count: 0}}
	rec, s := fnRun(t, 150*engine.Second, 8, 1, fn, 1)
	sv := s.Services["fn"]
	if sv.ColdStarts != 16 || sv.Function.Provisioned != 10 {
		t.Errorf("cold starts %d, provisioned at most %d; want 16 and 10", sv.ColdStarts, sv.Function.Provisioned)
	}
	n := float64(sv.Function.Invocations)
	want := (n-400)*0.0000166667 + 400*0.0000097222 + 503.5*0.0000041667 + n*0.0000002
	if math.Abs(s.Cost.TotalUSD-want) > 1e-9 {
		t.Errorf("cost %.9f, want %.9f", s.Cost.TotalUSD, want)
	}
	if envs := rec.col("fn.replicas_desired"); envs[7] != 10 || envs[14] != 8 { // at 80 s: the 10 provisioned only; at 150 s: 8 on demand
		t.Errorf("environments at 80 s and 150 s = %v, %v; want 10 and 8", envs[7], envs[14])
	}
}

// Cold starts under Poisson arrivals: with arrivals far sparser than one
// at a time (rate 0.01/s, 10 ms of work), one environment serves them all
// and a request starts cold exactly when the gap since the previous one
// exceeds the keep-alive K, which for exponential gaps has probability
// exp(-rate·K): with K = 100 s, 1/e = 0.368. 10,000 requests: standard
// error 0.005.
func TestFunctionColdStartRatioPoisson(t *testing.T) {
	fn := models.DefaultFunctionSpec()
	fn.KeepAlive = 100 * engine.Second
	_, s := runRecorded(t, models.Config{
		Name: "function", Seed: 5, Duration: 1_000_000 * engine.Second, Window: 1000 * engine.Second,
		Services: []models.ServiceSpec{{Name: "fn", Concurrency: 1, Queue: -1, Algorithm: "round_robin",
			Memory: 1, Platform: models.PlatformFunction, Function: &fn}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Poisson,
			Rate: models.RateCurve{{At: 0, Rate: 0.01}}, ServiceTime: dist.Spec{Kind: "constant", Mean: 0.01}}},
	})
	within(t, "cold start ratio", s.Services["fn"].Function.ColdStartRatio, math.Exp(-1), 0.03)
}
