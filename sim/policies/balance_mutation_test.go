package policies_test

// Tests that pin balancing rules mutation testing (make mutate) found
// unpinned. The survivors judged equivalent are listed, with reasons, in
// testdata/equivalent-mutants.txt.

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/clustersim/clustersim/sim/policies"
)

// TestP2CMatchesReference is a differential test of P2C against the rule
// written out draw by draw. Envoy's LEAST_REQUEST balancer with
// choice_count 2 "selects N random available hosts ... and picks the host
// which has the fewest active requests" (Envoy docs, "Load balancers",
// "Weighted least request"); its loop (least_request_lb.cc,
// unweightedHostPick) draws each host as random() % size, so with
// replacement, and replaces the candidate only by a strictly less loaded
// one: the first drawn wins a tie. The reference draws from a twin of the
// balancer's stream, so the two must agree pick for pick.
func TestP2CMatchesReference(t *testing.T) {
	cases := []struct {
		name string
		load []int32
	}{
		{"all tied", []int32{3, 3, 3, 3}},
		{"two tied", []int32{1, 1}},
		{"distinct", []int32{4, 0, 2, 1, 3}},
		{"partly tied", []int32{2, 0, 2, 0, 5, 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := &policies.P2C{R: rand.New(rand.NewPCG(7, 7))}
			twin := rand.New(rand.NewPCG(7, 7))
			n := len(c.load)
			ties := 0
			for step := range 200 {
				i := twin.IntN(n)
				j := twin.IntN(n) // with replacement: j may be i
				want := i
				if c.load[j] < c.load[i] {
					want = j
				}
				if c.load[j] == c.load[i] {
					ties++
				}
				if got := b.Pick(c.load); got != want {
					t.Fatalf("step %d: drew %d then %d (loads %d, %d): picked %d, want %d",
						step, i, j, c.load[i], c.load[j], got, want)
				}
			}
			if slices.Min(c.load) == slices.Max(c.load) && ties != 200 {
				t.Fatalf("all loads equal but only %d ties", ties)
			}
		})
	}
}

// TestSingleBackend: with one backend in rotation every request goes to
// it, whatever the algorithm and whether or not the caller reports load
// changes between picks (least_outstanding folds each pick into its tree
// lazily, and must do so with a one-leaf tree too).
func TestSingleBackend(t *testing.T) {
	type changer interface{ Changed(i int, load []int32) }
	for _, c := range []struct {
		name   string
		b      interface{ Pick(load []int32) int }
		report bool // count each pick as outstanding and report it with Changed
	}{
		{"round_robin", &policies.RoundRobin{}, false},
		{"random", &policies.Random{R: rand.New(rand.NewPCG(1, 1))}, false},
		{"p2c", &policies.P2C{R: rand.New(rand.NewPCG(1, 1))}, false},
		{"least_outstanding", &policies.LeastOutstanding{}, false},
		{"least_outstanding, load reported", &policies.LeastOutstanding{}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			load := []int32{0}
			for step := range 5 {
				if got := c.b.Pick(load); got != 0 {
					t.Fatalf("pick %d: backend %d of 1", step, got)
				}
				if c.report {
					load[0]++
					c.b.(changer).Changed(0, load)
				}
			}
		})
	}
}

// TestLeastOutstandingScaleToZero: a fleet that scales to zero and back
// (Removed down to no backend, then Added) is balanced like a new one:
// Removed's contract allows "i == len(load) if the last one left", and
// the order is then the documented one, backends never picked first,
// lowest index first.
func TestLeastOutstandingScaleToZero(t *testing.T) {
	var b policies.LeastOutstanding
	load := []int32{0}
	b.Reset(load)
	var got []int
	got = append(got, b.Pick(load))
	load = load[:0]
	b.Removed(0, load) // the last backend left
	for range 2 {
		load = append(load, 0)
		b.Added(load)
		got = append(got, b.Pick(load))
	}
	// One backend: it. Two: the new one, never picked, before backend 0.
	if want := []int{0, 0, 1}; !slices.Equal(got, want) {
		t.Fatalf("picks %v, want %v", got, want)
	}
}
