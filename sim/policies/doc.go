// Package policies holds clustersim's decisions: how a balancer picks a
// backend (this package), how autoscalers size a fleet (subpackage
// autoscale), where the scheduler places an instance (placement) and how
// the cluster autoscaler sizes the node pools (nodescale). Policies see only what they are handed — backend loads,
// observed metrics — never the models' internals, and they do no I/O and
// read no clock.
//
// A balancer is asked for a backend once per request, with the
// outstanding requests of each backend; ExampleNewBalancer shows the
// calls (it is compiled and run by go test).
// A balancer that needs more implements optional interfaces the caller
// finds once: LoadWatcher and MemberWatcher (load and membership
// changes), HostWatcher (who the backends are: identity, weight, when
// they joined), Clocked (the time, for slow start and DNS TTLs), Keyed
// (a request key, for hashing, stickiness and client-side algorithms)
// and Feedback (observed response times). New builds any of Algorithms
// from a Config.
package policies
