package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/results"
)

// queueRun runs one workload into one service and returns the summary.
func queueRun(t *testing.T, seed uint64, dur engine.Duration, rate float64, st dist.Spec, replicas, conc, queue int) *results.Summary {
	t.Helper()
	_, s := runRecorded(t, models.Config{
		Name: "theory", Seed: seed, Duration: dur, Warmup: 100 * engine.Second, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{Name: "svc", Replicas: replicas, Concurrency: conc, Queue: queue, Algorithm: "round_robin"}},
		Workloads: []models.WorkloadSpec{{
			Name: "w", Service: 0, Arrival: models.Poisson,
			Rate: models.RateCurve{{At: 0, Rate: rate}}, ServiceTime: st,
		}},
	})
	return s
}

func within(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if math.Abs(got-want)/want > rel {
		t.Errorf("%s = %.5g, want %.5g within %.1f%% (off by %.2f%%)", what, got, want, rel*100, 100*math.Abs(got-want)/want)
	} else {
		t.Logf("%s = %.5g, want %.5g (off by %.2f%%)", what, got, want, 100*math.Abs(got-want)/want)
	}
}

// TestMM1 checks an M/M/1 queue against its closed forms.
// Reference: Kleinrock, Queueing Systems Vol. 1 (1975), §3.2; Harchol-Balter,
// Performance Modeling and Design of Computer Systems (2013), §13.1: the
// sojourn time T of M/M/1-FCFS is exponential with rate mu-lambda, so
// E[T] = 1/(mu-lambda) and its p-quantile is -ln(1-p)/(mu-lambda).
func TestMM1(t *testing.T) {
	for _, rho := range []float64{0.5, 0.8} {
		mu := 100.0 // per second: mean service 10 ms
		lambda := rho * mu
		s := queueRun(t, 1, engine.Duration(20000/(1-rho))*engine.Second, lambda, dist.Spec{Kind: "exponential", Mean: 1 / mu}, 1, 1, -1)
		ms := 1000 / (mu - lambda)
		within(t, "mean sojourn (ms)", s.LatencyMs.Mean, ms, 0.02)
		within(t, "p50 sojourn (ms)", s.LatencyMs.P50, -math.Log(0.5)*ms, 0.03)
		within(t, "p99 sojourn (ms)", s.LatencyMs.P99, -math.Log(0.01)*ms, 0.03)
		within(t, "utilization", s.Services["svc"].Utilization.Mean, rho, 0.01)
	}
}

// erlangC is the probability an arrival waits in M/M/c with offered load
// a = lambda/mu. Reference: Kleinrock, Queueing Systems Vol. 1, eq. 3.42;
// Harchol-Balter (2013) §14.5.
func erlangC(c int, a float64) float64 {
	sum, term := 0.0, 1.0 // term = a^k/k!
	for k := range c {
		sum += term
		term *= a / float64(k+1)
	}
	last := term * float64(c) / (float64(c) - a)
	return last / (sum + last)
}

// TestMMc checks the mean queueing delay of M/M/c (one FIFO queue feeding c
// servers: one instance with concurrency c) against Erlang C:
// Wq = C(c, a) / (c·mu - lambda).
func TestMMc(t *testing.T) {
	for _, c := range []int{4, 8} {
		mu, rho := 100.0, 0.8
		lambda := rho * mu * float64(c)
		s := queueRun(t, 2, 40000*engine.Second, lambda, dist.Spec{Kind: "exponential", Mean: 1 / mu}, 1, c, -1)
		wq := erlangC(c, lambda/mu) / (float64(c)*mu - lambda) * 1000
		within(t, "mean wait (ms)", s.Services["svc"].WaitMsMean, wq, 0.03)
		within(t, "mean sojourn (ms)", s.LatencyMs.Mean, wq+1000/mu, 0.01)
	}
}

// TestMD1 checks M/D/1 against the Pollaczek–Khinchine formula:
// Wq = lambda·E[S²] / (2(1-rho)), which for constant S = 1/mu is
// rho / (2·mu·(1-rho)). Reference: Kleinrock Vol. 1 eq. 5.76;
// Harchol-Balter (2013) §23.2.
func TestMD1(t *testing.T) {
	mu, rho := 100.0, 0.8
	s := queueRun(t, 3, 50000*engine.Second, rho*mu, dist.Spec{Kind: "constant", Mean: 1 / mu}, 1, 1, -1)
	wq := rho / (2 * mu * (1 - rho)) * 1000
	within(t, "mean wait (ms)", s.Services["svc"].WaitMsMean, wq, 0.03)
}

