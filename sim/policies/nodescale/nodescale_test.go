package nodescale_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/nodescale"
)

const sec = 1_000_000_000 // one second, untyped: an engine.Time or engine.Duration

// pods returns n pods of cpu cores and 1 GiB each, bound to pool.
func pods(n int, cpu float64, pool int32) []nodescale.Pod {
	var ps []nodescale.Pod
	for range n {
		ps = append(ps, nodescale.Pod{CPU: cpu, Memory: 1, Pool: pool})
	}
	return ps
}

func ready(pool int32, ps ...[]nodescale.Pod) nodescale.Node {
	return nodescale.Node{Pool: pool, State: nodescale.Ready, Pods: slices.Concat(ps...)}
}

func provisioning(pool int32) nodescale.Node {
	return nodescale.Node{Pool: pool, State: nodescale.Provisioning}
}

func deleting(pool int32) nodescale.Node {
	return nodescale.Node{Pool: pool, State: nodescale.Deleting}
}

// pool is a 4-core, 16 GiB pool of 0 to 5 nodes with the
// cluster-autoscaler defaults: 10 minutes unneeded, threshold 0.5.
func pool() nodescale.Pool {
	return nodescale.Pool{CPU: 4, Memory: 16, Max: 5, ScaleDownUnneeded: 600 * sec, ScaleDownUtilization: 0.5}
}

// defaults are cluster-autoscaler's: least-waste (our default), bulk
// delete 10, 10 minutes of cooldown after a scale-up.
func defaults() nodescale.Config {
	return nodescale.Config{MaxEmptyBulkDelete: 10, ScaleDownDelayAfterAdd: 600 * sec}
}

// step is one scan and what it must decide.
type step struct {
	at      engine.Time // seconds
	nodes   []nodescale.Node
	pending []nodescale.Pod
	add     []int   // per pool; nil for none
	remove  []int32 // nil for none
	reason  string
}

// fixedRand always draws the same index.
type fixedRand int

func (r fixedRand) IntN(n int) int { return int(r) % n }

