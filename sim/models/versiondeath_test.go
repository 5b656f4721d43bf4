package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/results"
)

// deathRun runs replicas instances of one version v (10 s start-up,
// ready as soon as up) under constant arrivals at rate, 10 ms each.
func deathRun(t *testing.T, v models.VersionSpec, replicas int, rate float64, d engine.Duration) (*rowRecorder, *results.Summary) {
	t.Helper()
	v.Name = "v1"
	return runRecorded(t, models.Config{
		Name: "death", Seed: 1, Duration: d, Window: 5 * engine.Second,
		Services: []models.ServiceSpec{{
			Name: "api", Replicas: replicas, Concurrency: 1, Queue: -1, Algorithm: "round_robin",
			Startup: dist.Spec{Kind: "constant", Mean: 10}, Versions: []models.VersionSpec{v},
		}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: rate}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.01}}},
	})
}

// TestCrashAfterLoops works a crash loop by hand: two instances that
// crash 60 s after they are ready, replaced at once and ready 10 s later,
// crash at 60, 130, 200 and 270 s (8 crashes in 300 s) and the service
// has none ready for 10 s each time: the 100 requests sent in each gap
// (every 0.1 s) are rejected, 400 in all, and none is lost in service
// (each takes 10 ms and none runs across a crash).
func TestCrashAfterLoops(t *testing.T) {
	rec, sum := deathRun(t, models.VersionSpec{CrashAfter: 60 * engine.Second}, 2, 10, 300*engine.Second)
	v := sum.Services["api"].Versions["v1"]
	if v.Crashes == nil || *v.Crashes != 8 || v.OOMKills != nil {
		t.Fatalf("crashes %v, oom kills %v; want 8 and none", v.Crashes, v.OOMKills)
	}
	if sum.Requests.Rejected != 400 || sum.Requests.Failed != 0 {
		t.Errorf("%d rejected, %d failed; want 400 and 0", sum.Requests.Rejected, sum.Requests.Failed)
	}
	for _, at := range []float64{65, 135, 205, 275} {
		if got := valueAt(t, rec, "api.replicas_ready", at); got != 0 {
			t.Errorf("%v ready at %v s, want 0", got, at)
		}
		if got := valueAt(t, rec, "api.replicas_ready", at+10); got != 2 {
			t.Errorf("%v ready at %v s, want 2", got, at+10)
		}
	}
}

// TestLeakByHand: a leak of 36 per hour (0.01 per second of uptime) with
// limit 2 serves a request starting at uptime u in 10 ms × (1 + 0.01 u)
// and is OOM-killed at uptime (2 − 1) / 0.01 = 100 s. One instance,
// requests every second: those at 1 ... 99 s take 10.1 ... 19.9 ms; the
// 10 sent while the replacement starts (100 ... 109 s) are rejected; the
// replacement is ready at 110 s and its uptime starts again, so the
// requests at 110 ... 149 s take 10 ... 10.39 ms (the one at 150 s ends
// after the run).
func TestLeakByHand(t *testing.T) {
	_, sum := deathRun(t, models.VersionSpec{Leak: models.LeakSpec{Rate: 36, Limit: 2}}, 1, 1, 150*engine.Second)
	v := sum.Services["api"].Versions["v1"]
	if v.OOMKills == nil || *v.OOMKills != 1 || v.Crashes != nil {
		t.Fatalf("oom kills %v, crashes %v; want 1 and none", v.OOMKills, v.Crashes)
	}
	if sum.Requests.Rejected != 10 {
		t.Errorf("%d rejected, want 10", sum.Requests.Rejected)
	}
	var lat []float64
	for s := 1; s <= 99; s++ {
		lat = append(lat, 10*(1+0.01*float64(s)))
	}
	for s := 110; s <= 149; s++ {
		lat = append(lat, 10*(1+0.01*float64(s-110)))
	}
	mean := 0.0
	for _, l := range lat {
		mean += l / float64(len(lat))
	}
	if sum.Requests.OK != int64(len(lat)) || math.Abs(sum.LatencyMs.Max-19.9) > 1e-6 || math.Abs(sum.LatencyMs.Mean-mean) > 1e-6 {
		t.Errorf("%d ok, latency max %v mean %v; want %d, 19.9, %v", sum.Requests.OK, sum.LatencyMs.Max, sum.LatencyMs.Mean, len(lat), mean)
	}
}