// TestLittlesLaw checks L = lambda·W (Little 1961) on a run with a
// non-exponential service time and several instances: the time-average
// number of requests in the service equals throughput × mean sojourn, and
// the number waiting equals throughput × mean wait. It pins what the
// figures are: in_flight counts requests queued or in service and queue
// those waiting, each summed over the service's instances, not averaged
// per instance.
func TestLittlesLaw(t *testing.T) {
	s := queueRun(t, 4, 20000*engine.Second, 300, dist.Spec{Kind: "lognormal", Mean: 0.02, P99: 0.1}, 4, 2, -1)
	svc := s.Services["svc"]
	lambda := float64(svc.Requests.OK) / s.SimDurationS
	within(t, "L (in flight)", svc.InFlightMean, lambda*svc.LatencyMs.Mean/1000, 0.01)
	within(t, "Lq (queue)", svc.QueueMean, lambda*svc.WaitMsMean/1000, 0.02)
}

// TestPoissonRate checks that a Poisson workload's measured rate is within
// 1% of the configured rate (1M arrivals: the standard error is 0.1%).
func TestPoissonRate(t *testing.T) {
	s := queueRun(t, 5, 10100*engine.Second, 100, dist.Spec{Kind: "constant", Mean: 0.001}, 1, 4, -1)
	within(t, "offered rps", s.Workloads["w"].OfferedRPS, 100, 0.01)
	if s.Requests.Total != s.Requests.OK {
		t.Errorf("lost requests in an unloaded system: %+v", s.Requests)
	}
}

// runRecorded builds and runs cfg, keeping its time series in memory.
func runRecorded(t testing.TB, cfg models.Config) (*rowRecorder, *results.Summary) {
	t.Helper()
	c, err := models.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := &rowRecorder{}
	sum, err := c.Run(rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rec, sum
}

// rowRecorder keeps the time series in memory for tests.
type rowRecorder struct {
	cols []string
	rows [][]float64
	ts   []float64
}

func (r *rowRecorder) Header(cols []string) error { r.cols = cols; return nil }
func (r *rowRecorder) Row(ts float64, v []float64) error {
	r.ts = append(r.ts, ts)
	r.rows = append(r.rows, append([]float64(nil), v...))
	return nil
}
func (r *rowRecorder) col(name string) []float64 {
	for j, c := range r.cols {
		if c == name {
			var out []float64
			for _, row := range r.rows {
				out = append(out, row[j])
			}
			return out
		}
	}
	return nil
}

// TestRampFollowsSchedule checks a schedule with a linear ramp: the
// arrivals in each 10 s window match the integral of the rate curve over
// the window within 4 Poisson standard deviations (sqrt of the expected
// count), and the constant-arrival variant matches it to within one.
func TestRampFollowsSchedule(t *testing.T) {
	curve := models.RateCurve{
		{At: 0, Rate: 50},
		{At: engine.Time(100 * engine.Second), Rate: 50},
		{At: engine.Time(400 * engine.Second), Rate: 500}, // linear ramp 50 → 500 over 300 s
		{At: engine.Time(500 * engine.Second), Rate: 500},
		{At: engine.Time(500 * engine.Second), Rate: 100}, // step down
	}
	for _, arrival := range []models.Arrival{models.Poisson, models.Constant} {
		rec, _ := runRecorded(t, models.Config{
			Name: "ramp", Seed: 6, Duration: 600 * engine.Second, Window: 10 * engine.Second,
			Services:  []models.ServiceSpec{{Name: "svc", Replicas: 1, Concurrency: 1000, Queue: -1, Algorithm: "random"}},
			Workloads: []models.WorkloadSpec{{Name: "w", Arrival: arrival, Rate: curve, ServiceTime: dist.Spec{Kind: "constant", Mean: 0.001}}},
		})
		rps := rec.col("svc.rps")
		if len(rps) != 60 {
			t.Fatalf("%d windows, want 60", len(rps))
		}
		for i, r := range rps {
			from, to := engine.Time(i)*engine.Time(10*engine.Second), engine.Time(i+1)*engine.Time(10*engine.Second)
			want := curve.Integral(from, to)
			got := r * 10
			tol := 4 * math.Sqrt(want)
			if arrival == models.Constant {
				tol = 1.01
			}
			if math.Abs(got-want) > tol {
				t.Errorf("arrival %d window %d: %g arrivals, want %.1f ± %.1f", arrival, i, got, want, tol)
			}
		}
	}
}
