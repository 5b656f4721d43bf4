package policies_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/policies"
)

// hostsOnly records the host reports it hears.
type hostsOnly struct{ heard *int }

func (b hostsOnly) Pick([]int32) int                    { return 0 }
func (b hostsOnly) Name() string                        { return "hosts_only" }
func (b hostsOnly) Hosts(hs []policies.Host, _ []int32) { *b.heard += len(hs) }

// TestNotifierHosts: a Notifier says whether its balancer wants host
// reports, so that the caller keeps a []Host only then, and forwards them
// only to one that does.
func TestNotifierHosts(t *testing.T) {
	heard := 0
	n := policies.NewNotifier(hostsOnly{&heard})
	if !n.WantsHosts() {
		t.Fatal("a HostWatcher does not want hosts")
	}
	n.Hosts(hostsOf(1, 2), make([]int32, 2))
	if heard != 2 {
		t.Fatalf("heard %d hosts, want 2", heard)
	}
	rr, _ := policies.NewBalancer(policies.NameRoundRobin, nil)
	plain := policies.NewNotifier(rr)
	if plain.WantsHosts() {
		t.Fatal("round robin wants hosts")
	}
	plain.Hosts(hostsOf(1), make([]int32, 1)) // dropped, no panic
}
