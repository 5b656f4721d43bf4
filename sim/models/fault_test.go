package models_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/health"
)

// faultRun runs 4 instances behind round robin with 100 requests/s
// arriving evenly (so every 4th request, 25/s, goes to each instance) and
// one fault at 302 s.
func faultRun(t *testing.T, f models.FaultSpec, hc *health.Checker, od *health.Outlier, timeout engine.Duration) (*rowRecorder, map[string]float64) {
	t.Helper()
	f.Name, f.Service, f.At, f.Instances = "f", 0, engine.Time(302*engine.Second), 1
	rec, sum := runRecorded(t, models.Config{
		Name: "fault", Seed: 1, Duration: 600 * engine.Second, Warmup: 100 * engine.Second, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{Name: "svc", Replicas: 4, Concurrency: 8, Queue: -1, Algorithm: "round_robin",
			HealthCheck: hc, Outlier: od}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: 100}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.005}, Timeout: timeout}},
		Faults: []models.FaultSpec{f},
	})
	s := sum.Services["svc"]
	return rec, map[string]float64{
		"lost": float64(s.LostToDead), "failed": float64(sum.Requests.Failed), "timeouts": float64(sum.Requests.Timeouts),
	}
}

func closeTo(got, want, tol float64) bool { return got >= want-tol && got <= want+tol }

// TestCrashDetectionWindow: Envoy checks every 5 s after the previous
// result (instances ready at 0, so checks at 5, 10, ..., 300, 305 s); a
// crashed instance refuses at once, so with unhealthy_threshold 3 the
// checks at 305, 310 and 315 s fail and it leaves the rotation at 315 s.
// Meanwhile the fleet's replacement (no startup time) joins at once, so
// the dead instance receives every 5th request: 13 s × 20/s = 260, all
// lost.
func TestCrashDetectionWindow(t *testing.T) {
	hc := &health.Checker{Interval: 5 * engine.Second, Timeout: engine.Second, UnhealthyThreshold: 3, HealthyThreshold: 2}
	if got := hc.Detection(engine.Time(305*engine.Second), true); got != engine.Time(315*engine.Second) {
		t.Fatalf("Detection = %v, want 315s", got)
	}
	_, got := faultRun(t, models.FaultSpec{Kind: models.FaultCrash}, hc, nil, 0)
	if !closeTo(got["lost"], 260, 1) || got["failed"] < got["lost"] {
		t.Errorf("lost %v failed %v, want 260 lost", got["lost"], got["failed"])
	}
	// Without health checking the endpoint goes at once: nothing is lost
	// to the dead instance.
	if _, got := faultRun(t, models.FaultSpec{Kind: models.FaultCrash}, nil, nil, 0); got["lost"] != 0 {
		t.Errorf("no health checks: lost %v, want 0", got["lost"])
	}
	// Outlier detection ejects on the 5th refused request: 5 lost.
	od := health.DefaultOutlier()
	if _, got := faultRun(t, models.FaultSpec{Kind: models.FaultCrash}, nil, &od, 0); got["lost"] != 5 {
		t.Errorf("outlier detection: lost %v, want 5", got["lost"])
	}
}

// TestHangDetectionWindow: a hung instance answers no check, so each
// fails at its timeout and the next is sent an interval after: checks at
// 305, 311, 317 s fail at 306, 312, 318 s. It receives every 4th request
// from 302 s to 318 s, 16 × 25 = 400, which never complete: with a 1 s
// client timeout, 400 timeouts.
func TestHangDetectionWindow(t *testing.T) {
	hc := &health.Checker{Interval: 5 * engine.Second, Timeout: engine.Second, UnhealthyThreshold: 3, HealthyThreshold: 2}
	if got := hc.Detection(engine.Time(305*engine.Second), false); got != engine.Time(318*engine.Second) {
		t.Fatalf("Detection = %v, want 318s", got)
	}
	_, got := faultRun(t, models.FaultSpec{Kind: models.FaultHang}, hc, nil, engine.Second)
	if !closeTo(got["timeouts"], 400, 1) {
		t.Errorf("timeouts %v, want 400", got["timeouts"])
	}
}

// TestErrorsEjectionCycle: an instance answering every request 5xx from
// 302 s to the end, under Envoy's default outlier detection. It gets every
// 4th request (one per 40 ms) and is ejected on the 5th 5xx; it returns on
// the first 10 s sweep after 30 s × times ejected: ejected ~302.2 s, back
// at 340 s; ejected ~340.2, back at 410 (60 s); ejected ~410.2, back at
// 510 (90 s); ejected ~510.2 until after 600 s (120 s). Four ejections of
// five 5xx each: 20 failed requests.
func TestErrorsEjectionCycle(t *testing.T) {
	od := health.DefaultOutlier()
	_, got := faultRun(t, models.FaultSpec{Kind: models.FaultErrors, ErrorRate: 1}, nil, &od, 0)
	if got["failed"] != 20 {
		t.Errorf("failed %v, want 20", got["failed"])
	}
}

// TestSlowFaultAtItsTime: a slow fault (×10 for 100 s from 302 s) on one
// of 4 instances: before 302 s the p99 is the constant 5 ms; while it
// lasts every 4th request takes 50 ms, so the window p99 is 50 ms; after
// 402 s it is 5 ms again.
func TestSlowFaultAtItsTime(t *testing.T) {
	rec, _ := faultRun(t, models.FaultSpec{Kind: models.FaultSlow, Factor: 10, Duration: 100 * engine.Second}, nil, nil, 0)
	p99 := rec.col("svc.p99_ms")
	at := func(sec int) float64 { return p99[sec/10-1] }
	for _, ck := range []struct {
		sec  int
		want float64
	}{{300, 5}, {320, 50}, {400, 50}, {420, 5}} {
		if !closeTo(at(ck.sec), ck.want, ck.want*0.01) {
			t.Errorf("p99 of the window ending at %d s: %v, want %v", ck.sec, at(ck.sec), ck.want)
		}
	}
}

// TestFastErrorsEjectionCycle: the same cycle with an errors fault whose
// errors take 1 ms of service (a fast-failing instance): each is a 5xx to
// outlier detection too, so the instance is ejected as often and the
// same 20 requests fail.
func TestFastErrorsEjectionCycle(t *testing.T) {
	od := health.DefaultOutlier()
	_, got := faultRun(t, models.FaultSpec{Kind: models.FaultErrors, ErrorRate: 1, Latency: engine.Millisecond}, nil, &od, 0)
	if got["failed"] != 20 {
		t.Errorf("failed %v, want 20", got["failed"])
	}
}

// TestShareOfInstances: share = 0.5 hits ⌈0.5 × 4⌉ = 2 of the 4
// instances: a slow fault ×10 from 302 s makes every other request (round
// robin) take 50 ms instead of 5, so a window's p95 is 50 ms and, by
// Little's law, its requests in service average 100/s × 27.5 ms = 2.75.
func TestShareOfInstances(t *testing.T) {
	rec, _ := faultRun(t, models.FaultSpec{Kind: models.FaultSlow, Factor: 10, Share: 0.5}, nil, nil, 0)
	if got := valueAt(t, rec, "svc.p95_ms", 400); !closeTo(got, 50, 0.5) {
		t.Errorf("p95 %v, want 50 (half the instances slow)", got)
	}
	if got := valueAt(t, rec, "svc.concurrency", 400); !closeTo(got, 100*(0.5*0.005+0.5*0.05), 0.01) {
		t.Errorf("concurrency %v, want λ × mean service = 100 × 27.5 ms = 2.75 (Little)", got)
	}
}
