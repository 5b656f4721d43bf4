// Package interference models the slowdown a noisy neighbour causes: a
// heavy workload sharing a node with an instance slows the instance's
// work even when the instance gets all the CPU it requested, through what
// the cgroup CPU share does not partition — the last-level cache, memory
// bandwidth, hyperthread siblings, the disk and the network card.
//
// The model is linear in the neighbour's pressure: service times are
// multiplied by 1 + k·u, where u = min(1, neighbour cores / node cores)
// is the share of the node the neighbour keeps busy and k the
// sensitivity of the co-located work to it. The linear shape is Bubble-Up's
// "sensitivity curve" (Mars et al., "Bubble-Up: Increasing Utilization in
// Modern Warehouse Scale Computers via Sensible Co-locations", MICRO
// 2011): a victim's QoS degradation grows with the pressure a co-runner
// puts on the memory subsystem, close to linearly over most of the range
// for the services they measured. Google's CPI² (Zhang et al., EuroSys
// 2013) reports victims' cycles per instruction rising by factors around
// 1.5–3 under antagonists, the range sensitivities of 0.5–2 give at full
// pressure.
package interference

import "math"

// Slowdown returns the service-time multiplier of work sharing a node of
// nodeCPU cores with a neighbour that keeps cpu cores busy, for
// sensitivity k: 1 + k·min(1, cpu/nodeCPU). It is 1 when any input is
// not positive.
func Slowdown(k, cpu, nodeCPU float64) float64 {
	if !(k > 0) || !(cpu > 0) || !(nodeCPU > 0) {
		return 1
	}
	return 1 + k*Pressure(cpu, nodeCPU)
}

// Pressure returns the share of a node of nodeCPU cores that a neighbour
// keeping cpu cores busy takes: min(1, cpu/nodeCPU), 0 for inputs that
// are not positive.
func Pressure(cpu, nodeCPU float64) float64 {
	if !(cpu > 0) || !(nodeCPU > 0) {
		return 0
	}
	return math.Min(1, cpu/nodeCPU)
}
