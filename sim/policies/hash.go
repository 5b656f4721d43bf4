package policies

import (
	"cmp"
	"slices"
)

// Mix64 is the splitmix64 finalizer (Steele, Lea, Flood 2014): a
// bijective 64-bit hash with full avalanche, used to place backends and
// keys on a ring or in a table.
func Mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// loadBound tracks the total outstanding load of the backends, for
// consistent hashing with bounded loads.
type loadBound struct {
	c     float64 // the balance factor; 0 when loads are not bounded
	seen  []int32
	total int64
}

// reset recounts from load.
func (l *loadBound) reset(load []int32) {
	l.seen = append(l.seen[:0], load...)
	l.total = 0
	for _, x := range load {
		l.total += int64(x)
	}
}

// changed implements LoadWatcher for the balancers that embed it.
func (l *loadBound) changed(i int, load []int32) {
	if l.c == 0 {
		return
	}
	if len(l.seen) != len(load) {
		l.reset(load)
		return
	}
	l.total += int64(load[i] - l.seen[i])
	l.seen[i] = load[i]
}

// capacity is the most a backend may hold when one more request arrives:
// ceil(c × (m + 1) / n) for m requests in the system and n backends
// (Mirrokni, Thorup, Zadimoghaddam, "Consistent Hashing with Bounded
// Loads", 2016). With c > 1 some backend is always under it.
func (l *loadBound) capacity(n int) int32 {
	capa := l.c * float64(l.total+1) / float64(n)
	k := int64(capa)
	if float64(k) < capa {
		k++
	}
	return int32(min(k, 1<<30))
}

// RingHash is Envoy's ring hash (ketama) balancer: every backend is
// hashed onto a 64-bit ring ceil(MinSize / n) times, and a request goes
// to the first backend clockwise of its key's hash. When backends come
// or go only the keys on the arcs they gain or lose move: about 1/(n+1)
// of keys when one of n+1 joins. With Bound = c > 1 it is consistent
// hashing with bounded loads: the walk skips backends holding
// ceil(c × mean) requests or more (Envoy's hash_balance_factor).
// Weights are ignored.
type RingHash struct {
	MinSize int     // minimum ring size; 0 means DefaultRingSize
	Bound   float64 // c; 0 for unbounded
	ring    []ringEntry
	n       int // backends the ring was built for
	bound   loadBound
}

type ringEntry struct {
	hash uint64
	pos  int32
}

// Hosts implements HostWatcher: the ring is rebuilt.
func (b *RingHash) Hosts(hosts []Host, load []int32) {
	size := b.MinSize
	if size <= 0 {
		size = DefaultRingSize
	}
	b.ring = b.ring[:0]
	n := len(hosts)
	b.n = n
	if n > 0 {
		per := (size + n - 1) / n
		for i, h := range hosts {
			base := Mix64(h.ID)
			for k := range per {
				b.ring = append(b.ring, ringEntry{hash: Mix64(base + uint64(k)), pos: int32(i)})
			}
		}
	}
	slices.SortFunc(b.ring, func(x, y ringEntry) int {
		return cmp.Or(cmp.Compare(x.hash, y.hash), cmp.Compare(x.pos, y.pos))
	})
	b.bound.c = b.Bound
	b.bound.reset(load)
}

// Changed implements LoadWatcher (bounded loads only).
func (b *RingHash) Changed(i int, load []int32) { b.bound.changed(i, load) }

// PickKey implements Keyed.
func (b *RingHash) PickKey(key uint64, load []int32) int {
	if b.n != len(load) || len(b.ring) == 0 {
		b.Hosts(indexHosts(len(load)), load)
	}
	h := Mix64(key)
	at, _ := slices.BinarySearchFunc(b.ring, h, func(e ringEntry, h uint64) int { return cmp.Compare(e.hash, h) })
	if at == len(b.ring) {
		at = 0
	}
	if b.Bound <= 0 {
		return int(b.ring[at].pos)
	}
	capa := b.bound.capacity(len(load))
	for k := range b.ring {
		p := b.ring[(at+k)%len(b.ring)].pos
		if load[p] < capa {
			return int(p)
		}
	}
	return int(b.ring[at].pos)
}

