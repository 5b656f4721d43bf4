package models

import (
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
)

// nodesOf returns, per node, how many instances of the service sit on it.
func nodesOf(c *Cluster, s *Service) []int {
	per := make([]int, len(c.nodes))
	for _, in := range s.instances {
		if in.node >= 0 && in.state != Terminated {
			per[in.node]++
		}
	}
	return per
}

// TestPlacement checks the scheduler by hand. Three 4-core nodes in zones
// a, b, c; instances request 1 core. Spreading (Kubernetes' default
// topology spreading + LeastAllocated) puts 5 instances 2/2/1 across the
// zones; bin-packing (MostAllocated) fills the first node before the next:
// 4/1/0.
func TestPlacement(t *testing.T) {
	for _, tc := range []struct {
		name   string
		spread bool
		want   []int
	}{
		{"spread", true, []int{2, 2, 1}},
		{"binpack", false, []int{4, 1, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(Config{
				Name: "p", Seed: 1, Duration: 10 * engine.Second, Window: engine.Second,
				NodePools: []NodePoolSpec{{Name: "pool", CPU: 4, Memory: 16, Initial: 3, Min: 3, Max: 3,
					Zones: []string{"a", "b", "c"}}},
				ClusterAutoscaler: ClusterAutoscalerSpec{ScanInterval: engine.Second},
				Services: []ServiceSpec{{Name: "svc", Replicas: 5, Concurrency: 1, Queue: -1, Algorithm: "random",
					CPU: 1, Memory: 1, Spread: tc.spread, Readiness: DefaultProbe()}},
				Workloads: []WorkloadSpec{{Name: "w", Rate: RateCurve{{Rate: 1}}, ServiceTime: dist.Spec{Kind: "constant", Mean: 0.001}}},
			})
			if err != nil {
				t.Fatal(err)
			}
			got := nodesOf(c, c.services[0])
			for i := range tc.want {
				if got[i] != tc.want[i] {
					t.Fatalf("instances per node %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// TestProbeReadyAfter checks the readiness probe arithmetic against
// Kubernetes' semantics: probes at start+initialDelay+k·period, ready at
// the successThreshold-th success at or after the process is up.
func TestProbeReadyAfter(t *testing.T) {
	s := engine.Time(engine.Second)
	for _, c := range []struct {
		probe  Probe
		up     engine.Time // process up, container started at 0
		expect engine.Time
	}{
		{Probe{Period: 10 * engine.Second, SuccessThreshold: 1}, 0, 0},                                            // up at once: first probe at 0
		{Probe{Period: 10 * engine.Second, SuccessThreshold: 1}, 25 * s, 30 * s},                                  // probes 0,10,20,30
		{Probe{InitialDelay: 5 * engine.Second, Period: 10 * engine.Second, SuccessThreshold: 1}, 25 * s, 25 * s}, // probes 5,15,25
		{Probe{InitialDelay: 5 * engine.Second, Period: 10 * engine.Second, SuccessThreshold: 3}, 25 * s, 45 * s}, // 25,35,45
		{Probe{InitialDelay: 30 * engine.Second, Period: 10 * engine.Second, SuccessThreshold: 1}, 2 * s, 30 * s}, // delay dominates
		{Probe{}, 7 * s, 7 * s}, // no probe: ready when up
	} {
		if got := c.probe.readyAfter(0, c.up); got != c.expect {
			t.Errorf("%+v up at %v: ready at %v, want %v", c.probe, c.up, got, c.expect)
		}
	}
}

// TestReserveAllocs checks that placing an instance and building the
// cluster autoscaler's observation allocate nothing once their buffers
// have grown: the first runs once per pending instance, the second every
// scan.
func TestReserveAllocs(t *testing.T) {
	c, err := New(Config{
		Name: "p", Seed: 1, Duration: 10 * engine.Second, Window: engine.Second,
		NodePools: []NodePoolSpec{{Name: "pool", CPU: 4, Memory: 16, Initial: 3, Min: 3, Max: 3,
			Zones: []string{"a", "b", "c"}}},
		ClusterAutoscaler: ClusterAutoscalerSpec{ScanInterval: engine.Second},
		Services: []ServiceSpec{{Name: "svc", Replicas: 5, Concurrency: 1, Queue: -1, Algorithm: "random",
			CPU: 1, Memory: 1, Spread: true, Readiness: DefaultProbe()}},
		Workloads: []WorkloadSpec{{Name: "w", Rate: RateCurve{{Rate: 1}}, ServiceTime: dist.Spec{Kind: "constant", Mean: 0.001}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := c.services[0]
	place := func() {
		if !c.reserve(s, 0) {
			t.Fatal("no room")
		}
		n := c.nodes[s.instances[0].node]
		n.cpu -= s.spec.CPU
		n.mem -= s.spec.Memory
		n.instances--
	}
	if a := testing.AllocsPerRun(50, place); a != 0 {
		t.Errorf("reserve: %v allocations", a)
	}
	if a := testing.AllocsPerRun(50, func() { c.ns.ca.Scan(c.observeNodes()) }); a != 0 {
		t.Errorf("scan: %v allocations", a)
	}
}
