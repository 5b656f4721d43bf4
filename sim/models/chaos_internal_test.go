package models

import (
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/health"
)

// TestVersionErrorsEjected: a version's error responses are 5xx to
// outlier detection. One of 4 instances runs a version that fails every
// request; round robin sends it every 4th of 100 req/s, and Envoy's
// defaults eject it on its 5th consecutive 5xx (at 0.17 s) and return it
// on the first 10 s sweep after 30 s × times ejected: back at 40, 110,
// 210, 340 and 500 s, ejected again 0.17 s later each time, the last
// until after 600 s. Six ejections of five errors: 30 failed requests
// (without ejection it would be a quarter of all, 15,000).
func TestVersionErrorsEjected(t *testing.T) {
	od := health.DefaultOutlier()
	c, err := New(Config{
		Name: "versions-5xx", Seed: 1, Duration: 600 * engine.Second, Window: 10 * engine.Second,
		Services: []ServiceSpec{{Name: "svc", Replicas: 4, Concurrency: 8, Queue: -1, Algorithm: "round_robin", Outlier: &od,
			Versions: []VersionSpec{{Name: "v1"}, {Name: "bad", ErrorRate: 1}}}},
		Workloads: []WorkloadSpec{{Name: "w", Arrival: Constant, Rate: RateCurve{{Rate: 100}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.005}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	c.services[0].instances[0].version = 1
	sum, err := c.Run(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Requests.Failed != 30 {
		t.Errorf("failed %d, want 30", sum.Requests.Failed)
	}
}
