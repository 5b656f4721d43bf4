package placement

// Epsilon absorbs floating-point error when requests are compared with a
// node's capacity (cores or GiB).
const Epsilon = 1e-9

// AnyPool as a Pod's Pool lets the pod run on a node of any pool.
const AnyPool int32 = -1

// Strategy is how the scheduler scores the nodes a pod fits on.
type Strategy uint8

// Strategies.
const (
	Spread  Strategy = iota // fewest of the service's pods per zone, then least allocated
	BinPack                 // most allocated
)

// String returns the scenario spelling of s.
func (s Strategy) String() string {
	switch s {
	case Spread:
		return "spread"
	case BinPack:
		return "binpack"
	}
	panic("placement: unknown strategy")
}

// Node is one node as the scheduler observes it.
type Node struct {
	Pool       int32   // index of its node pool
	Zone       int32   // index of its zone, >= 0 (pools without zones share one)
	Ready      bool    // accepts pods: not provisioning, cordoned or gone
	CPU        float64 // allocatable cores
	Memory     float64 // allocatable GiB
	UsedCPU    float64 // cores requested by the pods on it
	UsedMemory float64 // GiB requested by the pods on it
	// Dedicated nodes take only pods that name their pool (a taint the
	// pool's own pods tolerate); pods of AnyPool go elsewhere.
	Dedicated bool
}

// Allows reports whether the node may take a pod restricted to pool
// (AnyPool: none); readiness and room are not checked.
func (n *Node) Allows(pool int32) bool {
	if pool == AnyPool {
		return !n.Dedicated
	}
	return n.Pool == pool
}

// Fits reports whether a pod requesting cpu cores and mem GiB fits in the
// node's free room; readiness is not checked.
func (n *Node) Fits(cpu, mem float64) bool {
	return n.UsedCPU+cpu <= n.CPU+Epsilon && n.UsedMemory+mem <= n.Memory+Epsilon
}

// allocated is the node's requested CPU as a fraction of its allocatable
// CPU, the score both strategies rank by.
func (n *Node) allocated() float64 { return n.UsedCPU / n.CPU }

// Pod is the pod being placed.
type Pod struct {
	CPU      float64  // requested cores
	Memory   float64  // requested GiB
	Pool     int32    // the only pool it may use, or AnyPool
	Strategy Strategy // how nodes are scored
}

// Pick returns the index in nodes of the node pod should go to, or -1 when
// it fits on none. perZone, when not nil, holds per zone index the number
// of the pod's service's pods already placed there; Spread then prefers the
// zone with the fewest (topology spreading). Pass nil to ignore zones.
func Pick(nodes []Node, pod Pod, perZone []int) int {
	best := -1
	for i := range nodes {
		n := &nodes[i]
		if !n.Ready || !n.Allows(pod.Pool) || !n.Fits(pod.CPU, pod.Memory) {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		if better(n, &nodes[best], pod.Strategy, perZone) {
			best = i
		}
	}
	return best
}

// better reports whether n scores strictly higher than b.
func better(n, b *Node, s Strategy, perZone []int) bool {
	if s == Spread && perZone != nil && perZone[n.Zone] != perZone[b.Zone] {
		return perZone[n.Zone] < perZone[b.Zone]
	}
	if s == Spread {
		return n.allocated() < b.allocated()
	}
	return n.allocated() > b.allocated()
}
