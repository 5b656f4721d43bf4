package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// TestSidecarChain: a → b → c, each 10 ms of constant work, no queueing.
// Every proxy crossing costs 1 ms each way:
//   - sidecars on all three: the client's request crosses a's (2 ms),
//     a's call to b crosses a's and b's (4 ms), b's call to c b's and c's
//     (4 ms): 30 + 2 + 4 + 4 = 40 ms end to end; the edge a→b sees b's
//     10 ms + its own 10 ms call to c + 4 + 4 = 28 ms.
//   - a sidecar on b alone: a→b crosses b's (2 ms), b→c b's (2 ms): 34 ms.
//   - none: 30 ms.
func TestSidecarChain(t *testing.T) {
	run := func(on ...bool) (e2e, ab float64) {
		t.Helper()
		svc := func(i int, name string, calls ...models.CallSpec) models.ServiceSpec {
			s := callService(name, 10, 2, calls...)
			if on[i] {
				s.Sidecar = &models.SidecarSpec{Latency: engine.Millisecond}
			}
			return s
		}
		_, sum := runRecorded(t, models.Config{
			Name: "sidecar", Seed: 1, Duration: 100 * engine.Second, Window: 10 * engine.Second,
			Services: []models.ServiceSpec{
				svc(0, "a", models.CallSpec{Service: 1, Count: 1}),
				svc(1, "b", models.CallSpec{Service: 2, Count: 1}),
				svc(2, "c"),
			},
			Workloads: []models.WorkloadSpec{{Name: "w", Service: 0, Arrival: models.Constant,
				Rate: models.RateCurve{{At: 0, Rate: 10}}, ServiceTime: constMs(10)}},
		})
		if sum.Requests.OK < 990 || sum.Requests.Errors != 0 {
			t.Fatalf("requests %+v", sum.Requests)
		}
		return sum.Workloads["w"].LatencyMs.Max, sum.Edges[0].LatencyMs.Max
	}
	e2e, ab := run(true, true, true)
	near(t, "all sidecars: end to end (ms)", e2e, 40)
	near(t, "all sidecars: edge a→b (ms)", ab, 28)
	e2e, _ = run(false, true, false)
	near(t, "b's sidecar: end to end (ms)", e2e, 34)
	e2e, _ = run(false, false, false)
	near(t, "no sidecar: end to end (ms)", e2e, 30)
}

// TestSidecarCPU: one instance (CPU request 0.5 cores, one slot) serving
// 50 req/s of 10 ms: the app keeps it busy half the time (cpu 0.5). A
// sidecar of 2 vCPU per 1,000 req/s (Istio states its Envoy's cost in
// this unit: 0.35 vCPU per 1,000 rps in Istio 1.12's load test) adds
// 50 / 1000 × 2 / 0.5 = 0.2: the autoscaler sees 0.7.
func TestSidecarCPU(t *testing.T) {
	for _, tc := range []struct {
		sidecar *models.SidecarSpec
		want    float64
	}{{nil, 0.5}, {&models.SidecarSpec{CPU: 2}, 0.7}} {
		obs := &cpuObserver{}
		runRecorded(t, models.Config{
			Name: "sidecar-cpu", Seed: 1, Duration: 100 * engine.Second, Window: 10 * engine.Second,
			Services: []models.ServiceSpec{{Name: "svc", Replicas: 1, Concurrency: 1, Queue: -1, Algorithm: "round_robin",
				CPU: 0.5, Sidecar: tc.sidecar,
				Autoscaler: &models.AutoscalerSpec{Policy: obs, SyncPeriod: 10 * engine.Second, Resolution: 10 * engine.Second}}},
			Workloads: []models.WorkloadSpec{{Name: "w", Service: 0, Arrival: models.Constant,
				Rate: models.RateCurve{{At: 0, Rate: 50}}, ServiceTime: dist.Spec{Kind: "constant", Mean: 0.01}}},
		})
		if len(obs.seen) < 5 {
			t.Fatalf("%d samples", len(obs.seen))
		}
		for i, m := range obs.seen[2:] {
			if math.Abs(m-tc.want) > 1e-6 {
				t.Errorf("sidecar %+v: sync %d saw cpu %v, want %v", tc.sidecar, i+2, m, tc.want)
			}
		}
	}
}

// cpuObserver is an autoscaling policy that keeps the fleet as it is and
// records the CPU metric of its one pod at each sync.
type cpuObserver struct{ seen []float64 }

func (o *cpuObserver) Name() string { return "observer" }
func (o *cpuObserver) Decide(obs autoscale.Observation) (autoscale.Decision, error) {
	for _, p := range obs.Pods {
		if p.HasMetric {
			o.seen = append(o.seen, p.Metric)
		}
	}
	return autoscale.Decision{Desired: obs.Current, Recommended: obs.Current, Reason: "observe"}, nil
}