// TestScan runs sequences of scans, each case on a fresh autoscaler, and
// checks every decision. References, kubernetes/autoscaler
// cluster-autoscaler:
//   - FAQ "How does scale-down work?": checked every scan "if no scale-up
//     is needed"; the threshold compares the larger of the CPU and memory
//     requests ratios; pods must be movable, and "the new locations of all
//     movable pods are memorized" (nodes are judged in sequence); "one
//     non-empty node at a time"; "Empty nodes ... can be terminated in
//     bulk, up to 10 nodes at a time (--max-empty-bulk-delete)".
//   - FAQ "What are Expanders?": least-waste "selects the node group that
//     will have the least idle CPU (if tied, unused memory) after
//     scale-up".
//   - core/static_autoscaler.go: one lastScaleUpTime for the cluster;
//     scale-down in cooldown while lastScaleUpTime + ScaleDownDelayAfterAdd
//     is after now, the unneeded nodes still being updated.
func TestScan(t *testing.T) {
	p0, any := int32(0), nodescale.AnyPool
	full := pods(4, 1, p0)
	bigCPU := nodescale.Pool{CPU: 8, Memory: 16, Max: 5, ScaleDownUnneeded: 600 * sec, ScaleDownUtilization: 0.5}
	bigMem := nodescale.Pool{CPU: 4, Memory: 32, Max: 5, ScaleDownUnneeded: 600 * sec, ScaleDownUtilization: 0.5}
	eager := pool()
	eager.ScaleDownUnneeded = 0
	atMin := pool()
	atMin.Min = 2
	bulk3 := defaults()
	bulk3.MaxEmptyBulkDelete = 3
	random := defaults()
	random.Expander = nodescale.Random
	capped := pool()
	capped.Max = 2
	dedicated := pool()
	dedicated.Dedicated = true
	for _, tc := range []struct {
		name  string
		cfg   nodescale.Config
		pools []nodescale.Pool
		rng   nodescale.Rand
		steps []step
	}{
		// Scale-up.
		{"pending pods that fit on an upcoming node add nothing", defaults(), []nodescale.Pool{pool()}, nil, []step{
			{0, []nodescale.Node{ready(0, full), provisioning(0)}, pods(3, 1, p0), []int{0}, nil, nodescale.ReasonNoCandidate},
		}},
		{"first-fit decreasing: 3,2,2,1 cores need 2 nodes", defaults(), []nodescale.Pool{pool()}, nil, []step{
			{0, []nodescale.Node{ready(0, full)}, slices.Concat(pods(1, 1, p0), pods(2, 2, p0), pods(1, 3, p0)), []int{2}, nil, nodescale.ReasonScaleUp},
		}},
		{"max caps the scale-up", defaults(), []nodescale.Pool{capped}, nil, []step{
			{0, []nodescale.Node{ready(0, full)}, pods(8, 1, p0), []int{1}, nil, nodescale.ReasonScaleUp},
			{10, []nodescale.Node{ready(0, full), provisioning(0)}, pods(8, 1, p0), []int{0}, nil, nodescale.ReasonInCooldown},
		}},
		{"a pod bigger than a node adds nothing", defaults(), []nodescale.Pool{pool()}, nil, []step{
			{0, []nodescale.Node{ready(0, full)}, pods(1, 5, p0), []int{0}, nil, nodescale.ReasonNoCandidate},
		}},
		{"a pool under its minimum is topped up", defaults(), []nodescale.Pool{atMin}, nil, []step{
			{0, []nodescale.Node{ready(0, full), deleting(0)}, nil, []int{1}, nil, nodescale.ReasonMinSize},
		}},
		// Dedicated pools (a taint): pods of any pool never grow one, and
		// least-waste would have picked it (1/4 idle beats 5/8).
		{"a dedicated pool does not grow for pods of any pool", defaults(), []nodescale.Pool{bigCPU, dedicated}, nil, []step{
			{0, nil, pods(3, 1, any), []int{1, 0}, nil, nodescale.ReasonScaleUp},
		}},
		{"a dedicated pool grows for its own pods", defaults(), []nodescale.Pool{bigCPU, dedicated}, nil, []step{
			{0, nil, pods(3, 1, 1), []int{0, 1}, nil, nodescale.ReasonScaleUp},
		}},
		// Expanders.
		{"least-waste: the least idle CPU", defaults(), []nodescale.Pool{bigCPU, pool()}, nil, []step{
			{0, nil, pods(3, 1, any), []int{0, 1}, nil, nodescale.ReasonScaleUp}, // 1/4 idle beats 5/8
		}},
		{"least-waste: a CPU tie goes to the least idle memory", defaults(), []nodescale.Pool{bigMem, pool()}, nil, []step{
			{0, nil, pods(4, 1, any), []int{0, 1}, nil, nodescale.ReasonScaleUp}, // 12/16 idle beats 28/32
		}},
		{"least-waste: a full tie goes to the first pool", defaults(), []nodescale.Pool{pool(), pool()}, nil, []step{
			{0, nil, pods(4, 1, any), []int{1, 0}, nil, nodescale.ReasonScaleUp},
		}},
		{"random: the stream's draw picks the option", random, []nodescale.Pool{pool(), pool()}, fixedRand(1), []step{
			{0, nil, pods(4, 1, any), []int{0, 1}, nil, nodescale.ReasonScaleUp},
		}},
		{"pool-bound pods grow their own pool, one pool per scan", defaults(), []nodescale.Pool{pool(), pool()}, nil, []step{
			{0, nil, slices.Concat(pods(4, 1, 1), pods(2, 1, 0)), []int{0, 1}, nil, nodescale.ReasonScaleUp}, // 0 idle beats 1/2
			{10, []nodescale.Node{provisioning(1)}, slices.Concat(pods(4, 1, 1), pods(2, 1, 0)), []int{1, 0}, nil, nodescale.ReasonScaleUp},
		}},
		// Scale-down timing.
		{"unneeded timers run during the cooldown after a scale-up", defaults(), []nodescale.Pool{pool()}, nil, []step{
			{50, []nodescale.Node{ready(0, full)}, pods(1, 1, p0), []int{1}, nil, nodescale.ReasonScaleUp},
			{130, []nodescale.Node{ready(0, full), ready(0)}, nil, []int{0}, nil, nodescale.ReasonInCooldown},  // emptied: timer starts
			{650, []nodescale.Node{ready(0, full), ready(0)}, nil, []int{0}, nil, nodescale.ReasonNoCandidate}, // cooldown over, 520 s unneeded
			{729, []nodescale.Node{ready(0, full), ready(0)}, nil, []int{0}, nil, nodescale.ReasonNoCandidate},
			{730, []nodescale.Node{ready(0, full), ready(0)}, nil, []int{0}, []int32{1}, nodescale.ReasonDeleteEmpty}, // 600 s: >=
		}},
		{"the cooldown is cluster-wide: a scale-up in pool 0 blocks deletion in pool 1", defaults(), []nodescale.Pool{pool(), pool()}, nil, []step{
			{0, []nodescale.Node{ready(1)}, pods(1, 1, p0), []int{1, 0}, nil, nodescale.ReasonScaleUp}, // no scale-down in this scan
			{10, []nodescale.Node{ready(1), provisioning(0)}, nil, []int{0, 0}, nil, nodescale.ReasonInCooldown},
			{599, []nodescale.Node{ready(1), provisioning(0)}, nil, []int{0, 0}, nil, nodescale.ReasonInCooldown},
			{600, []nodescale.Node{ready(1), provisioning(0)}, nil, []int{0, 0}, nil, nodescale.ReasonNoCandidate}, // cooldown over (>=), 590 s
			{610, []nodescale.Node{ready(1), provisioning(0)}, nil, []int{0, 0}, []int32{0}, nodescale.ReasonDeleteEmpty},
		}},
		{"a timer restarts after the node was needed", defaults(), []nodescale.Pool{pool()}, nil, []step{
			{0, []nodescale.Node{ready(0)}, nil, []int{0}, nil, nodescale.ReasonNoCandidate},
			{300, []nodescale.Node{ready(0, full)}, nil, []int{0}, nil, nodescale.ReasonNoCandidate},
			{310, []nodescale.Node{ready(0)}, nil, []int{0}, nil, nodescale.ReasonNoCandidate},
			{900, []nodescale.Node{ready(0)}, nil, []int{0}, nil, nodescale.ReasonNoCandidate}, // 590 s since 310
			{910, []nodescale.Node{ready(0)}, nil, []int{0}, []int32{0}, nodescale.ReasonDeleteEmpty},
		}},
		// Which nodes are unneeded.
		{"the threshold is strict: 50% requested is needed", defaults(), []nodescale.Pool{eager}, nil, []step{
			{0, []nodescale.Node{ready(0, pods(2, 1, p0)), ready(0)}, nil, []int{0}, []int32{1}, nodescale.ReasonDeleteEmpty},
		}},
		{"pods must fit one node each, not the summed free room", defaults(), []nodescale.Pool{eager}, nil, []step{
			// Node 0's 1.5-core pod: 1 + 1 free cores elsewhere, no single node has 1.5.
			{0, []nodescale.Node{ready(0, pods(1, 1.5, p0)), ready(0, pods(2, 1.5, p0)), ready(0, pods(2, 1.5, p0))}, nil, []int{0}, nil, nodescale.ReasonNoCandidate},
		}},
		{"a pod that fits on one other node can move", defaults(), []nodescale.Pool{eager}, nil, []step{
			{0, []nodescale.Node{ready(0, pods(1, 1.5, p0)), ready(0, pods(2, 1.5, p0)), ready(0, pods(1, 1.5, p0), pods(1, 1, p0))}, nil, []int{0}, []int32{0}, nodescale.ReasonDeleteNonEmpty},
		}},
		{"moved pods count on the node that takes them", defaults(), []nodescale.Pool{eager}, nil, []step{
			// Node 0's pod moves to node 1 (then 75% requested: needed); node 2 is full.
			{0, []nodescale.Node{ready(0, pods(1, 1.5, p0)), ready(0, pods(1, 1.5, p0)), ready(0, full)}, nil, []int{0}, []int32{0}, nodescale.ReasonDeleteNonEmpty},
		}},
		{"a pod bound to its pool cannot move to another pool", defaults(), []nodescale.Pool{eager, eager}, nil, []step{
			{0, []nodescale.Node{ready(0, pods(1, 1, p0)), ready(1)}, nil, []int{0, 0}, []int32{1}, nodescale.ReasonDeleteEmpty},
		}},
		{"an any-pool pod may move to another pool", defaults(), []nodescale.Pool{eager, eager}, nil, []step{
			{0, []nodescale.Node{ready(0, pods(1, 1, any)), ready(1, pods(1, 1, any))}, nil, []int{0, 0}, []int32{0}, nodescale.ReasonDeleteNonEmpty},
		}},
		// Deletion.
		{"empty nodes go in bulk, up to max_empty_bulk_delete", bulk3, []nodescale.Pool{eager}, nil, []step{
			{0, []nodescale.Node{ready(0), ready(0), ready(0), ready(0), ready(0)}, nil, []int{0}, []int32{0, 1, 2}, nodescale.ReasonDeleteEmpty},
			{10, []nodescale.Node{deleting(0), deleting(0), deleting(0), ready(0), ready(0)}, nil, []int{0}, []int32{3, 4}, nodescale.ReasonDeleteEmpty},
		}},
		{"empty nodes go before non-empty ones", defaults(), []nodescale.Pool{eager}, nil, []step{
			{0, []nodescale.Node{ready(0, pods(1, 1, p0)), ready(0, pods(1, 1, p0)), ready(0)}, nil, []int{0}, []int32{2}, nodescale.ReasonDeleteEmpty},
		}},
		{"non-empty nodes go one per scan", defaults(), []nodescale.Pool{eager}, nil, []step{
			{0, []nodescale.Node{ready(0, pods(1, 0.5, p0)), ready(0, pods(1, 0.5, p0)), ready(0, pods(1, 0.5, p0))}, nil, []int{0}, []int32{0}, nodescale.ReasonDeleteNonEmpty},
		}},
		{"deletion never takes a pool below its minimum", defaults(), []nodescale.Pool{{CPU: 4, Memory: 16, Min: 2, Max: 5, ScaleDownUtilization: 0.5}}, nil, []step{
			{0, []nodescale.Node{ready(0), ready(0), ready(0)}, nil, []int{0}, []int32{0}, nodescale.ReasonDeleteEmpty},
			{10, []nodescale.Node{deleting(0), ready(0), ready(0)}, nil, []int{0}, nil, nodescale.ReasonNoCandidate},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := nodescale.New(tc.cfg, tc.pools, tc.rng)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.steps {
				d := a.Scan(nodescale.Observation{Now: s.at * sec, Nodes: s.nodes, Pending: s.pending})
				if !slices.Equal(d.Add, s.add) || !slices.Equal(d.Remove, s.remove) || d.Reason != s.reason {
					t.Fatalf("t=%ds: add %v remove %v %s, want %v %v %s", s.at, d.Add, d.Remove, d.Reason, s.add, s.remove, s.reason)
				}
			}
		})
	}
}

