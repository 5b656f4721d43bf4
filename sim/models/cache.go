package models

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/results"
)

// CacheSpec is a cache in front of a service's instances: each request
// carries a key drawn from a Zipf popularity over Keys keys; a request
// whose key is cached (and not expired) is answered by the cache after
// HitTime, and a miss is served by an instance, whose answer fills the
// cache, evicting the least recently used entry when full.
type CacheSpec struct {
	Capacity int             // entries, >= 1
	Keys     int             // distinct keys, >= 1
	Zipf     float64         // popularity exponent: P(key k) ∝ 1/k^Zipf, >= 0
	TTL      engine.Duration // an entry expires this long after it was filled; 0 for never
	HitTime  engine.Duration // latency of a hit
	// Coalesce makes concurrent misses of one key wait for a single fill
	// (coalesce.go): at most one request per key reaches an instance.
	Coalesce bool
}

// LRU is a least-recently-used cache of integer keys 0..keys-1 with a
// capacity in entries and an optional time to live. Lookups and fills are
// O(1) and allocate nothing: entries live in fixed arrays, linked in
// recency order, and a key's entry is found through a table indexed by
// key.
type LRU struct {
	ttl        engine.Duration
	where      []int32 // entry of each key, -1 when not cached
	key        []int32 // key of each entry
	expires    []engine.Time
	prev, next []int32 // recency list; head is the most recent
	head, tail int32
	free       []int32 // unused entries
}

// NewLRU returns an empty cache of capacity entries over keys keys, whose
// entries expire ttl after they are filled (0: never).
func NewLRU(capacity, keys int, ttl engine.Duration) *LRU {
	capacity = max(1, min(capacity, keys))
	l := &LRU{ttl: ttl, where: make([]int32, keys), key: make([]int32, capacity), expires: make([]engine.Time, capacity),
		prev: make([]int32, capacity), next: make([]int32, capacity), free: make([]int32, 0, capacity), head: -1, tail: -1}
	for i := range l.where {
		l.where[i] = -1
	}
	l.Flush()
	return l
}

// Len returns the number of entries held (expired ones included until
// they are looked up or evicted).
func (l *LRU) Len() int { return len(l.key) - len(l.free) }

// Get reports whether key is cached and fresh at now; a hit becomes the
// most recently used entry, an expired entry is dropped.
func (l *LRU) Get(key int32, now engine.Time) bool {
	e := l.where[key]
	if e < 0 {
		return false
	}
	l.unlink(e)
	if l.ttl > 0 && now >= l.expires[e] {
		l.where[key] = -1
		l.free = append(l.free, e)
		return false
	}
	l.pushFront(e)
	return true
}

// Put caches key at now as the most recently used entry, evicting the
// least recently used one if the cache is full; an entry already there is
// refreshed.
func (l *LRU) Put(key int32, now engine.Time) {
	e := l.where[key]
	switch {
	case e >= 0:
		l.unlink(e)
	case len(l.free) > 0:
		e = l.free[len(l.free)-1]
		l.free = l.free[:len(l.free)-1]
	default: // full: reuse the least recently used entry
		e = l.tail
		l.unlink(e)
		l.where[l.key[e]] = -1
	}
	l.key[e] = key
	l.where[key] = e
	l.expires[e] = now.Add(l.ttl)
	l.pushFront(e)
}

// Flush empties the cache.
func (l *LRU) Flush() {
	for e := l.head; e >= 0; e = l.next[e] {
		l.where[l.key[e]] = -1
	}
	l.head, l.tail = -1, -1
	l.free = l.free[:0]
	for e := len(l.key) - 1; e >= 0; e-- {
		l.free = append(l.free, int32(e))
	}
}

func (l *LRU) unlink(e int32) {
	p, n := l.prev[e], l.next[e]
	if p >= 0 {
		l.next[p] = n
	} else {
		l.head = n
	}
	if n >= 0 {
		l.prev[n] = p
	} else {
		l.tail = p
	}
}

