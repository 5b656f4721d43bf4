package models

import "github.com/clustersim/clustersim/sim/engine"

// Edge termination: a point of presence near the user terminates the
// client's TCP and TLS and keeps warm connections to the origin. The
// client's connection is to the edge, so its handshake round trips (and
// the wait before a freed pooled connection is known to be free) cost
// EdgeRTT; the edge relays each request to the origin over a connection
// already open, so the request itself still travels the whole path, RTT
// (EdgeRTT to the edge plus RTT - EdgeRTT on to the origin), with no
// handshake on the origin leg. The first response on a new TLS 1.2
// connection thus costs 3 × EdgeRTT + RTT instead of 4 × RTT.

// clientLeg returns the round trip of a client's own connection: to the
// edge when there is one, else to the service's balancer.
func clientLeg(n *NetworkSpec) engine.Duration {
	if n.EdgeRTT > 0 {
		return n.EdgeRTT
	}
	return n.RTT
}
