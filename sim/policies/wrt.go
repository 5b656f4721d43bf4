package policies

import (
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/engine"
)

// WeightedResponseTime picks a backend at random with probability
// proportional to 1 / (its EWMA response time), the rule of Netflix
// Ribbon's WeightedResponseTimeRule and similar latency-aware balancers.
// The EWMA is over every answer the balancer observes, failures
// included: a backend that fails fast looks fast and attracts traffic,
// which is this algorithm's known failure mode. A backend not yet
// observed is weighted like the mean observed backend.
//
// A Fenwick tree over the weights keeps Pick and Observe O(log n); it is
// rebuilt, O(n), before the first pick after the backend set changes.
type WeightedResponseTime struct {
	R *rand.Rand
	// Alpha is the EWMA's weight on the newest observation; 0 means
	// DefaultEWMAAlpha.
	Alpha float64

	ewma    []float64 // ns; 0 until first observed
	weights []float64 // by backend
	tree    fenwick
	updates int  // tree updates since the last rebuild (bounds rounding drift)
	stale   bool // the backend set changed: the tree is rebuilt before it is read
}

// DefaultEWMAAlpha is WeightedResponseTime's default EWMA weight on the
// newest response time.
const DefaultEWMAAlpha = 0.1

// Pick implements Balancer.
func (b *WeightedResponseTime) Pick(load []int32) int {
	n := len(load)
	if len(b.weights) != n {
		b.Reset(load)
	}
	if n == 1 {
		return 0
	}
	if b.stale {
		b.tree.build(b.weights)
		b.stale, b.updates = false, 0
	}
	i := b.tree.find(b.R.Float64() * b.tree.total())
	return min(i, n-1)
}

// Observe implements Feedback.
func (b *WeightedResponseTime) Observe(i int, rt engine.Duration) {
	if i < 0 || i >= len(b.ewma) {
		return
	}
	a := b.Alpha
	if a <= 0 {
		a = DefaultEWMAAlpha
	}
	x := max(float64(rt), 1) // a zero response time still has a finite weight
	if b.ewma[i] == 0 {
		b.ewma[i] = x
	} else {
		b.ewma[i] += a * (x - b.ewma[i])
	}
	b.setWeight(i, 1e6/b.ewma[i]) // per ms, so weights stay near 1
}

// ResponseTime returns backend i's EWMA response time, 0 if never observed.
func (b *WeightedResponseTime) ResponseTime(i int) engine.Duration {
	return engine.Duration(b.ewma[i])
}

func (b *WeightedResponseTime) setWeight(i int, w float64) {
	if !b.stale {
		b.tree.add(i, w-b.weights[i])
	}
	b.weights[i] = w
	if b.updates++; b.updates >= 1<<16 {
		b.tree.build(b.weights)
		b.updates = 0
	}
}

// meanWeight is the mean weight of the observed backends, 1 if none.
func (b *WeightedResponseTime) meanWeight() float64 {
	sum, k := 0.0, 0
	for i, e := range b.ewma {
		if e > 0 {
			sum += b.weights[i]
			k++
		}
	}
	if k == 0 {
		return 1
	}
	return sum / float64(k)
}

// Reset implements MemberWatcher: no backend is observed any more.
func (b *WeightedResponseTime) Reset(load []int32) {
	n := len(load)
	b.ewma = make([]float64, n)
	b.weights = make([]float64, n)
	for i := range b.weights {
		b.weights[i] = 1
	}
	b.tree.build(b.weights)
}

// Added implements MemberWatcher.
func (b *WeightedResponseTime) Added(load []int32) {
	if len(load) != len(b.weights)+1 {
		b.Reset(load)
		return
	}
	b.weights = append(b.weights, b.meanWeight())
	b.ewma = append(b.ewma, 0)
	b.stale = true
}

// Removed implements MemberWatcher.
func (b *WeightedResponseTime) Removed(i int, load []int32) {
	n := len(load)
	if n != len(b.weights)-1 {
		b.Reset(load)
		return
	}
	b.ewma[i], b.weights[i] = b.ewma[n], b.weights[n]
	b.ewma, b.weights = b.ewma[:n], b.weights[:n]
	b.stale = true
}

// Name implements Balancer.
func (b *WeightedResponseTime) Name() string { return NameWeightedResponseTime }

// fenwick is a binary indexed tree of non-negative weights: prefix sums
// and weighted sampling in O(log n).
type fenwick struct {
	t   []float64 // 1-based
	top int       // highest power of two <= n
	sum float64
}

// build makes the tree hold w.
func (f *fenwick) build(w []float64) {
	n := len(w)
	f.t = append(f.t[:0], make([]float64, n+1)...)
	f.sum = 0
	for i, x := range w {
		f.t[i+1] += x
		f.sum += x
		if j := i + 1 + (i+1)&-(i+1); j <= n {
			f.t[j] += f.t[i+1]
		}
	}
	f.top = 1
	for f.top*2 <= n {
		f.top *= 2
	}
}

// add adds d to weight i.
func (f *fenwick) add(i int, d float64) {
	f.sum += d
	for j := i + 1; j < len(f.t); j += j & -j {
		f.t[j] += d
	}
}

func (f *fenwick) total() float64 { return f.sum }

// find returns the smallest i whose prefix sum of weights 0..i exceeds u.
func (f *fenwick) find(u float64) int {
	pos := 0
	for step := f.top; step > 0; step /= 2 {
		if next := pos + step; next < len(f.t) && f.t[next] <= u {
			pos = next
			u -= f.t[next]
		}
	}
	return pos
}
