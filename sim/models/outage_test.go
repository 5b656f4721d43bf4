package models_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
)

// zoneRun runs 4 one-core instances on 6 four-core nodes spread over
// zones a, b, c in turn (nodes 0 and 3 in a, 1 and 4 in b, 2 and 5 in c),
// with faults, recording 5 s windows.
func zoneRun(t *testing.T, spread bool, faults ...models.FaultSpec) *rowRecorder {
	t.Helper()
	rec, _ := runRecorded(t, models.Config{
		Name: "zone", Seed: 1, Duration: 200 * engine.Second, Window: 5 * engine.Second,
		NodePools: []models.NodePoolSpec{{
			Name: "pool", CPU: 4, Memory: 16, Initial: 6, Min: 6, Max: 6, Zones: []string{"a", "b", "c"},
			Provision:         dist.Spec{Kind: "constant", Mean: 10},
			ScaleDownUnneeded: 600 * engine.Second, ScaleDownUtilization: 0.5,
		}},
		Services: []models.ServiceSpec{{
			Name: "svc", Replicas: 4, Concurrency: 1, Queue: -1, Algorithm: "round_robin", Spread: spread,
			CPU: 1, Memory: 1, Startup: dist.Spec{Kind: "constant", Mean: 20},
			Readiness: models.Probe{Period: 5 * engine.Second, SuccessThreshold: 1, FailureThreshold: 3},
		}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: 10}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.01}}},
		Faults: faults,
	})
	return rec
}

// valueAt returns column col in the window ending at sec seconds.
func valueAt(t *testing.T, rec *rowRecorder, col string, sec float64) float64 {
	t.Helper()
	c := rec.col(col)
	for i, ts := range rec.ts {
		if ts == sec {
			return c[i]
		}
	}
	t.Fatalf("no %s row at %v s", col, sec)
	return 0
}

// TestZoneOutage works the zone-outage arithmetic by hand. Kubernetes'
// default scheduler spreads a service's pods over zones (topology spread:
// the zone with fewest of its pods, then the least allocated node, ties to
// the first node): pods 1-3 go to nodes 0, 1, 2 (zones a, b, c), pod 4 to
// node 3 (a, least allocated among the tied zones). Losing zone a at 32 s
// loses 2 = ⌈4/3⌉ instances. Bin-packing (most allocated node that fits)
// puts all 4 on node 0: losing zone a loses all 4, a total outage until
// replacements on zones b and c start (20 s start-up, ready on the next
// 5 s probe). The zone's 2 nodes go; when the fault ends at 92 s the pool
// provisions 2 nodes there again, ready after its 10 s delay.
func TestZoneOutage(t *testing.T) {
	zone := models.FaultSpec{Name: "a-down", Service: -1, Kind: models.FaultZone, Zone: "a",
		At: engine.Time(32 * engine.Second), Duration: 60 * engine.Second}
	for _, tc := range []struct {
		name        string
		spread      bool
		readyAfter  float64 // at 35 s
		readyBefore float64 // at 30 s
	}{
		{"spread", true, 2, 4},
		{"binpack", false, 0, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := zoneRun(t, tc.spread, zone)
			if got := valueAt(t, rec, "svc.replicas_ready", 30); got != tc.readyBefore {
				t.Errorf("ready at 30 s = %v, want %v", got, tc.readyBefore)
			}
			if got := valueAt(t, rec, "svc.replicas_ready", 35); got != tc.readyAfter {
				t.Errorf("ready at 35 s = %v, want %v", got, tc.readyAfter)
			}
			// Replacements started at 32 s finish at 52 s and pass the
			// probe at 55 s (probes every 5 s from their start: 57 s at
			// the latest).
			if got := valueAt(t, rec, "svc.replicas_ready", 60); got != 4 {
				t.Errorf("ready at 60 s = %v, want 4 (replaced on zones b and c)", got)
			}
			if got := valueAt(t, rec, "pool.nodes_ready", 35); got != 4 {
				t.Errorf("nodes at 35 s = %v, want 4", got)
			}
			if got := valueAt(t, rec, "pool.nodes_ready", 100); got != 4 {
				t.Errorf("nodes at 100 s = %v, want 4 (zone back at 92 s, nodes ready at 102 s)", got)
			}
			if got := valueAt(t, rec, "pool.nodes_ready", 105); got != 6 {
				t.Errorf("nodes at 105 s = %v, want 6", got)
			}
		})
	}
}

// TestNodeFault: a node fault crashes the pool's oldest ready nodes and
// their instances. Spread as in TestZoneOutage, nodes 0 and 1 hold one
// instance each: 2 lost; no node comes back (a node fault is permanent
// like a pool's failures; the pool's maximum 6 and no autoscaler).
func TestNodeFault(t *testing.T) {
	rec := zoneRun(t, true, models.FaultSpec{Name: "two-nodes", Service: -1, Kind: models.FaultNode, Pool: 0,
		Instances: 2, At: engine.Time(32 * engine.Second)})
	if got := valueAt(t, rec, "svc.replicas_ready", 35); got != 2 {
		t.Errorf("ready at 35 s = %v, want 2", got)
	}
	if got := valueAt(t, rec, "pool.nodes_ready", 200); got != 4 {
		t.Errorf("nodes at 200 s = %v, want 4", got)
	}
}
