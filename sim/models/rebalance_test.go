package models_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
)

// TestRebalanceOnScaleOut works the rebalance key by hand: 600 long-lived
// connections open in the first minute (10/s) on 2 instances, round robin
// pins 300 on each, and none ends (lifetime 1 h). At 100 s the fleet grows
// to 4; both new instances become ready at the same instant, so one
// rebalance runs with 4 in rotation: the mean is 600/4 = 150, each old
// instance sends GOAWAY on 300 − 150 = 150 connections, 300 in all, and
// least connections sends every reconnect to an emptiest instance: 150 on
// each of the four, imbalance exactly 1 (Envoy's least-request with equal
// weights picks the fewest active; the arithmetic is the key's definition,
// "down to ⌈mean⌉"). Without rebalance nothing is closed and the old two
// keep 300: imbalance 2. With round_robin reconnects the 300 closed ones
// spread over all four (75 back to each old): 225, 225, 75, 75, imbalance
// 1.5 — the remedy needs least connections to end even.
func TestRebalanceOnScaleOut(t *testing.T) {
	for _, tt := range []struct {
		name      string
		algorithm string
		rebalance bool
		closed    int64
		imbalance float64
	}{
		{"pinned", "least_outstanding", false, 0, 2},
		{"rebalance least-conn", "least_outstanding", true, 300, 1},
		{"rebalance round robin", "round_robin", true, 300, 1.5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			plan := &scripted{plan: []struct{ at, n int }{{100, 4}}}
			c, err := models.New(models.Config{
				Name: "rb", Seed: 1, Duration: 200 * engine.Second, Window: 10 * engine.Second,
				Services: []models.ServiceSpec{{Name: "svc", Replicas: 2, Concurrency: 4, Queue: -1,
					Algorithm: tt.algorithm, L4: true, Rebalance: tt.rebalance,
					Autoscaler: &models.AutoscalerSpec{Policy: plan, SyncPeriod: 10 * engine.Second, Resolution: 10 * engine.Second}}},
				Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant,
					Rate:        models.RateCurve{{At: 0, Rate: 10}, {At: engine.Time(60 * engine.Second), Rate: 10}, {At: engine.Time(60 * engine.Second), Rate: 0}},
					ServiceTime: dist.Spec{Kind: "constant", Mean: 0.001},
					Lifetime:    dist.Spec{Kind: "constant", Mean: 3600}, MessageRate: 0.05}},
			})
			if err != nil {
				t.Fatal(err)
			}
			rec := &rowRecorder{}
			if _, err := c.Run(rec, nil); err != nil {
				t.Fatal(err)
			}
			conns, imb := rec.col("svc.connections"), rec.col("svc.connection_imbalance")
			last := len(imb) - 1
			if conns[last] != 600 {
				t.Fatalf("%v connections open at the end, want 600", conns[last])
			}
			if got := c.Rebalanced("svc"); got != tt.closed {
				t.Errorf("closed %d connections, want %d", got, tt.closed)
			}
			if got := imb[last]; got != tt.imbalance {
				t.Errorf("imbalance %v, want %v", got, tt.imbalance)
			}
		})
	}
}
