package models_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// recorder is a policy that follows a plan and keeps a copy of every
// observation it is given.
type recorder struct {
	scripted
	seen []autoscale.Observation
}

func (r *recorder) Decide(obs autoscale.Observation) (autoscale.Decision, error) {
	obs.Pods = append([]autoscale.PodSample(nil), obs.Pods...)
	r.seen = append(r.seen, obs)
	return r.scripted.Decide(obs)
}

func (r *recorder) at(t *testing.T, sec int) autoscale.Observation {
	t.Helper()
	for _, o := range r.seen {
		if o.Now == engine.Time(sec)*engine.Time(engine.Second) {
			return o
		}
	}
	t.Fatalf("no sync at %d s", sec)
	return autoscale.Observation{}
}

// TestObservationPodPhases follows one instance through the phases the
// HPA sees (Kubernetes pod phase and Ready condition): created at the
// 15 s sync, it pulls its image for 20 s (phase Pending until 35 s), its
// process starts in 20 s more (Running, not ready, from 35 s) and the
// readiness probe, every 10 s from the container's start at 15 s, first
// passes at 55 s (Ready, last transition 55 s). Metrics are collected
// every 15 s from 7.5 s; a sample needs the process running for a whole
// window, so the first one covers 37.5–52.5 s and is read at the 60 s
// sync.
func TestObservationPodPhases(t *testing.T) {
	pol := &recorder{scripted: scripted{plan: []struct{ at, n int }{{15, 3}}}}
	runRecorded(t, models.Config{
		Name: "phases", Seed: 1, Duration: 70 * engine.Second, Window: 5 * engine.Second,
		Services: []models.ServiceSpec{{
			Name: "svc", Replicas: 2, Concurrency: 4, Queue: -1, Algorithm: "round_robin", CPU: 0.5,
			ImagePull: dist.Spec{Kind: "constant", Mean: 20},
			Startup:   dist.Spec{Kind: "constant", Mean: 20},
			Readiness: models.DefaultProbe(), Grace: 30 * engine.Second,
			Autoscaler: &models.AutoscalerSpec{Policy: pol, Metric: autoscale.MetricCPU,
				SyncPeriod: 15 * engine.Second, Resolution: 15 * engine.Second},
		}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Poisson, Rate: models.RateCurve{{Rate: 20}},
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.05}}},
	})
	const s = 1_000_000_000 // one second, untyped
	if o := pol.at(t, 15); len(o.Pods) != 2 || !o.HasExternal || o.MetricAt != 7*s+s/2 || o.MetricWindow != 15*s {
		t.Fatalf("at 15 s: %+v", o)
	}
	tests := []struct {
		sec       int
		want      autoscale.PodSample
		hasMetric bool
	}{
		{30, autoscale.PodSample{Phase: autoscale.PodPending, Request: 0.5, StartedAt: 35 * s, ReadyAt: 35 * s}, false},
		{45, autoscale.PodSample{Phase: autoscale.PodRunning, Request: 0.5, StartedAt: 35 * s, ReadyAt: 35 * s}, false},
		{60, autoscale.PodSample{Phase: autoscale.PodRunning, Ready: true, HasMetric: true, Request: 0.5, StartedAt: 35 * s, ReadyAt: 55 * s}, true},
	}
	for _, tt := range tests {
		o := pol.at(t, tt.sec)
		if len(o.Pods) != 3 {
			t.Fatalf("at %d s: %d pods, want 3", tt.sec, len(o.Pods))
		}
		got := o.Pods[2]
		got.Metric = 0
		if got != tt.want {
			t.Errorf("at %d s: new pod %+v, want %+v", tt.sec, got, tt.want)
		}
		for i, p := range o.Pods[:2] {
			if p.Phase != autoscale.PodRunning || !p.Ready || !p.HasMetric || p.StartedAt >= 0 {
				t.Errorf("at %d s: initial pod %d %+v, want running, ready, sampled, started before the run", tt.sec, i, p)
			}
		}
	}
}

// TestObservationUnreadyKeepsItsMetric: an instance that fails its
// readiness probe under overload is Running and not ready, not Pending,
// and keeps its CPU sample (metrics-server samples every running pod),
// which is how the HPA counts it (groupPods: only Pending pods are
// unready for every metric). 2 instances × 2 slots of 100 ms work take
// 60 req/s, 150% of capacity; probes wait behind 50-deep queues.
func TestObservationUnreadyKeepsItsMetric(t *testing.T) {
	pol := &recorder{scripted: scripted{}}
	runRecorded(t, models.Config{
		Name: "unready", Seed: 3, Duration: 5 * engine.Minute, Window: 5 * engine.Second,
		Services: []models.ServiceSpec{{
			Name: "svc", Replicas: 2, Concurrency: 2, Queue: 50, Algorithm: "round_robin", CPU: 1,
			Readiness: models.Probe{Period: 10 * engine.Second, SuccessThreshold: 1, FailureThreshold: 3, Timeout: engine.Second},
			Grace:     30 * engine.Second,
			Autoscaler: &models.AutoscalerSpec{Policy: pol, Metric: autoscale.MetricCPU,
				SyncPeriod: 15 * engine.Second, Resolution: 15 * engine.Second},
		}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Poisson, Rate: models.RateCurve{{Rate: 60}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.1}}},
	})
	found := false
	for _, o := range pol.seen {
		for _, p := range o.Pods {
			if p.Ready {
				continue
			}
			if p.Phase != autoscale.PodRunning {
				t.Fatalf("at %v: an unready serving instance in phase %v", engine.Time(o.Now), p.Phase)
			}
			if p.HasMetric && p.Metric > 0.9 {
				found = true
			}
		}
	}
	if !found {
		t.Error("no unready instance with a busy CPU sample was observed")
	}
}
