package models_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// scripted is an autoscaler that follows a fixed plan of (time, replicas).
type scripted struct{ plan []struct{ at, n int } }

func (s *scripted) Name() string { return "scripted" }
func (s *scripted) Decide(obs autoscale.Observation) (autoscale.Decision, error) {
	want := obs.Current
	for _, p := range s.plan {
		if obs.Now >= engine.Time(p.at)*engine.Time(engine.Second) {
			want = p.n
		}
	}
	return autoscale.Decision{Desired: want, Recommended: want, Reason: "scripted"}, nil
}

// TestLifecycle checks instance state transitions against hand-computed
// times: startup 25 s, readiness probe every 10 s from container start
// (Kubernetes periodSeconds 10, initialDelaySeconds 5, successThreshold 1),
// so an instance created at t is up at t+25 s and first probed
// successfully at t+25 s rounded up to t+5+10k: t+25 s. Draining instances
// leave the balancer at once.
func TestLifecycle(t *testing.T) {
	plan := &scripted{plan: []struct{ at, n int }{{30, 5}, {120, 1}}}
	rec, sum := runRecorded(t, models.Config{
		Name: "life", Seed: 1, Duration: 200 * engine.Second, Window: 5 * engine.Second,
		Services: []models.ServiceSpec{{
			Name: "svc", Replicas: 2, Concurrency: 4, Queue: -1, Algorithm: "least_outstanding",
			Startup:   dist.Spec{Kind: "constant", Mean: 22},
			Readiness: models.Probe{InitialDelay: 5 * engine.Second, Period: 10 * engine.Second, SuccessThreshold: 1},
			Grace:     30 * engine.Second,
			Autoscaler: &models.AutoscalerSpec{Policy: plan, SyncPeriod: 15 * engine.Second,
				Resolution: 15 * engine.Second},
		}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Poisson, Rate: models.RateCurve{{Rate: 50}},
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.02}}},
	})
	ready, starting, desired := rec.col("svc.replicas_ready"), rec.col("svc.replicas_starting"), rec.col("svc.replicas_desired")
	at := func(sec int) int { return sec/5 - 1 } // row of the window ending at sec
	// Sync at 30 s (15 s period) decides 5: three instances created at 30 s,
	// up at 52 s, probes at 35, 45, 55 s: ready at 55 s.
	checks := []struct {
		sec                      int
		ready, starting, desired float64
	}{
		{25, 2, 0, 2}, {30, 2, 3, 5}, {50, 2, 3, 5}, {55, 5, 0, 5}, {115, 5, 0, 5},
		// Sync at 120 s decides 1: four ready instances drain at once.
		{120, 1, 0, 1}, {200, 1, 0, 1},
	}
	for _, ck := range checks {
		i := at(ck.sec)
		if ready[i] != ck.ready || starting[i] != ck.starting || desired[i] != ck.desired {
			t.Errorf("t=%ds: ready %v starting %v desired %v, want %v %v %v", ck.sec, ready[i], starting[i], desired[i], ck.ready, ck.starting, ck.desired)
		}
	}
	if sum.Requests.Failed != 0 {
		t.Errorf("%d requests failed; draining instances should finish their work", sum.Requests.Failed)
	}
	if got := sum.Services["svc"].ColdStarts; got != 3 {
		t.Errorf("cold starts %d, want 3", got)
	}
	var changes []int
	for _, d := range sum.Scaling {
		if d.Desired != d.Current {
			changes = append(changes, d.Desired)
		}
	}
	if len(changes) != 2 || changes[0] != 5 || changes[1] != 1 {
		t.Errorf("decisions %+v", sum.Scaling)
	}
	// Billable instance-seconds by hand: the survivor 200, the other
	// original instance 120, the three new ones 3×(120-30): 590, plus the
	// draining instances' few milliseconds of finishing work.
	if got := sum.Services["svc"].InstanceSeconds; got < 590 || got > 591 {
		t.Errorf("instance-seconds %.3f, want 590 (+ drain time)", got)
	}
}

// TestReadinessProbeFailures: probes that queue behind requests (a probe
// timeout is set) take overloaded instances out of the balancer, the
// cascading failure Kubernetes users meet when a health check shares the
// request queue. By hand: two instances, 1 slot of 100 ms each, queue 50,
// 30 req/s evenly spaced, round robin: each instance gets 15 req/s for a
// capacity of 10, so its queue is full (50) within 10 s and a probe would
// wait 51 × 100 ms = 5.1 s > 1 s. Probes every 10 s fail at 10, 20 and
// 30 s: failureThreshold 3 takes both instances out at 30 s, leaving no
// instance in rotation (every request rejected) while their queues drain in
// 5 s; the probe at 40 s waits 0 s and successThreshold 1 brings them back.
func TestReadinessProbeFailures(t *testing.T) {
	rec, _ := runRecorded(t, models.Config{
		Name: "probe", Seed: 1, Duration: 60 * engine.Second, Window: 5 * engine.Second,
		Services: []models.ServiceSpec{{
			Name: "svc", Replicas: 2, Concurrency: 1, Queue: 50, Algorithm: "round_robin",
			Readiness: models.Probe{Period: 10 * engine.Second, SuccessThreshold: 1, FailureThreshold: 3, Timeout: engine.Second},
		}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: 30}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.1}}},
	})
	ready, queue := rec.col("svc.replicas_ready"), rec.col("svc.queue")
	at := func(sec int) int { return sec/5 - 1 }
	for _, ck := range []struct{ sec, ready int }{{25, 2}, {30, 0}, {35, 0}, {40, 2}, {45, 2}} {
		if int(ready[at(ck.sec)]) != ck.ready {
			t.Errorf("t=%ds: %v ready, want %d (ready: %v)", ck.sec, ready[at(ck.sec)], ck.ready, ready[:12])
		}
	}
	if q := queue[at(25)]; q < 99 {
		t.Errorf("queued before the probes fail: %.1f, want both queues full (100)", q)
	}
}
