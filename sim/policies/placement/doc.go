// Package placement is the scheduler's decision: which node a pending pod
// (a service instance) goes to. It is a pure function of an observed set
// of nodes, modelled on the Kubernetes scheduler's filter and score steps:
// a node passes the filter when it is ready, belongs to a pool the pod may
// use, and has room for the pod's CPU and memory requests; among those,
// spreading prefers the zone with the fewest of the service's pods, then
// the least allocated node (LeastAllocated with topology spreading, the
// default scheduler), and bin-packing prefers the most allocated node
// (MostAllocated). Ties go to the lowest index, the oldest node.
//
// The caller owns the node slice and reuses it between calls; Pick does not
// allocate:
//
//	i := placement.Pick(nodes, placement.Pod{CPU: 1, Memory: 2, Pool: placement.AnyPool}, nil)
//	if i >= 0 {
//		nodes[i].UsedCPU += 1
//		nodes[i].UsedMemory += 2
//	}
package placement
