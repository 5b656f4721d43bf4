package placement_test

import (
	"fmt"
	"testing"

	"github.com/clustersim/clustersim/sim/policies/placement"
)

// node is a ready 4-core, 16 GiB node of pool 0 in zone z with cpu cores
// requested.
func node(z int32, cpu float64) placement.Node {
	return placement.Node{Zone: z, Ready: true, CPU: 4, Memory: 16, UsedCPU: cpu, UsedMemory: cpu}
}

// TestPick pins the scheduler's filter and score. Reference: Kubernetes
// scheduler, NodeResourcesFit filter (requests must fit allocatable), the
// LeastAllocated and MostAllocated scoring strategies, and
// PodTopologySpread (the default constraints spread a service's pods
// over zones before scoring by allocation).
func TestPick(t *testing.T) {
	spread := placement.Pod{CPU: 1, Memory: 1, Pool: placement.AnyPool, Strategy: placement.Spread}
	pack := placement.Pod{CPU: 1, Memory: 1, Pool: placement.AnyPool, Strategy: placement.BinPack}
	notReady := node(0, 0)
	notReady.Ready = false
	otherPool := node(0, 0)
	otherPool.Pool = 1
	bigMem := node(0, 0)
	bigMem.UsedMemory = 15.5
	big := placement.Node{Zone: 0, Ready: true, CPU: 16, Memory: 64, UsedCPU: 4, UsedMemory: 4}
	for _, tc := range []struct {
		name    string
		nodes   []placement.Node
		pod     placement.Pod
		perZone []int
		want    int
	}{
		{"no nodes", nil, spread, nil, -1},
		{"spread: least allocated", []placement.Node{node(0, 2), node(0, 1), node(0, 3)}, spread, nil, 1},
		{"binpack: most allocated", []placement.Node{node(0, 2), node(0, 1), node(0, 3)}, pack, nil, 2},
		{"binpack: a full node is filtered out", []placement.Node{node(0, 2), node(0, 4)}, pack, nil, 0},
		{"exactly full fits (<=)", []placement.Node{node(0, 3)}, pack, nil, 0},
		{"a hair over does not fit", []placement.Node{node(0, 3.01)}, pack, nil, -1},
		{"memory is a request too", []placement.Node{bigMem, node(0, 3)}, spread, nil, 1},
		{"ties go to the oldest node", []placement.Node{node(0, 1), node(0, 1)}, spread, nil, 0},
		{"not ready is filtered out", []placement.Node{notReady, node(0, 3)}, spread, nil, 1},
		{"pool-bound pod skips other pools", []placement.Node{otherPool, node(0, 3)},
			placement.Pod{CPU: 1, Memory: 1, Pool: 0, Strategy: placement.Spread}, nil, 1},
		{"any-pool pod may use every pool", []placement.Node{otherPool, node(0, 3)}, spread, nil, 0},
		{"spread: fewest pods per zone beats allocation", []placement.Node{node(0, 0), node(1, 3)}, spread, []int{2, 1}, 1},
		{"spread: equal zones fall back to allocation", []placement.Node{node(0, 2), node(1, 1)}, spread, []int{1, 1}, 1},
		{"binpack ignores zones", []placement.Node{node(0, 3), node(1, 0)}, pack, []int{5, 0}, 0},
		{"allocation is a fraction of the node", []placement.Node{node(0, 2), big}, spread, nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := placement.Pick(tc.nodes, tc.pod, tc.perZone); got != tc.want {
				t.Errorf("Pick = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestPickAllocs checks that the scheduler allocates nothing per call: it
// runs once per pending instance.
func TestPickAllocs(t *testing.T) {
	nodes := []placement.Node{node(0, 2), node(1, 1), node(2, 3)}
	perZone := []int{1, 0, 2}
	pod := placement.Pod{CPU: 1, Memory: 1, Pool: placement.AnyPool}
	if n := testing.AllocsPerRun(100, func() { placement.Pick(nodes, pod, perZone) }); n != 0 {
		t.Errorf("%v allocations per call", n)
	}
}

func ExamplePick() {
	nodes := []placement.Node{
		{Zone: 0, Ready: true, CPU: 4, Memory: 16, UsedCPU: 3, UsedMemory: 3},
		{Zone: 1, Ready: true, CPU: 4, Memory: 16, UsedCPU: 1, UsedMemory: 1},
	}
	pod := placement.Pod{CPU: 1, Memory: 1, Pool: placement.AnyPool, Strategy: placement.BinPack}
	i := placement.Pick(nodes, pod, nil)
	fmt.Println(i)
	// Output: 0
}

// TestDedicated: a dedicated node takes only pods that name its pool
// (Kubernetes: a NoSchedule taint that only the pool's own pods
// tolerate, plus their nodeSelector); a pod of any pool skips it even
// when it is the emptiest node.
func TestDedicated(t *testing.T) {
	nodes := []placement.Node{
		{Pool: 0, Ready: true, CPU: 4, Memory: 16, UsedCPU: 3},
		{Pool: 1, Ready: true, CPU: 4, Memory: 16, Dedicated: true},
	}
	tests := []struct {
		pool int32
		want int
	}{
		{placement.AnyPool, 0}, // not the emptier dedicated node
		{1, 1},
		{0, 0},
	}
	for _, tt := range tests {
		if got := placement.Pick(nodes, placement.Pod{CPU: 1, Memory: 1, Pool: tt.pool, Strategy: placement.Spread}, nil); got != tt.want {
			t.Errorf("pod of pool %d went to node %d, want %d", tt.pool, got, tt.want)
		}
	}
	full := []placement.Node{nodes[1], {Pool: 0, Ready: true, CPU: 4, Memory: 16, UsedCPU: 4}}
	if got := placement.Pick(full, placement.Pod{CPU: 1, Memory: 1, Pool: placement.AnyPool}, nil); got != -1 {
		t.Errorf("a pod of any pool took dedicated node %d", got)
	}
}
