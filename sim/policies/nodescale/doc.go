// Package nodescale is the cluster autoscaler's decision, modelled on
// Kubernetes' cluster-autoscaler (kubernetes/autoscaler, cluster-autoscaler/
// FAQ.md). The simulator calls Autoscaler.Scan once per scan interval with
// an Observation of the cluster — every node with its pool, state and the
// requests of the pods on it, and the pending pods — and applies the
// returned Decision: nodes to provision per pool, nodes to drain and
// delete. Scan keeps the autoscaler's own state (when each node became
// unneeded, when the cluster last scaled up) between calls; it reads no
// clock and allocates nothing in steady state.
//
// One scan, as in cluster-autoscaler's RunOnce:
//
//  1. Scale-up. Pending pods that fit in the free room of ready or
//     upcoming (provisioning) nodes are left to the scheduler. For the rest,
//     each pool that may host some of them (the pod names no pool or this
//     one, it fits an empty node, the pool is under its max) is an option:
//     first-fit-decreasing packing onto new nodes says how many nodes it
//     needs. The expander picks one option (least-waste or random); only
//     that pool grows this scan. Pools under their minimum are topped up.
//     A scan that scales up does no scale-down.
//  2. Unneeded nodes. A ready node is unneeded when its requested CPU and
//     memory are both under the pool's utilisation threshold and each of
//     its pods, in turn, fits on another ready node (first fit, counting the
//     room earlier pods and earlier unneeded nodes' pods took). Its timer
//     starts at the first scan that finds it unneeded and is reset when a
//     scan finds it needed. Timers run every scan, cooldown or not.
//  3. Deletion, unless a scale-up anywhere in the cluster happened less
//     than ScaleDownDelayAfterAdd ago: nodes unneeded for at least the
//     pool's ScaleDownUnneeded are deleted, never taking a pool below its
//     minimum — up to MaxEmptyBulkDelete empty nodes at once, or else one
//     non-empty node, which is drained.
package nodescale
