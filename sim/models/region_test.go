package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
)

// TestRegionFailover: 8 instances spread over two regions of two zones
// each (2 per zone) take 100 req/s; region east fails at 30 s with a 20 s
// failover. Until 50 s DNS still sends east its half of the requests,
// each lost: Binomial(2,000, 1/2), mean 1,000, sd 22.4 (the bounds are
// ±4.5 sd). Besides them only the requests in service on the 4 east
// instances at 30 s fail (at most 4, concurrency 1); after the failover
// nothing fails: west carries the load.
func TestRegionFailover(t *testing.T) {
	pool := func(name string, zones ...string) models.NodePoolSpec {
		return models.NodePoolSpec{Name: name, CPU: 4, Memory: 16, Initial: 4, Min: 4, Max: 4, Zones: zones,
			Provision: dist.Spec{Kind: "constant", Mean: 10}, ScaleDownUnneeded: 600 * engine.Second, ScaleDownUtilization: 0.5}
	}
	rec, sum := runRecorded(t, models.Config{
		Name: "region", Seed: 5, Duration: 120 * engine.Second, Window: 5 * engine.Second,
		NodePools: []models.NodePoolSpec{pool("east", "e1", "e2"), pool("west", "w1", "w2")},
		Services: []models.ServiceSpec{{
			Name: "svc", Replicas: 8, Concurrency: 1, Queue: -1, Algorithm: "round_robin", Spread: true, Pool: -1,
			CPU: 1, Memory: 1, Startup: dist.Spec{Kind: "constant", Mean: 20},
		}},
		Workloads: []models.WorkloadSpec{{Name: "w", Arrival: models.Constant, Rate: models.RateCurve{{Rate: 100}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.005}}},
		Faults: []models.FaultSpec{{Name: "east-down", Service: -1, Kind: models.FaultRegion, Region: "east",
			Zones: []string{"e1", "e2"}, At: engine.Time(30 * engine.Second), Failover: 20 * engine.Second, Instances: 1}},
	})
	lost := sum.Services["svc"].LostToRegion
	if lost == nil {
		t.Fatal("no lost_to_region figure")
	}
	if sd := math.Sqrt(2000 * 0.25); math.Abs(float64(*lost)-1000) > 4.5*sd {
		t.Errorf("%d requests lost to the failed region, want 1,000 ± %.0f", *lost, 4.5*sd)
	}
	if extra := sum.Requests.Failed - *lost; extra < 0 || extra > 4 {
		t.Errorf("%d failed besides the region's share, want 0 to 4", extra)
	}
	if got := valueAt(t, rec, "svc.replicas_ready", 35); got != 4 {
		t.Errorf("%v ready just after the failure, want the 4 in west", got)
	}
	errs := rec.col("svc.errors")
	for i, ts := range rec.ts {
		if ts > 50 && errs[i] != 0 {
			t.Errorf("errors at %v s after the failover: %v", ts, errs[i])
		}
	}
}