// Pick implements Balancer: a request without a key hashes as key 0.
func (b *RingHash) Pick(load []int32) int { return b.PickKey(0, load) }

// Name implements Balancer.
func (b *RingHash) Name() string { return NameRingHash }

// indexHosts returns n unweighted hosts named by their index, for a
// balancer whose caller never reported hosts.
func indexHosts(n int) []Host {
	hs := make([]Host, n)
	for i := range hs {
		hs[i] = Host{ID: uint64(i), Weight: 1}
	}
	return hs
}

// Maglev is Google's Maglev hashing (Eisenbud et al., NSDI 2016) as Envoy
// implements it: a lookup table of Size (a prime) slots filled by the
// backends in turn, each taking the next free slot of its own permutation
// (offset, skip), so every backend owns floor or ceil of Size/n slots; a
// request goes to table[hash(key) mod Size]. Backends fill the table in
// the order of their IDs, so the table depends on the set, not on the
// caller's positions. Bound as for RingHash: the lookup walks forward
// through the table past backends at capacity.
type Maglev struct {
	Size  int     // table size, a prime; 0 means DefaultTableSize
	Bound float64 // c; 0 for unbounded
	table []int32
	n     int     // backends the table was filled for
	order []int   // scratch: positions by ID
	next  []int64 // scratch: each backend's place in its permutation
	bound loadBound
}

// Hosts implements HostWatcher: the table is refilled.
func (b *Maglev) Hosts(hosts []Host, load []int32) {
	m := b.Size
	if m <= 0 {
		m = DefaultTableSize
	}
	n := len(hosts)
	b.n = n
	b.table = slices.Grow(b.table[:0], m)[:m]
	for i := range b.table {
		b.table[i] = -1
	}
	b.order = b.order[:0]
	for i := range n {
		b.order = append(b.order, i)
	}
	slices.SortFunc(b.order, func(x, y int) int { return cmp.Compare(hosts[x].ID, hosts[y].ID) })
	b.next = append(b.next[:0], make([]int64, n)...)
	for filled := 0; n > 0 && filled < m; {
		for k, p := range b.order {
			h := Mix64(hosts[p].ID)
			offset := int64(h % uint64(m))
			skip := int64(Mix64(h)%uint64(m-1)) + 1
			c := (offset + b.next[k]*skip) % int64(m)
			for b.table[c] >= 0 {
				b.next[k]++
				c = (offset + b.next[k]*skip) % int64(m)
			}
			b.table[c] = int32(p)
			b.next[k]++
			if filled++; filled == m {
				break
			}
		}
	}
	b.bound.c = b.Bound
	b.bound.reset(load)
}

// Changed implements LoadWatcher (bounded loads only).
func (b *Maglev) Changed(i int, load []int32) { b.bound.changed(i, load) }

// PickKey implements Keyed.
func (b *Maglev) PickKey(key uint64, load []int32) int {
	if b.n != len(load) || len(b.table) == 0 {
		b.Hosts(indexHosts(len(load)), load)
	}
	at := int(Mix64(key) % uint64(len(b.table)))
	if b.Bound <= 0 {
		return int(b.table[at])
	}
	capa := b.bound.capacity(len(load))
	for k := range b.table {
		p := b.table[(at+k)%len(b.table)]
		if load[p] < capa {
			return int(p)
		}
	}
	return int(b.table[at])
}

// Pick implements Balancer: a request without a key hashes as key 0.
func (b *Maglev) Pick(load []int32) int { return b.PickKey(0, load) }

// Name implements Balancer.
func (b *Maglev) Name() string { return NameMaglev }
