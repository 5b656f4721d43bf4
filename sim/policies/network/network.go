// Package network holds the arithmetic of the network path between a
// client and what it connects to: how many round trips a connection's
// setup costs before the first request can be sent, per protocol, and how
// long a request takes on the wire.
//
// The round-trip counts are the handshakes' (RFC 793 for TCP's three-way
// handshake, RFC 5246 for TLS 1.2's full and abbreviated handshakes, RFC
// 8446 for TLS 1.3 and its 0-RTT early data, RFC 9000/9001 for QUIC):
//
//	protocol   new connection   resumed (session ticket / 0-RTT)
//	tcp        1                1
//	tls1.2     3 (1 TCP + 2)    2 (1 TCP + 1 abbreviated)
//	tls1.3     2 (1 TCP + 1)    1 (TCP; the request rides with the ClientHello)
//	quic       1                0
//
// After setup, each request and its response cost one more round trip; a
// request on a reused keep-alive connection costs only that one.
package network

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/engine"
)

// Protocol is a transport and security stack.
type Protocol uint8

// Protocols.
const (
	TCP   Protocol = iota // plain TCP
	TLS12                 // TCP + TLS 1.2
	TLS13                 // TCP + TLS 1.3
	QUIC                  // QUIC (TLS 1.3 inside, over UDP)
)

// Names lists the protocols as written in scenarios, in Protocol order.
var Names = []string{"tcp", "tls1.2", "tls1.3", "quic"}

// Parse returns the protocol named s.
func Parse(s string) (Protocol, error) {
	for i, n := range Names {
		if n == s {
			return Protocol(i), nil
		}
	}
	return 0, fmt.Errorf("network: unknown protocol %q", s)
}

// String returns the protocol's scenario name.
func (p Protocol) String() string {
	if int(p) < len(Names) {
		return Names[p]
	}
	return fmt.Sprintf("Protocol(%d)", p)
}

// SetupRoundTrips returns the round trips a new connection costs before
// its first request can be sent. resumed means the client holds a session
// from an earlier connection to the same server: TLS 1.2's abbreviated
// handshake, TLS 1.3's and QUIC's 0-RTT early data.
func SetupRoundTrips(p Protocol, resumed bool) int {
	switch p {
	case TLS12:
		if resumed {
			return 2
		}
		return 3
	case TLS13:
		if resumed {
			return 1
		}
		return 2
	case QUIC:
		if resumed {
			return 0
		}
		return 1
	}
	return 1 // TCP: SYN, SYN-ACK; the request follows the ACK
}

// FirstResponse returns the time from a client's first packet to its first
// response on a new connection, excluding server time: setup round trips
// plus the request's own.
func FirstResponse(p Protocol, resumed bool, rtt engine.Duration) engine.Duration {
	return rtt.Mul(int64(SetupRoundTrips(p, resumed) + 1))
}

// Page returns the network time of a page load that needs roundTrips
// round trips to a server rtt away: the seed arithmetic of edge
// termination, where the same six round trips cost 6 × 10 ms through a
// point of presence 10 ms away and 6 × 200 ms straight to an origin 200 ms
// away. The edge's own round trips to the origin ride warm connections and
// are paid once per uncached request, not per handshake.
func Page(roundTrips int, rtt engine.Duration) engine.Duration {
	return rtt.Mul(int64(roundTrips))
}
