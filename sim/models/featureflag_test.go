package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/results"
)

// flagRun runs one instance serving constant arrivals at rate, 10 ms
// each (never queued), with flag f.
func flagRun(t *testing.T, f models.FlagSpec, rate float64, d engine.Duration) (*rowRecorder, *results.Summary) {
	t.Helper()
	f.Name = "new-path"
	return runRecorded(t, models.Config{
		Name: "flag", Seed: 11, Duration: d, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{
			Name: "api", Replicas: 1, Concurrency: 10, Queue: -1, Algorithm: "round_robin", Flags: []models.FlagSpec{f},
		}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: rate}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.01}}},
	})
}

// TestFlagKillSwitchExact: a flag on every request that fails every one,
// on at 10 s and killed at 20 s, fails exactly the 100 requests that
// start in between (every 0.1 s from 10.0 to 19.9 s) and no other.
func TestFlagKillSwitchExact(t *testing.T) {
	rec, sum := flagRun(t, models.FlagSpec{Share: 1, ErrorRate: 1, From: engine.Time(10 * engine.Second), KillAt: engine.Time(20 * engine.Second)},
		10, 60*engine.Second)
	f := sum.Services["api"].Flags["new-path"]
	if f.Requests != 100 || f.Errors != 100 || sum.Requests.Failed != 100 || f.KilledAtS != 20 {
		t.Errorf("flag %+v, %d failed; want 100 requests, 100 errors, 100 failed, killed at 20 s", f, sum.Requests.Failed)
	}
	errs := rec.col("api.flagged_errors")
	for i, ts := range rec.ts {
		want := 0.0
		if ts == 20 {
			want = 10 // the window 10-20 s: 100 errors
		}
		if errs[i] != want {
			t.Errorf("flagged_errors at %v s = %v, want %v", ts, errs[i], want)
		}
	}
}

// TestFlagBlastRadiusBinomial: 20% of requests take a path that adds 50
// ms and fails half of them, killed at 600 s. Of the 59,999 requests
// served before the kill (every 10 ms), the flagged count is
// Binomial(59,999, 0.2) (mean 12,000, sd 98) and the errors — the blast
// radius — Binomial(59,999, 0.1) (mean 6,000, sd 73); both within 4.5 sd.
// The flagged successes take exactly 60 ms; from a window after the
// kill on, none is flagged.
func TestFlagBlastRadiusBinomial(t *testing.T) {
	rec, sum := flagRun(t, models.FlagSpec{Share: 0.2, ErrorRate: 0.5, AddedLatency: 50 * engine.Millisecond, KillAt: engine.Time(600 * engine.Second)},
		100, 900*engine.Second)
	f := sum.Services["api"].Flags["new-path"]
	const n = 59_999
	for _, c := range []struct {
		what string
		got  int64
		p    float64
	}{{"flagged", f.Requests, 0.2}, {"errors", f.Errors, 0.1}} {
		mean, sd := n*c.p, math.Sqrt(n*c.p*(1-c.p))
		if math.Abs(float64(c.got)-mean) > 4.5*sd {
			t.Errorf("%s %d, want %.0f ± %.0f", c.what, c.got, mean, 4.5*sd)
		}
	}
	if sum.Requests.Failed != f.Errors || math.Abs(f.LatencyMs.Mean-60) > 1e-9 || math.Abs(f.LatencyMs.Max-60) > 1e-9 {
		t.Errorf("%d failed (want %d), flagged latency mean %v max %v (want 60)", sum.Requests.Failed, f.Errors, f.LatencyMs.Mean, f.LatencyMs.Max)
	}
	flagged := rec.col("api.flagged_rps")
	for i, ts := range rec.ts {
		if ts > 610 && flagged[i] != 0 { // counted when answered: 600-610 s holds the last

			t.Errorf("flagged_rps %v at %v s, after the kill", flagged[i], ts)
		}
	}
}
