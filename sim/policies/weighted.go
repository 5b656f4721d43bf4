package policies

import (
	"math"
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/engine"
)

// SlowStart is Envoy's slow start mode: a backend that joined less than
// Window ago has its weight scaled by
//
//	max(MinWeightPercent/100, TimeFactor^(1/Aggression)),
//	TimeFactor = max(seconds since it joined, 1) / Window in seconds
//
// (Envoy docs, "Slow start mode"; defaults aggression 1.0 and
// min_weight_percent 10). A zero Window disables it.
type SlowStart struct {
	Window           engine.Duration
	Aggression       float64 // > 0
	MinWeightPercent float64 // percent of the weight, (0, 100]
}

// Factor returns the weight multiplier at now of a backend that joined at
// joined: 1 outside the window.
func (s SlowStart) Factor(now, joined engine.Time) float64 {
	if s.Window <= 0 {
		return 1
	}
	age := now.Sub(joined)
	if age >= s.Window || age < 0 {
		return 1
	}
	tf := max(age.Seconds(), 1) / s.Window.Seconds()
	f := tf
	if s.Aggression != 1 {
		f = math.Pow(tf, 1/s.Aggression)
	}
	return min(1, max(s.MinWeightPercent/100, f))
}

// edf is an earliest-deadline-first schedule, as Envoy's weighted
// balancers keep one (source/common/upstream/edf_scheduler.h): each entry
// is due at the virtual time of its last pick plus 1/weight; the earliest
// is picked and re-entered with its weight as it is then. Ties go to the
// entry entered first, so equal weights are served in turn.
type edf struct {
	heap []edfEntry
	now  float64 // virtual time: the deadline of the last pick
	seq  uint64
}

type edfEntry struct {
	deadline float64
	seq      uint64
	idx      int32
}

func (a edfEntry) before(b edfEntry) bool {
	return a.deadline < b.deadline || a.deadline == b.deadline && a.seq < b.seq
}

// reset empties the schedule, keeping its storage.
func (e *edf) reset() {
	e.heap = e.heap[:0]
	e.now = 0
}

// add enters backend idx with weight w > 0.
func (e *edf) add(idx int, w float64) {
	e.seq++
	e.heap = append(e.heap, edfEntry{deadline: e.now + 1/w, seq: e.seq, idx: int32(idx)})
	h := e.heap
	for k := len(h) - 1; k > 0; {
		p := (k - 1) / 2
		if !h[k].before(h[p]) {
			break
		}
		h[k], h[p] = h[p], h[k]
		k = p
	}
}

// pick removes the earliest entry, advances the virtual time to its
// deadline and returns its backend. The schedule must not be empty.
func (e *edf) pick() int {
	h := e.heap
	top := h[0]
	e.now = top.deadline
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for k := 0; ; {
		c := 2*k + 1
		if c >= len(h) {
			break
		}
		if c+1 < len(h) && h[c+1].before(h[c]) {
			c++
		}
		if !h[c].before(h[k]) {
			break
		}
		h[k], h[c] = h[c], h[k]
		k = c
	}
	e.heap = h
	return int(top.idx)
}

// hostTable is the backend set as a weighted balancer sees it.
type hostTable struct {
	hosts     []Host
	now       engine.Time
	slowUntil engine.Time // no backend is in slow start from here on
	equal     bool        // every weight is the same
}

// set copies hosts and notes whether their weights differ and when the
// last slow start ends.
func (t *hostTable) set(hosts []Host, slow SlowStart) {
	t.hosts = append(t.hosts[:0], hosts...)
	t.equal = true
	t.slowUntil = math.MinInt64
	for _, h := range hosts {
		if h.Weight != hosts[0].Weight {
			t.equal = false
		}
		if slow.Window > 0 {
			t.slowUntil = max(t.slowUntil, h.Joined.Add(slow.Window))
		}
	}
}

// fit makes the table match n backends when the caller never reported
// hosts: n unweighted backends that joined long ago.
func (t *hostTable) fit(n int) {
	if len(t.hosts) == n {
		return
	}
	t.hosts = t.hosts[:0]
	for i := range n {
		t.hosts = append(t.hosts, Host{ID: uint64(i), Weight: 1, Joined: math.MinInt64 / 2})
	}
	t.equal, t.slowUntil = true, math.MinInt64
}

// weight returns backend i's weight at the current time, slow start included.
func (t *hostTable) weight(i int, slow SlowStart) float64 {
	w := t.hosts[i].Weight
	if w <= 0 {
		w = 1
	}
	if t.now < t.slowUntil {
		w *= slow.Factor(t.now, t.hosts[i].Joined)
	}
	return w
}

