package policies

import (
	"fmt"
	"math/rand/v2"
)

// Balancer picks a backend for each request from the current outstanding
// request counts of the backends in rotation. Implementations keep only
// their own small state; the caller owns the load slice, tells the
// balancer when an entry changes (Changed) and when membership changes
// (Reset).
type Balancer interface {
	// Pick returns the index in load of the backend for the next request.
	// len(load) must be at least 1.
	Pick(load []int32) int
	// Changed reports that load[i] has changed.
	Changed(i int, load []int32)
	// Reset reports that the backend set changed wholesale; load holds
	// the new loads.
	Reset(load []int32)
	// Added reports that one backend was appended: it is load[len-1].
	Added(load []int32)
	// Removed reports that backend i left: the last backend moved into
	// slot i and load shrank by one (i == len(load) if the last one left).
	Removed(i int, load []int32)
	// Name returns the algorithm's name as written in scenarios.
	Name() string
}

// Algorithms lists the balancing algorithms NewBalancer accepts.
var Algorithms = []string{"round_robin", "random", "least_outstanding", "p2c"}

// NewBalancer returns the named algorithm; random ones draw from r.
func NewBalancer(name string, r *rand.Rand) (Balancer, error) {
	switch name {
	case "round_robin":
		return &RoundRobin{}, nil
	case "random":
		return &Random{R: r}, nil
	case "least_outstanding":
		return &LeastOutstanding{}, nil
	case "p2c":
		return &P2C{R: r}, nil
	}
	return nil, fmt.Errorf("policies: unknown balancing algorithm %q", name)
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

// Changed implements Balancer.
func (b *RoundRobin) Changed(int, []int32) {}

// Reset implements Balancer.
func (b *RoundRobin) Reset([]int32) {}

// Added implements Balancer.
func (b *RoundRobin) Added([]int32) {}

// Removed implements Balancer.
func (b *RoundRobin) Removed(int, []int32) {}

// Name implements Balancer.
func (b *RoundRobin) Name() string { return "round_robin" }

// Random picks a backend uniformly at random, ignoring load.
type Random struct{ R *rand.Rand }

// Pick implements Balancer.
func (b *Random) Pick(load []int32) int { return b.R.IntN(len(load)) }

// Changed implements Balancer.
func (b *Random) Changed(int, []int32) {}

// Reset implements Balancer.
func (b *Random) Reset([]int32) {}

// Added implements Balancer.
func (b *Random) Added([]int32) {}

// Removed implements Balancer.
func (b *Random) Removed(int, []int32) {}

// Name implements Balancer.
func (b *Random) Name() string { return "random" }

// P2C is the power of two random choices (Mitzenmacher 2001; Envoy's
// LEAST_REQUEST with choice_count 2): draw two distinct backends at random
// and take the one with fewer outstanding requests, the first drawn on a
// tie. O(1) per pick whatever the fleet size.
type P2C struct{ R *rand.Rand }

// Pick implements Balancer.
func (b *P2C) Pick(load []int32) int {
	n := len(load)
	if n == 1 {
		return 0
	}
	i := b.R.IntN(n)
	j := b.R.IntN(n - 1)
	if j >= i {
		j++
	}
	if load[j] < load[i] {
		return j
	}
	return i
}

// Changed implements Balancer.
func (b *P2C) Changed(int, []int32) {}

// Reset implements Balancer.
func (b *P2C) Reset([]int32) {}

// Added implements Balancer.
func (b *P2C) Added([]int32) {}

// Removed implements Balancer.
func (b *P2C) Removed(int, []int32) {}

// Name implements Balancer.
func (b *P2C) Name() string { return "p2c" }

// LeastOutstanding picks the backend with the fewest outstanding requests.
// Ties go to the backend picked least recently, so an idle fleet is used
// in rotation rather than always from the first backend (HAProxy's
// leastconn does likewise). A tournament tree over (load, last pick) keeps
// Pick O(1) and Changed O(log n).
type LeastOutstanding struct {
	tree  []int32  // tree[k] = index of the smallest key in node k's range; leaves at size+i
	stamp []uint64 // stamp[i] = pick counter when backend i was last picked
	load  []int32  // last loads seen, for comparisons inside the tree
	size  int      // leaves (a power of two >= n)
	n     int
	picks uint64
	dirty int // backend picked whose stamp is not yet in the tree, or -1
}

// Pick implements Balancer. The picked backend's new stamp is folded into
// the tree lazily — by the Changed that normally follows, or before the
// next Pick — so a pick plus its load update walks the tree once.
func (b *LeastOutstanding) Pick(load []int32) int {
	if b.n != len(load) {
		b.Reset(load)
	}
	b.flush()
	i := int(b.tree[1])
	b.picks++
	b.stamp[i] = b.picks
	b.dirty = i
	return i
}

// Changed implements Balancer.
func (b *LeastOutstanding) Changed(i int, load []int32) {
	if b.n != len(load) {
		b.Reset(load)
		return
	}
	b.load[i] = load[i]
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

// Reset implements Balancer.
func (b *LeastOutstanding) Reset(load []int32) {
	b.dirty = -1
	n := len(load)
	size := 1
	for size < n {
		size *= 2
	}
	b.n, b.size = n, size
	b.load = append(b.load[:0], load...)
	if cap(b.stamp) >= n {
		b.stamp = b.stamp[:n]
		clear(b.stamp)
	} else {
		b.stamp = make([]uint64, n)
	}
	if cap(b.tree) >= 2*size {
		b.tree = b.tree[:2*size]
	} else {
		b.tree = make([]int32, 2*size)
	}
	for k := range size {
		if k < n {
			b.tree[size+k] = int32(k)
		} else {
			b.tree[size+k] = -1
		}
	}
	for k := size - 1; k >= 1; k-- {
		b.tree[k] = b.better(b.tree[2*k], b.tree[2*k+1])
	}
}

// Added implements Balancer: O(log n), growing the tree by doubling.
func (b *LeastOutstanding) Added(load []int32) {
	b.flush()
	n := len(load)
	if n != b.n+1 || n > b.size {
		b.Reset(load)
		return
	}
	i := n - 1
	b.n = n
	b.load = append(b.load, load[i])
	b.stamp = append(b.stamp, 0)
	b.tree[b.size+i] = int32(i)
	b.fix(i)
}

// Removed implements Balancer: O(log n).
func (b *LeastOutstanding) Removed(i int, load []int32) {
	b.flush()
	n := len(load)
	if n != b.n-1 {
		b.Reset(load)
		return
	}
	if i < n { // the last backend moved into slot i
		b.load[i] = load[i]
		b.stamp[i] = b.stamp[n]
		b.fix(i)
	}
	b.load = b.load[:n]
	b.stamp = b.stamp[:n]
	b.tree[b.size+n] = -1
	b.n = n
	b.fix(n)
}

// Name implements Balancer.
func (b *LeastOutstanding) Name() string { return "least_outstanding" }

// better returns whichever of backends x and y should be picked first.
func (b *LeastOutstanding) better(x, y int32) int32 {
	switch {
	case x < 0:
		return y
	case y < 0:
		return x
	case b.load[x] != b.load[y]:
		if b.load[x] < b.load[y] {
			return x
		}
		return y
	case b.stamp[x] != b.stamp[y]:
		if b.stamp[x] < b.stamp[y] {
			return x
		}
		return y
	case x < y:
		return x
	}
	return y
}

// fix recomputes the path from backend i's leaf to the root.
func (b *LeastOutstanding) fix(i int) {
	for k := (b.size + i) / 2; k >= 1; k /= 2 {
		b.tree[k] = b.better(b.tree[2*k], b.tree[2*k+1])
	}
}
