package models_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
)

// TestClusterAutoscalerGap checks the pending → provisioning → ready
// sequence by hand: two 4-core nodes hold 8 one-core instances; scaling to
// 12 at the 15 s sync leaves 4 pending; the cluster autoscaler's scan at
// 20 s packs them onto one new node (first-fit decreasing), ready 75 s
// later at 95 s; the instances are placed and, with no startup time and
// a probe at container start, ready at once. Ten minutes after the
// scale-up, with load gone (scale to 4 at 300 s), the emptied nodes are
// unneeded and removed one per scan after 10 min of being unneeded.
func TestClusterAutoscalerGap(t *testing.T) {
	plan := &scripted{plan: []struct{ at, n int }{{15, 12}, {300, 4}}}
	rec, sum := runRecorded(t, models.Config{
		Name: "ca", Seed: 1, Duration: 1800 * engine.Second, Window: 5 * engine.Second,
		NodePools: []models.NodePoolSpec{{
			Name: "pool", CPU: 4, Memory: 16, Initial: 2, Min: 1, Max: 5,
			Provision:         dist.Spec{Kind: "constant", Mean: 75},
			ScaleDownUnneeded: 600 * engine.Second, ScaleDownUtilization: 0.5,
		}},
		ClusterAutoscaler: models.ClusterAutoscalerSpec{ScanInterval: 10 * engine.Second, ScaleDownDelayAfterAdd: 600 * engine.Second},
		Services: []models.ServiceSpec{{
			Name: "svc", Replicas: 8, Concurrency: 4, Queue: -1, Algorithm: "round_robin",
			CPU: 1, Memory: 1, Readiness: models.DefaultProbe(), Grace: 30 * engine.Second,
			Autoscaler: &models.AutoscalerSpec{Policy: plan, SyncPeriod: 15 * engine.Second, ScrapeInterval: 15 * engine.Second},
		}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Poisson, Rate: models.RateCurve{{Rate: 10}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.01}}},
	})
	pending, ready := rec.col("svc.replicas_pending"), rec.col("svc.replicas_ready")
	nodes, prov := rec.col("pool.nodes_ready"), rec.col("pool.nodes_provisioning")
	at := func(sec int) int { return sec/5 - 1 }
	checks := []struct {
		sec                         int
		pending, ready, nodes, prov float64
	}{
		{10, 0, 8, 2, 0},
		{15, 4, 8, 2, 0},   // scaled to 12 at 15 s: 4 pending
		{20, 4, 8, 2, 1},   // scan at 20 s requests one node
		{90, 4, 8, 2, 1},   // still provisioning
		{95, 0, 8, 3, 0},   // node ready at 95 s: instances placed, probed at once ...
		{100, 0, 12, 3, 0}, // ... and ready (their ready events follow the 95 s window)
		{300, 0, 4, 3, 0},  // scaled in to 4 at 300 s
		{1800, 0, 4, 1, 0}, // unneeded nodes removed down to what 4 cores need
	}
	for _, ck := range checks {
		i := at(ck.sec)
		if pending[i] != ck.pending || ready[i] != ck.ready || nodes[i] != ck.nodes || prov[i] != ck.prov {
			t.Errorf("t=%ds: pending %v ready %v nodes %v provisioning %v, want %v %v %v %v",
				ck.sec, pending[i], ready[i], nodes[i], prov[i], ck.pending, ck.ready, ck.nodes, ck.prov)
		}
	}
	// The first node removal needs 10 min after the scale-up (at 20 s) and
	// 10 min unneeded (from 300 s): not before 900 s.
	for sec := 300; sec < 900; sec += 5 {
		if nodes[at(sec)] != 3 {
			t.Fatalf("t=%ds: %v nodes; scale-down came too early", sec, nodes[at(sec)])
		}
	}
	if got := sum.NodePools["pool"].Nodes.Max; got != 3 {
		t.Errorf("max nodes %v", got)
	}
}

// TestNodeFailure: a crashed node takes its instances' requests with it;
// the service replaces them on the remaining capacity.
func TestNodeFailure(t *testing.T) {
	rec, sum := runRecorded(t, models.Config{
		Name: "crash", Seed: 1, Duration: 120 * engine.Second, Window: 5 * engine.Second,
		NodePools: []models.NodePoolSpec{{
			Name: "pool", CPU: 4, Memory: 16, Initial: 3, Min: 3, Max: 3,
			Provision:         dist.Spec{Kind: "constant", Mean: 60},
			ScaleDownUnneeded: 600 * engine.Second, ScaleDownUtilization: 0.5,
			Failures: []models.NodeFailure{{At: engine.Time(30 * engine.Second), Count: 1}},
		}},
		ClusterAutoscaler: models.ClusterAutoscalerSpec{ScanInterval: 10 * engine.Second},
		Services: []models.ServiceSpec{{
			Name: "svc", Replicas: 6, Concurrency: 1, Queue: -1, Algorithm: "round_robin", Spread: true,
			CPU: 1, Memory: 1, Readiness: models.DefaultProbe(), Grace: 30 * engine.Second,
		}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Poisson, Rate: models.RateCurve{{Rate: 100}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.05}}},
	})
	ready, nodes := rec.col("svc.replicas_ready"), rec.col("pool.nodes_ready")
	// Spread over 3 zones-less nodes by least-allocated: 2 instances per
	// node. The crash at 30 s kills 2; the other nodes have 2 free cores
	// each, so replacements are placed and ready at once.
	if ready[6] != 6 || nodes[6] != 2 {
		t.Errorf("t=35s: ready %v nodes %v, want 6 and 2 (replacements placed at once)", ready[6], nodes[6])
	}
	// The pool's minimum of 3 brings a replacement node at the next scan
	// (40 s) plus 60 s provisioning.
	if nodes[at100()] != 3 || nodes[at100()-4] != 2 {
		t.Errorf("nodes around 100 s: %v", nodes[14:22])
	}
	if sum.Requests.Failed == 0 {
		t.Error("no request failed when a node crashed under load")
	}
}

func at100() int { return 100/5 - 1 }