// TestUnneededSince checks the timer bookkeeping the deletions rely on.
func TestUnneededSince(t *testing.T) {
	a, err := nodescale.New(defaults(), []nodescale.Pool{pool()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := a.LastScaleUp(); ok {
		t.Error("a scale-up before any scan")
	}
	a.Scan(nodescale.Observation{Now: 0, Nodes: []nodescale.Node{ready(0)}, Pending: pods(5, 1, 0)})
	if at, ok := a.LastScaleUp(); !ok || at != 0 {
		t.Errorf("last scale-up %d %v, want 0", at, ok)
	}
	a.Scan(nodescale.Observation{Now: 10 * sec, Nodes: []nodescale.Node{ready(0), ready(0, pods(4, 1, 0))}})
	if at, ok := a.UnneededSince(0); !ok || at != 10*sec {
		t.Errorf("empty node unneeded since %d %v, want 10 s", at, ok)
	}
	if _, ok := a.UnneededSince(1); ok {
		t.Error("a full node is unneeded")
	}
	if _, ok := a.UnneededSince(7); ok {
		t.Error("an unseen node is unneeded")
	}
	// Node 0 is unneeded; node 1's pod could only go to node 0, which the
	// simulation has already removed, so node 1 is needed.
	a.Scan(nodescale.Observation{Now: 20 * sec, Nodes: []nodescale.Node{ready(0), ready(0, pods(1, 1, 0)), ready(0, pods(4, 1, 0))}})
	if _, ok := a.UnneededSince(0); !ok {
		t.Error("empty node 0 is needed")
	}
	if _, ok := a.UnneededSince(1); ok {
		t.Error("node 1's pod moved onto node 0, itself unneeded")
	}
}

func TestNewErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   nodescale.Config
		pools []nodescale.Pool
		rng   nodescale.Rand
	}{
		{"no bulk delete", nodescale.Config{}, nil, nil},
		{"negative delay", nodescale.Config{MaxEmptyBulkDelete: 1, ScaleDownDelayAfterAdd: -1}, nil, nil},
		{"random without a source", nodescale.Config{MaxEmptyBulkDelete: 1, Expander: nodescale.Random}, nil, nil},
		{"unknown expander", nodescale.Config{MaxEmptyBulkDelete: 1, Expander: 9}, nil, nil},
		{"max under min", defaults(), []nodescale.Pool{{CPU: 1, Memory: 1, Min: 2, Max: 1}}, nil},
		{"no capacity", defaults(), []nodescale.Pool{{Max: 1}}, nil},
	} {
		if _, err := nodescale.New(tc.cfg, tc.pools, tc.rng); !errors.Is(err, nodescale.ErrConfig) {
			t.Errorf("%s: err %v, want ErrConfig", tc.name, err)
		}
	}
}

