package models

// Request coalescing (a cache's coalesce = true): when a request misses
// a key that another request is already fetching from an instance, it
// waits for that fill instead of going to an instance too — Varnish's
// request coalescing, Nginx's proxy_cache_lock, Go's singleflight. The
// first miss of a key holds its lock; the misses behind it wait in a
// list per key (linked through the request's queue link, free while it
// is in no instance's queue). When the holder's answer fills the cache,
// every waiter is answered from the cache (after hit_time); when the
// holder fails instead (rejected, lost with its instance, an error
// response), its waiters fail with it, as singleflight shares an error
// with its duplicate callers. So after a cache flush at most one request
// per key is in flight to the instances, where without coalescing every
// miss until the first fill goes there: the thundering herd.

// coalescer is a cache's per-key locks and waiting lists.
type coalescer struct {
	lock       []RequestID // per key: the request fetching it + 1, 0 for none
	head, tail []RequestID // per key: its waiting misses + 1 (first, last), 0 for none
	coalesced  int64       // counted requests that waited
}

func newCoalescer(keys int) *coalescer {
	return &coalescer{lock: make([]RequestID, keys), head: make([]RequestID, keys), tail: make([]RequestID, keys)}
}

// coalescedCount returns the coalesced figure, nil without coalescing.
func (ca *cache) coalescedCount() *int64 {
	if ca.co == nil {
		return nil
	}
	n := ca.co.coalesced
	return &n
}

// coalesce handles request id's miss of key k at s: it takes the key's
// lock and reports false (the request goes on to an instance), or, when
// another request holds the lock, waits behind it and reports true.
func (c *Cluster) coalesce(s *Service, id RequestID, k int32) bool {
	co := s.cache.co
	if co.lock[k] == 0 {
		co.lock[k] = id + 1
		return false
	}
	c.pool.reqs[id].next = 0
	if co.tail[k] == 0 {
		co.head[k] = id + 1
	} else {
		c.pool.reqs[co.tail[k]-1].next = id + 1
	}
	co.tail[k] = id + 1
	if c.pool.reqs[id].counted {
		co.coalesced++
	}
	return true
}

// unlock ends request id's fetch of its key at s, if it holds the key's
// lock: the waiting misses are answered from the cache when filled is
// true, and fail otherwise.
func (c *Cluster) unlock(s *Service, id RequestID, filled bool) {
	co := s.cache.co
	k := c.pool.cacheKeys.v[id] & dbKeyMask // without a database's flags
	if k < 0 || int(k) >= len(co.lock) || co.lock[k] != id+1 {
		return
	}
	w := co.head[k]
	co.lock[k], co.head[k], co.tail[k] = 0, 0, 0
	at := c.sim.Now().Add(s.cache.spec.HitTime)
	for w != 0 {
		wid := w - 1
		w = c.pool.reqs[wid].next
		c.pool.reqs[wid].next = 0
		if filled {
			c.sim.Schedule(at, c.kHit, int32(wid), int64(s.id))
			continue
		}
		c.fail(s, wid)
		c.pool.release(wid)
	}
}