// WeightedRoundRobin is Envoy's weighted round robin: an EDF schedule
// over the backends' weights (not nginx's smooth weighted round robin,
// which is O(n) per pick; both give each backend its weight's share, in a
// different interleaving). With equal weights it is plain round robin.
// Slow start scales a new backend's weight as it is re-entered into the
// schedule after each of its picks.
type WeightedRoundRobin struct {
	Slow  SlowStart
	table hostTable
	sched edf
}

// Pick implements Balancer.
func (b *WeightedRoundRobin) Pick(load []int32) int {
	if len(b.table.hosts) != len(load) || len(b.sched.heap) != len(load) {
		b.table.fit(len(load))
		b.rebuild()
	}
	i := b.sched.pick()
	b.sched.add(i, b.table.weight(i, b.Slow))
	return i
}

func (b *WeightedRoundRobin) rebuild() {
	b.sched.reset()
	for i := range b.table.hosts {
		b.sched.add(i, b.table.weight(i, b.Slow))
	}
}

// Hosts implements HostWatcher: the schedule is rebuilt, as Envoy
// rebuilds it on a membership change.
func (b *WeightedRoundRobin) Hosts(hosts []Host, _ []int32) {
	b.table.set(hosts, b.Slow)
	b.rebuild()
}

// SetNow implements Clocked.
func (b *WeightedRoundRobin) SetNow(now engine.Time) { b.table.now = now }

// Name implements Balancer.
func (b *WeightedRoundRobin) Name() string { return NameWeightedRoundRobin }

// P2C is Envoy's least request balancer (Envoy docs, "Load balancers",
// "Weighted least request") when every backend has the same weight: it
// samples Choices backends uniformly WITH replacement and takes the one
// with the fewest outstanding requests, the first sampled on a tie (the
// power of two choices, Mitzenmacher 2001, for Choices = 2). It needs
// nothing but the loads; LeastRequest adds weights and slow start.
type P2C struct {
	R       *rand.Rand
	Choices int // backends sampled per pick; 0 means 2
}

// Pick implements Balancer.
func (b *P2C) Pick(load []int32) int {
	n := len(load)
	if n == 1 {
		return 0
	}
	best := b.R.IntN(n)
	for c := max(b.Choices, 2); c > 1; c-- {
		if j := b.R.IntN(n); load[j] < load[best] {
			best = j
		}
	}
	return best
}

// Name implements Balancer.
func (b *P2C) Name() string { return NameP2C }

// LeastRequest is p2c with Envoy's weighted mode: while the backends'
// weights differ — configured weights, or a backend in slow start — it
// picks from an EDF schedule whose weights are weight / (active + 1)^Bias
// at the time each backend is (re-)entered, as Envoy does; otherwise it
// is P2C. New returns it for p2c when weights or slow start are
// configured, so that plain p2c pays for neither.
type LeastRequest struct {
	P2C
	Bias    float64 // Envoy's active_request_bias (New sets the default 1.0)
	Slow    SlowStart
	table   hostTable
	sched   edf
	edfSize int // backends the schedule was built for, 0 when not built
}

// Pick implements Balancer.
func (b *LeastRequest) Pick(load []int32) int {
	n := len(load)
	if n > 1 && (!b.table.equal || b.table.now < b.table.slowUntil) && len(b.table.hosts) == n {
		return b.pickWeighted(load)
	}
	return b.P2C.Pick(load)
}

// pickWeighted picks from the EDF schedule of dynamic weights.
func (b *LeastRequest) pickWeighted(load []int32) int {
	if b.edfSize != len(load) {
		b.sched.reset()
		for i := range load {
			b.sched.add(i, b.dynamicWeight(i, load))
		}
		b.edfSize = len(load)
	}
	i := b.sched.pick()
	b.sched.add(i, b.dynamicWeight(i, load))
	return i
}

// dynamicWeight is Envoy's weight / (active_requests + 1)^active_request_bias.
func (b *LeastRequest) dynamicWeight(i int, load []int32) float64 {
	w := b.table.weight(i, b.Slow)
	active := float64(max(load[i], 0)) + 1
	switch b.Bias {
	case 0:
		return w
	case 1:
		return w / active
	}
	return w / math.Pow(active, b.Bias)
}

// Hosts implements HostWatcher.
func (b *LeastRequest) Hosts(hosts []Host, _ []int32) {
	b.table.set(hosts, b.Slow)
	b.edfSize = 0
}

// SetNow implements Clocked.
func (b *LeastRequest) SetNow(now engine.Time) { b.table.now = now }

// LeastConnections is LeastOutstanding under the name used for L4
// balancing: the same pick, on the caller's per-backend connection counts
// rather than outstanding requests. At L7 the caller passes outstanding
// requests, and the two algorithms are one.
type LeastConnections struct{ LeastOutstanding }

// Name implements Balancer.
func (b *LeastConnections) Name() string { return NameLeastConnections }