func (l *LRU) pushFront(e int32) {
	l.prev[e], l.next[e] = -1, l.head
	if l.head >= 0 {
		l.prev[l.head] = e
	} else {
		l.tail = e
	}
	l.head = e
}

// cache is a service's cache at run time.
type cache struct {
	spec         CacheSpec
	lru          *LRU
	keys         *dist.Zipf // on "service.NAME.cache.keys"
	hits, misses int64      // lookups of counted requests
	flushes      int64      // cache_flush faults that emptied it
	co           *coalescer // waiting misses by key, nil without coalescing (coalesce.go)
}

// setupCaches builds the services' caches and registers the hit event.
func (c *Cluster) setupCaches() error {
	c.kHit = c.sim.Register("cache-hit", c.onHit)
	for _, s := range c.services {
		cs := s.spec.Cache
		if cs == nil {
			continue
		}
		if cs.Capacity < 1 || cs.Keys < 1 || cs.TTL < 0 || cs.HitTime < 0 {
			return fmt.Errorf("models: service %q: bad cache %+v", s.spec.Name, *cs)
		}
		z, err := dist.NewZipf(cs.Keys, cs.Zipf, c.sim.Stream("service."+s.spec.Name+".cache.keys"))
		if err != nil {
			return fmt.Errorf("models: service %q cache: %w", s.spec.Name, err)
		}
		s.cache = &cache{spec: *cs, lru: NewLRU(cs.Capacity, cs.Keys, cs.TTL), keys: z}
		if cs.Coalesce {
			if s.fn != nil {
				return fmt.Errorf("models: service %q: a function's cache does not coalesce", s.spec.Name)
			}
			s.cache.co = newCoalescer(cs.Keys)
		}
		c.pool.cacheKeys.on = true
	}
	return nil
}

// lookup draws request id's key at service s (a client's retry keeps
// the key of its first attempt) and reports whether the cache answers it:
// then the answer comes after the hit time.
func (c *Cluster) lookup(s *Service, id RequestID) bool {
	now := c.sim.Now()
	var k int32
	if s.db != nil { // drawn by the database (database.go)
		k = c.pool.cacheKeys.v[id] & dbKeyMask
	} else if c.pool.tries.on && c.pool.tries.v[id].n > 0 && !c.isCall(id) {
		k = c.pool.cacheKeys.v[id]
	} else {
		k = s.cache.keys.Key()
		c.pool.cacheKeys.v[id] = k
	}
	hit := s.cache.lru.Get(k, now)
	if c.pool.reqs[id].counted {
		if hit {
			s.cache.hits++
		} else {
			s.cache.misses++
		}
	}
	if hit {
		c.sim.Schedule(now.Add(s.cache.spec.HitTime), c.kHit, int32(id), int64(s.id))
	} else if s.cache.co != nil {
		return c.coalesce(s, id, k)
	}
	return hit
}

// fill caches the key of request id, answered by an instance of s, if
// the answer is a success (an error response is not cached), and hands
// the answer to the misses waiting for it.
func (c *Cluster) fill(s *Service, id RequestID, ok bool) {
	ok = ok && !c.errorAnswer(id)
	if ok {
		s.cache.lru.Put(c.pool.cacheKeys.v[id]&dbKeyMask, c.sim.Now()) // without a database's flags
	}
	if s.cache.co != nil {
		c.unlock(s, id, ok)
	}
}

// onHit answers a request from its service's cache.
func (c *Cluster) onHit(ev engine.Event) {
	id := RequestID(ev.Target)
	s := c.services[ev.Arg]
	c.answerOK(s, id)
	c.pool.release(id)
}

// cacheSummary returns a service's cache figures, nil without a cache.
func (s *Service) cacheSummary() *results.CacheSummary {
	if s.cache == nil {
		return nil
	}
	return &results.CacheSummary{
		HitRatio: results.Ratio(s.cache.hits, s.cache.hits+s.cache.misses),
		Hits:     s.cache.hits, Misses: s.cache.misses,
		Coalesced: s.cache.coalescedCount(), Flushes: s.cache.flushes,
	}
}
