package network

import (
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
)

// TestSetupRoundTrips checks the handshake round trips before the first
// request, per protocol, against the handshake diagrams of the RFCs:
// TCP's three-way handshake (RFC 793 §3.4) costs one round trip before the
// client may send; TLS 1.2 adds two (RFC 5246 §7.3, full handshake) or one
// when resumed (§7.3, abbreviated handshake); TLS 1.3 adds one (RFC 8446
// §2) or none with 0-RTT early data (§2.3); QUIC combines transport and
// crypto handshakes in one round trip (RFC 9000 §7) and none with 0-RTT.
func TestSetupRoundTrips(t *testing.T) {
	tests := []struct {
		name    string
		p       Protocol
		resumed bool
		want    int
	}{
		{"tcp", TCP, false, 1},
		{"tcp resumed is still a handshake", TCP, true, 1},
		{"tls1.2 full", TLS12, false, 3},
		{"tls1.2 resumed", TLS12, true, 2},
		{"tls1.3", TLS13, false, 2},
		{"tls1.3 0-RTT", TLS13, true, 1},
		{"quic", QUIC, false, 1},
		{"quic 0-RTT", QUIC, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SetupRoundTrips(tt.p, tt.resumed); got != tt.want {
				t.Errorf("SetupRoundTrips(%v, %v) = %d, want %d", tt.p, tt.resumed, got, tt.want)
			}
			rtt := 50 * engine.Millisecond
			if got, want := FirstResponse(tt.p, tt.resumed, rtt), rtt.Mul(int64(tt.want+1)); got != want {
				t.Errorf("FirstResponse = %v, want %v", got, want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	for i, n := range Names {
		p, err := Parse(n)
		if err != nil || p != Protocol(i) || p.String() != n {
			t.Errorf("Parse(%q) = %v, %v", n, p, err)
		}
	}
	if _, err := Parse("tls1.1"); err == nil {
		t.Error("Parse accepted tls1.1")
	}
}

// TestPageEdgeArithmetic reproduces the seed arithmetic of edge
// termination: six round trips cost 60 ms through a point of presence
// 10 ms away and 1.2 s straight to an origin 200 ms away.
func TestPageEdgeArithmetic(t *testing.T) {
	if got := Page(6, 10*engine.Millisecond); got != 60*engine.Millisecond {
		t.Errorf("edge: %v, want 60ms", got)
	}
	if got := Page(6, 200*engine.Millisecond); got != 1200*engine.Millisecond {
		t.Errorf("origin: %v, want 1.2s", got)
	}
}
