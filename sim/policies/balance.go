package policies

import (
	"math/rand/v2"
)

// Balancer picks a backend for each request from the current outstanding
// request counts of the backends in rotation. The caller owns the load
// slice. A balancer that keeps state derived from the loads or the
// backend set also implements LoadWatcher or MemberWatcher, or both, and
// the caller tells it of changes through a Notifier.
type Balancer interface {
	// Pick returns the index in load of the backend for the next request.
	// len(load) must be at least 1.
	Pick(load []int32) int
	// Name returns the algorithm's name as written in scenarios.
	Name() string
}

// LoadWatcher is implemented by a Balancer that must hear of every change
// in a backend's load.
type LoadWatcher interface {
	// Changed reports that load[i] has changed.
	Changed(i int, load []int32)
}

// MemberWatcher is implemented by a Balancer that must hear of changes to
// the backend set.
type MemberWatcher interface {
	// Reset reports that the backend set changed wholesale; load holds
	// the new loads.
	Reset(load []int32)
	// Added reports that one backend was appended: it is load[len-1].
	Added(load []int32)
	// Removed reports that backend i left: the last backend moved into
	// slot i and load shrank by one (i == len(load) if the last one left).
	Removed(i int, load []int32)
}

// Notifier passes load and membership changes on to the optional
// interfaces of one Balancer. It finds them once, in NewNotifier, so a
// notification the balancer does not need costs a nil check, not an
// interface call or a type assertion per event.
type Notifier struct {
	loads   LoadWatcher   // nil when the balancer ignores loads
	members MemberWatcher // nil when the balancer ignores the backend set
	hosts   HostWatcher   // nil when the balancer ignores who its backends are
}

// NewNotifier returns the Notifier for b.
func NewNotifier(b Balancer) Notifier {
	var n Notifier
	n.loads, _ = b.(LoadWatcher)
	n.members, _ = b.(MemberWatcher)
	n.hosts, _ = b.(HostWatcher)
	return n
}

// WantsHosts reports whether the balancer needs Hosts calls, so that a
// caller keeps a []Host beside its loads only when one is read.
func (n Notifier) WantsHosts() bool { return n.hosts != nil }

// Hosts reports the backend set after a membership change.
func (n Notifier) Hosts(hosts []Host, load []int32) {
	if n.hosts != nil {
		n.hosts.Hosts(hosts, load)
	}
}

// Changed reports that load[i] has changed.
func (n Notifier) Changed(i int, load []int32) {
	if n.loads != nil {
		n.loads.Changed(i, load)
	}
}

// Reset reports that the backend set changed wholesale.
func (n Notifier) Reset(load []int32) {
	if n.members != nil {
		n.members.Reset(load)
	}
}

// Added reports that one backend was appended: it is load[len-1].
func (n Notifier) Added(load []int32) {
	if n.members != nil {
		n.members.Added(load)
	}
}

// Removed reports that backend i left, the last one moving into slot i.
func (n Notifier) Removed(i int, load []int32) {
	if n.members != nil {
		n.members.Removed(i, load)
	}
}

var (
	_ LoadWatcher   = (*LeastOutstanding)(nil)
	_ MemberWatcher = (*LeastOutstanding)(nil)
)

// Balancing algorithm names, as written in scenarios. These and
// Algorithms are the one list: the scenario schema, its validation and
// the docs' tests all read it from here.
const (
	NameRoundRobin           = "round_robin"
	NameWeightedRoundRobin   = "weighted_round_robin"
	NameRandom               = "random"
	NameLeastOutstanding     = "least_outstanding"
	NameLeastConnections     = "least_connections"
	NameP2C                  = "p2c"
	NameWeightedResponseTime = "weighted_response_time"
	NameRingHash             = "ring_hash"
	NameMaglev               = "maglev"
	NameSticky               = "sticky"
	NameDNS                  = "dns"
	NameSubset               = "subset"
)

// Algorithms lists the balancing algorithms NewBalancer accepts.
var Algorithms = []string{
	NameRoundRobin, NameWeightedRoundRobin, NameRandom, NameLeastOutstanding,
	NameLeastConnections, NameP2C, NameWeightedResponseTime, NameRingHash,
	NameMaglev, NameSticky, NameDNS, NameSubset,
}

// NewBalancer returns the named algorithm with its default settings;
// random ones draw from r.
func NewBalancer(name string, r *rand.Rand) (Balancer, error) {
	return New(Config{Algorithm: name}, r)
}

// RoundRobin cycles through the backends in order, ignoring load.
type RoundRobin struct{ next int }

// Pick implements Balancer.
func (b *RoundRobin) Pick(load []int32) int {
	if b.next >= len(load) {
		b.next = 0
	}
	i := b.next
	b.next++
	return i
}

// Name implements Balancer.
func (b *RoundRobin) Name() string { return NameRoundRobin }

// Random picks a backend uniformly at random, ignoring load.
type Random struct{ R *rand.Rand }

// Pick implements Balancer.
func (b *Random) Pick(load []int32) int { return b.R.IntN(len(load)) }

// Name implements Balancer.
func (b *Random) Name() string { return NameRandom }

// LeastOutstanding picks the backend with the fewest outstanding requests.
// Ties go to the backend picked least recently, so an idle fleet is used
// in rotation rather than always from the first backend (HAProxy's
// leastconn does likewise); backends never picked go first, lowest index
// first. A 4-ary tournament tree keeps Pick O(1) and Changed O(log n):
// each node holds the winner of its subtree with its whole ordering key in
// one integer, a node's four children share one 64-byte cache line, and
// an update stops climbing as soon as a node's winner comes out unchanged.
type LeastOutstanding struct {
	tree   []contender // node k at tree[k+treePad]; children of k are 4k+1..4k+4
	leaves int         // leaf slots, a power of four >= n
	first  int         // node number of the first leaf, (leaves-1)/3
	n      int
	picks  uint64
	dirty  int // backend picked whose stamp is not yet in the tree, or -1
}