func TestParseExpander(t *testing.T) {
	for _, name := range nodescale.Expanders() {
		e, err := nodescale.ParseExpander(name)
		if err != nil || e.String() != name {
			t.Errorf("%q: %v %v", name, e, err)
		}
	}
	if nodescale.Expanders()[0] != "least-waste" {
		t.Error("least-waste is not the default")
	}
	if _, err := nodescale.ParseExpander("most-pods"); !errors.Is(err, nodescale.ErrConfig) {
		t.Errorf("most-pods: %v", err)
	}
}

// TestScanAllocs checks that a scan allocates nothing once its buffers
// have grown: it runs every scan interval of every run.
func TestScanAllocs(t *testing.T) {
	a, err := nodescale.New(defaults(), []nodescale.Pool{pool(), pool()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	nodes := []nodescale.Node{ready(0, pods(1, 1, 0)), ready(0, pods(3, 1, 0)), ready(1, pods(1, 1, nodescale.AnyPool)), ready(1), provisioning(0)}
	obs := nodescale.Observation{Nodes: nodes, Pending: pods(6, 1.5, nodescale.AnyPool)}
	now := engine.Time(0)
	scan := func() { now += 10 * sec; obs.Now = now; a.Scan(obs) }
	scan()
	if n := testing.AllocsPerRun(50, scan); n != 0 {
		t.Errorf("%v allocations per scan", n)
	}
}
