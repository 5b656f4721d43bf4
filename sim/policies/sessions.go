package policies

import (
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/engine"
)

// hostIndex maps the backends' IDs to their current positions.
type hostIndex struct {
	ids []uint64
	pos map[uint64]int32
}

// set records the positions of hosts.
func (x *hostIndex) set(hosts []Host) {
	if x.pos == nil {
		x.pos = make(map[uint64]int32, len(hosts))
	}
	clear(x.pos)
	x.ids = x.ids[:0]
	for i, h := range hosts {
		x.ids = append(x.ids, h.ID)
		x.pos[h.ID] = int32(i)
	}
}

// fit makes the index match n backends when the caller never reported
// hosts: backend i is named i.
func (x *hostIndex) fit(n int) {
	if len(x.ids) != n {
		x.set(indexHosts(n))
	}
}

// find returns the position of the backend named id, or -1 if it has left.
func (x *hostIndex) find(id uint64) int {
	if p, ok := x.pos[id]; ok {
		return int(p)
	}
	return -1
}

// grow returns s extended with zero values to hold index k.
func grow[T any](s []T, k uint64) []T {
	for uint64(len(s)) <= k {
		var zero T
		s = append(s, zero)
	}
	return s
}

// Sticky is cookie-based session affinity (an AWS ALB's or nginx's
// sticky sessions): the request key is the session (user) id; a session's
// first request is placed round robin and the balancer remembers where
// (the cookie), and every later request of the session goes there until
// that backend leaves the rotation, when the session is placed anew.
type Sticky struct {
	next    int
	hosts   hostIndex
	session []uint64 // by key: the backend's ID + 1, 0 for none
}

// Hosts implements HostWatcher.
func (b *Sticky) Hosts(hosts []Host, _ []int32) { b.hosts.set(hosts) }

// PickKey implements Keyed.
func (b *Sticky) PickKey(key uint64, load []int32) int {
	b.hosts.fit(len(load))
	b.session = grow(b.session, key)
	if id := b.session[key]; id != 0 {
		if p := b.hosts.find(id - 1); p >= 0 {
			return p
		}
	}
	p := b.Pick(load)
	b.session[key] = b.hosts.ids[p] + 1
	return p
}

// Pick implements Balancer: round robin, for a request without a session.
func (b *Sticky) Pick(load []int32) int {
	if b.next >= len(load) {
		b.next = 0
	}
	p := b.next
	b.next++
	return p
}

// Name implements Balancer.
func (b *Sticky) Name() string { return NameSticky }

// DNS is balancing by DNS with caching resolvers: the request key is the
// client. A client resolves the service name, gets one backend (the DNS
// server rotates its answers round robin) and keeps that answer for TTL,
// sending every request there; a stale answer naming a backend that left
// is kept too, and its requests fail (PickKey returns -1) until the TTL
// expires. A few large clients therefore load a few backends, whatever
// the fleet size.
type DNS struct {
	TTL     engine.Duration
	now     engine.Time
	next    int
	hosts   hostIndex
	answer  []uint64      // by client: the backend's ID + 1, 0 for none yet
	expires []engine.Time // by client
}

// Hosts implements HostWatcher.
func (b *DNS) Hosts(hosts []Host, _ []int32) { b.hosts.set(hosts) }

// SetNow implements Clocked.
func (b *DNS) SetNow(now engine.Time) { b.now = now }

// PickKey implements Keyed.
func (b *DNS) PickKey(client uint64, load []int32) int {
	b.hosts.fit(len(load))
	b.answer = grow(b.answer, client)
	b.expires = grow(b.expires, client)
	if b.answer[client] != 0 && b.now < b.expires[client] {
		return b.hosts.find(b.answer[client] - 1)
	}
	if b.next >= len(load) {
		b.next = 0
	}
	p := b.next
	b.next++
	b.answer[client] = b.hosts.ids[p] + 1
	b.expires[client] = b.now.Add(b.TTL)
	return p
}

// Pick implements Balancer: a request from no known client resolves
// afresh (round robin).
func (b *DNS) Pick(load []int32) int {
	if b.next >= len(load) {
		b.next = 0
	}
	p := b.next
	b.next++
	return p
}

// Name implements Balancer.
func (b *DNS) Name() string { return NameDNS }

// Subset is client-side balancing with subsetting: the request key is
// the client; each client connects to Size of the n backends only and
// spreads its requests over them by p2c (Finagle's aperture balancer).
// Random subsets are drawn uniformly; deterministic aperture (Finagle)
// lays clients and backends on one ring and gives client c the Size
// backends from c×n/Clients on, so every backend has nearly the same
// number of clients. Subsets are recomputed when the backend set changes.
type Subset struct {
	R             *rand.Rand
	Size          int
	Deterministic bool
	Clients       int // clients on the ring (deterministic); keys wrap modulo it

	n       int
	version uint32
	members []int32  // client c's subset at [c×Size, (c+1)×Size)
	stamp   []uint32 // by client: version its subset was drawn at, 0 for never
}

// Hosts implements HostWatcher: every subset is stale.
func (b *Subset) Hosts(hosts []Host, _ []int32) {
	b.n = len(hosts)
	b.version++
}

// PickKey implements Keyed.
func (b *Subset) PickKey(client uint64, load []int32) int {
	n := len(load)
	if b.n != n || b.version == 0 {
		b.n = n
		b.version++
	}
	if b.Deterministic && b.Clients > 0 {
		client %= uint64(b.Clients)
	}
	size := max(b.Size, 1)
	b.stamp = grow(b.stamp, client)
	b.members = grow(b.members, (client+1)*uint64(size)-1)
	sub := b.members[client*uint64(size) : (client+1)*uint64(size)]
	d := min(size, n)
	if b.stamp[client] != b.version {
		SubsetOf(sub[:d], int(client), b.Clients, n, b.Deterministic, b.R)
		b.stamp[client] = b.version
	}
	best := sub[b.R.IntN(d)]
	if j := sub[b.R.IntN(d)]; load[j] < load[best] {
		best = j
	}
	return int(best)
}

// Pick implements Balancer: a request from no known client is client 0's.
func (b *Subset) Pick(load []int32) int { return b.PickKey(0, load) }

// Name implements Balancer.
func (b *Subset) Name() string { return NameSubset }

// SubsetOf fills dst with the len(dst) backends, out of n, that client
// (of clients) connects to. Deterministic aperture takes the consecutive
// backends from floor(client × n / clients) on, wrapping; otherwise the
// backends are a uniform random subset drawn from r by Floyd's algorithm
// (Bentley & Floyd 1987), in O(len(dst)²) without scratch space.
func SubsetOf(dst []int32, client, clients, n int, deterministic bool, r *rand.Rand) {
	d := len(dst)
	if deterministic {
		start := 0
		if clients > 0 {
			start = int(int64(client%clients) * int64(n) / int64(clients))
		}
		for k := range dst {
			dst[k] = int32((start + k) % n)
		}
		return
	}
	for k, j := 0, n-d; j < n; j, k = j+1, k+1 {
		t := int32(r.IntN(j + 1))
		for _, x := range dst[:k] {
			if x == t {
				t = int32(j)
				break
			}
		}
		dst[k] = t
	}
}