// treePad offsets node k to tree[k+3], so that the children 4k+1..4k+4
// start at a multiple of four: one 64-byte block of 16-byte contenders.
const treePad = 3

// contender is a backend as the tournament tree sees it: its ordering key
// and its index. The key is load<<stampBits | stamp, where stamp is the
// backend's index until it is first picked and pickedBase plus the pick
// counter after, so that smaller keys win and no two keys are equal.
type contender struct {
	key uint64
	idx int32
}

const (
	stampBits  = 40
	stampMask  = 1<<stampBits - 1
	pickedBase = 1 << 31    // stamps at or above have been picked; indices stay below
	maxLoad    = 1<<24 - 1  // loads above compare as equal (16M outstanding on one backend)
	emptyKey   = ^uint64(0) // an empty leaf loses every match
)

func loadKey(load int32) uint64 { return uint64(min(max(load, 0), maxLoad)) << stampBits }

// emptyLeaf is a leaf with no backend.
func emptyLeaf() contender { return contender{key: emptyKey, idx: -1} }

// leaf returns backend i's leaf.
func (b *LeastOutstanding) leaf(i int) *contender { return &b.tree[b.first+i+treePad] }

// Pick implements Balancer. The picked backend's new stamp is folded into
// the tree lazily — by the Changed that normally follows, or before the
// next Pick — so a pick plus its load update walks the tree once.
func (b *LeastOutstanding) Pick(load []int32) int {
	if b.n != len(load) {
		b.Reset(load)
	}
	b.flush()
	i := int(b.tree[treePad].idx)
	b.picks++
	leaf := b.leaf(i)
	leaf.key = leaf.key&^stampMask | (pickedBase+b.picks)&stampMask
	b.dirty = i
	return i
}

// Changed implements LoadWatcher.
func (b *LeastOutstanding) Changed(i int, load []int32) {
	if b.n != len(load) {
		b.Reset(load)
		return
	}
	leaf := b.leaf(i)
	leaf.key = loadKey(load[i]) | leaf.key&stampMask
	if b.dirty == i {
		b.dirty = -1
	}
	b.fix(i)
}

// flush folds a pending pick into the tree.
func (b *LeastOutstanding) flush() {
	if b.dirty >= 0 {
		i := b.dirty
		b.dirty = -1
		b.fix(i)
	}
}

// Reset implements MemberWatcher.
func (b *LeastOutstanding) Reset(load []int32) {
	b.dirty = -1
	b.n = len(load)
	b.layout(b.n, b.n, func(i int) contender {
		return contender{key: loadKey(load[i]) | uint64(i), idx: int32(i)}
	})
}

// layout sizes the tree for capacity backends, fills the leaves of the
// first n with leaf(i) and plays every match.
func (b *LeastOutstanding) layout(capacity, n int, leaf func(i int) contender) {
	leaves := 1
	for leaves < capacity {
		leaves *= 4
	}
	first := (leaves - 1) / 3
	tree := make([]contender, treePad+first+leaves)
	for i := range leaves {
		tree[treePad+first+i] = emptyLeaf()
		if i < n {
			tree[treePad+first+i] = leaf(i)
		}
	}
	b.tree, b.leaves, b.first = tree, leaves, first
	for k := first - 1; k >= 0; k-- {
		b.tree[k+treePad] = b.winner(k)
	}
}

// Added implements MemberWatcher: O(log n), growing the tree fourfold when full.
func (b *LeastOutstanding) Added(load []int32) {
	b.flush()
	n := len(load)
	if n != b.n+1 || b.tree == nil {
		b.Reset(load)
		return
	}
	if n > b.leaves {
		old := b.tree[treePad+b.first : treePad+b.first+b.n]
		b.layout(n, b.n, func(i int) contender { return old[i] }) // keeps pick history
	}
	i := n - 1
	b.n = n
	*b.leaf(i) = contender{key: loadKey(load[i]) | uint64(i), idx: int32(i)}
	b.fix(i)
}

// Removed implements MemberWatcher: O(log n).
func (b *LeastOutstanding) Removed(i int, load []int32) {
	b.flush()
	n := len(load)
	if n != b.n-1 {
		b.Reset(load)
		return
	}
	if i < n { // the last backend moved into slot i
		stamp := b.leaf(n).key & stampMask
		if stamp < pickedBase {
			stamp = uint64(i) // never picked: ordered by its new index
		}
		*b.leaf(i) = contender{key: loadKey(load[i]) | stamp, idx: int32(i)}
		b.fix(i)
	}
	*b.leaf(n) = emptyLeaf()
	b.n = n
	b.fix(n)
}

// winner returns the best of node k's four children.
func (b *LeastOutstanding) winner(k int) contender {
	c := b.tree[4*k+1+treePad : 4*k+5+treePad]
	w := c[0]
	for _, x := range c[1:] {
		if x.key < w.key {
			w = x
		}
	}
	return w
}

// fix replays the matches on the path from backend i's leaf to the root,
// stopping where a node's winner is unchanged: its ancestors then are too.
func (b *LeastOutstanding) fix(i int) {
	for k := b.first + i; k > 0; {
		k = (k - 1) / 4
		w := b.winner(k)
		if w == b.tree[k+treePad] {
			return
		}
		b.tree[k+treePad] = w
	}
}

// Name implements Balancer.
func (b *LeastOutstanding) Name() string { return NameLeastOutstanding }
