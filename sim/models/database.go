package models

import (
	"fmt"
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/shard"
	"github.com/clustersim/clustersim/sim/results"
)

// DatabaseSpec makes a service a database: its instances are Shards
// shards of one primary (which takes the shard's writes) and ReadReplicas
// read replicas (which take its reads, in turn), reached through a pool
// of Pool connections its callers share. Each request is a write with
// probability Writes and, with Keys, asks for a key drawn from a Zipf
// popularity, which picks its shard.
type DatabaseSpec struct {
	Writes       float64         // share of requests that are writes, 0 to 1
	WriteTime    dist.Spec       // service time of a write; Kind "" for the request's own
	ReadReplicas int             // read replicas per shard, >= 0; 0: the primary takes the reads
	Lag          engine.Duration // replication lag: a write reaches the replicas this long after it commits
	Shards       int             // >= 1; more than 1 needs Keys
	Range        bool            // shard by key range rather than by hash
	Keys         int             // distinct keys, 0 for none (no sharding, no stale-read figures)
	Zipf         float64         // key popularity exponent, >= 0
	Pool         int             // connections callers share; 0 for no pool
	PoolTimeout  engine.Duration // a request waiting this long for a connection fails; 0 waits forever
}

// Instances returns the instances a database needs: Shards × (1 +
// ReadReplicas).
func (d DatabaseSpec) Instances() int { return max(1, d.Shards) * (1 + d.ReadReplicas) }

// The bits a database request keeps beside its key, in the request's
// cacheKeys entry (which a client's retry copies).
const (
	dbWrite   int32 = 1 << 30 // the request is a write
	dbConn    int32 = 1 << 29 // it holds a pool connection
	dbKeyMask int32 = dbConn - 1
)

// database is a database service's state at run time: its draws, its
// connection pool and its figures after warm-up.
type database struct {
	spec      DatabaseSpec
	writes    *rand.Rand   // "service.NAME.database.writes"
	mix       []*writeMix  // by workload: its own read/write mix, nil for the database's; nil for none
	keys      *dist.Zipf   // "service.NAME.database.keys"; nil without keys
	writeTime dist.Sampler // "service.NAME.database.write_time"; nil for the request's own
	next      []int32      // per shard: the replica that takes the next read
	lastWrite []engine.Time

	// The pool: connections in use and the FIFO of requests waiting for
	// one, linked through request.next.
	inUse, qlen int32
	qhead       RequestID
	qtail       RequestID
	handing     bool // handing freed connections to waiters: a nested release only frees
	timerArmed  bool

	reads, writeN, stale int64
	shardReqs            []int64
	arrived, waited      int64 // requests reaching the pool, and those that had to wait
	acquired, waitNs     int64 // connections taken, and the total wait for them
	timeouts, qmax       int64
	snap                 []int64 // busy integral of each instance at the end of warm-up
}

// writeMix is a workload's own share of writes to a database.
type writeMix struct {
	share float64
	r     *rand.Rand // "workload.NAME.writes"
}

// setupDatabases builds the database services' state. Without one,
// nothing is allocated or registered.
func (c *Cluster) setupDatabases() error {
	for _, s := range c.services {
		ds := s.spec.Database
		if ds == nil {
			continue
		}
		n := s.spec.Name
		shards := max(1, ds.Shards)
		switch {
		case !(ds.Writes >= 0 && ds.Writes <= 1), ds.ReadReplicas < 0, ds.Lag < 0, ds.Pool < 0, ds.PoolTimeout < 0,
			ds.Keys < 0, shards > 1 && ds.Keys == 0, ds.Keys > 0 && shards > ds.Keys:
			return fmt.Errorf("models: service %q: bad database %+v", n, *ds)
		case len(s.instances) != ds.Instances() || s.fn != nil || s.vers != nil || s.auto != nil:
			return fmt.Errorf("models: database %q needs exactly %d fixed instances", n, ds.Instances())
		}
		for i, in := range s.instances {
			if in.pos != int32(i) {
				return fmt.Errorf("models: database %q: instance %d is not ready at the start", n, i)
			}
		}
		d := &database{spec: *ds, writes: c.sim.Stream("service." + n + ".database.writes"),
			next: make([]int32, shards), shardReqs: make([]int64, shards), snap: make([]int64, len(s.instances))}
		if ds.Keys > 0 {
			z, err := dist.NewZipf(ds.Keys, ds.Zipf, c.sim.Stream("service."+n+".database.keys"))
			if err != nil {
				return fmt.Errorf("models: database %q: %w", n, err)
			}
			d.keys = z
			d.lastWrite = make([]engine.Time, ds.Keys)
			for i := range d.lastWrite {
				d.lastWrite[i] = longAgo
			}
		}
		if ds.WriteTime.Kind != "" {
			var err error
			if d.writeTime, err = dist.New(ds.WriteTime, c.sim.Stream("service."+n+".database.write_time")); err != nil {
				return fmt.Errorf("models: database %q write time: %w", n, err)
			}
		}
		if s.cache != nil && s.cache.spec.Keys != ds.Keys { // the cache is asked with the database's keys
			return fmt.Errorf("models: database %q: its cache has %d keys, the database %d", n, s.cache.spec.Keys, ds.Keys)
		}
		for i, w := range c.workloads {
			if w.spec.Service != int(s.id) || w.spec.Writes == nil {
				continue
			}
			if p := *w.spec.Writes; !(p >= 0 && p <= 1) {
				return fmt.Errorf("models: workload %q: writes %v not in [0, 1]", w.spec.Name, p)
			}
			if d.mix == nil {
				d.mix = make([]*writeMix, len(c.workloads))
			}
			d.mix[i] = &writeMix{share: *w.spec.Writes, r: c.sim.Stream("workload." + w.spec.Name + ".writes")}
		}
		s.db = d
		c.pool.cacheKeys.on = true
		if c.kPoolTimeout == 0 {
			c.kPoolTimeout = c.sim.Register("pool-timeout", c.onPoolTimeout)
			c.kDBWarm = c.sim.Register("database-warm", c.onDBWarm)
		}
		c.sim.Schedule(c.warmup, c.kDBWarm, s.id, 0)
	}
	return nil
}

// dbDispatch takes a request reaching database s (after its balancer, if
// modelled): it draws whether it is a write and its key (a client's retry
// keeps its first attempt's), lets the cache answer a read, then takes a
// pool connection or waits for one, and routes it. It reports false if
// the request was rejected (and released).
func (c *Cluster) dbDispatch(s *Service, id RequestID) bool {
	d := s.db
	r := &c.pool.reqs[id]
	var v int32
	if c.pool.tries.on && c.pool.tries.v[id].n > 0 && !c.isCall(id) {
		v = c.pool.cacheKeys.v[id] &^ dbConn
	} else {
		share, rng := d.spec.Writes, d.writes
		if d.mix != nil && !c.isCall(id) && d.mix[r.workload] != nil {
			share, rng = d.mix[r.workload].share, d.mix[r.workload].r
		}
		if share > 0 && rng.Float64() < share {
			v = dbWrite
			if d.writeTime != nil {
				r.work = engine.FromSeconds(d.writeTime.Sample())
			}
		}
		if d.keys != nil {
			v |= d.keys.Key()
		}
	}
	c.pool.cacheKeys.v[id] = v
	write := v&dbWrite != 0
	if r.counted {
		if write {
			d.writeN++
		} else {
			d.reads++
		}
	}
	if s.cache != nil && !write && c.lookup(s, id) {
		return true // answered by the cache before a connection is taken
	}
	if d.spec.Pool == 0 {
		return c.dbRoute(s, id)
	}
	if r.counted {
		d.arrived++
	}
	if d.inUse < int32(d.spec.Pool) && d.qlen == 0 {
		return c.dbAcquire(s, id)
	}
	if r.counted {
		d.waited++
	}
	if d.qlen == 0 {
		d.qhead = id
		if d.spec.PoolTimeout > 0 && !d.timerArmed {
			d.timerArmed = true
			c.sim.Schedule(r.sent.Add(d.spec.PoolTimeout), c.kPoolTimeout, s.id, 0)
		}
	} else {
		c.pool.reqs[d.qtail].next = id
	}
	d.qtail = id
	d.qlen++
	if c.sim.Now() >= c.warmup {
		d.qmax = max(d.qmax, int64(d.qlen))
	}
	return true
}

// dbAcquire gives request id a pool connection and routes it.
func (c *Cluster) dbAcquire(s *Service, id RequestID) bool {
	d := s.db
	d.inUse++
	c.pool.cacheKeys.v[id] |= dbConn
	if r := &c.pool.reqs[id]; r.counted {
		d.acquired++
		d.waitNs += int64(c.sim.Now().Sub(r.sent))
	}
	return c.dbRoute(s, id)
}

// dbRoute sends request id to its shard's primary (a write, or any
// request without replicas) or to the shard's next replica (a read).
func (c *Cluster) dbRoute(s *Service, id RequestID) bool {
	d := s.db
	v := c.pool.cacheKeys.v[id]
	sh := 0
	if n := len(d.next); n > 1 {
		if d.spec.Range {
			sh = shard.Range(v&dbKeyMask, d.spec.Keys, n)
		} else {
			sh = shard.Hash(v&dbKeyMask, n)
		}
	}
	r := &c.pool.reqs[id]
	if r.counted {
		d.shardReqs[sh]++
	}
	rr := int32(d.spec.ReadReplicas)
	idx := int32(sh) * (1 + rr)
	if v&dbWrite == 0 && rr > 0 {
		idx += 1 + d.next[sh]
		d.next[sh] = (d.next[sh] + 1) % rr
	}
	in := s.instances[idx]
	if in.pos < 0 {
		c.reject(s, id)
		return false
	}
	in.arrivals++
	r.instance = idx
	if !c.admit(s, in, id, s.load[in.pos]) {
		return false
	}
	s.loadChangedAt(int(in.pos), 1)
	return true
}

// dbFinish records a database request answered by its instance: a
// committed write's time, a read's staleness, and gives its connection
// back. It runs before the request is released.
func (c *Cluster) dbFinish(s *Service, id RequestID, ok bool) {
	d := s.db
	if d.keys != nil && ok {
		now := c.sim.Now()
		r := &c.pool.reqs[id]
		v := c.pool.cacheKeys.v[id]
		k := v & dbKeyMask
		switch {
		case v&dbWrite != 0:
			d.lastWrite[k] = now
		case r.instance%int32(1+d.spec.ReadReplicas) != 0 && now < d.lastWrite[k].Add(d.spec.Lag):
			if r.counted {
				d.stale++
			}
		}
	}
	c.dbRelease(s, id)
}

// dbRelease gives back request id's connection, if it holds one, and
// hands free connections to the requests waiting, oldest first.
func (c *Cluster) dbRelease(s *Service, id RequestID) {
	d := s.db
	if c.pool.cacheKeys.v[id]&dbConn == 0 {
		return
	}
	c.pool.cacheKeys.v[id] &^= dbConn
	d.inUse--
	if d.handing {
		return // the loop below, further up the stack, hands it on
	}
	d.handing = true
	for d.qlen > 0 && d.inUse < int32(d.spec.Pool) {
		c.dbAcquire(s, c.dbPop(d))
	}
	d.handing = false
}

// dbPop removes the request at the front of a pool's queue.
func (c *Cluster) dbPop(d *database) RequestID {
	id := d.qhead
	d.qhead = c.pool.reqs[id].next
	d.qlen--
	return id
}

// onPoolTimeout fails the requests that have waited PoolTimeout for a
// connection (the oldest first: the queue is in order of arrival), and
// sets the timer for the next one.
func (c *Cluster) onPoolTimeout(ev engine.Event) {
	s := c.services[ev.Target]
	d := s.db
	now := c.sim.Now()
	d.timerArmed = false
	for d.qlen > 0 {
		id := d.qhead
		r := &c.pool.reqs[id]
		due := r.sent.Add(d.spec.PoolTimeout)
		if due > now {
			d.timerArmed = true
			c.sim.Schedule(due, c.kPoolTimeout, s.id, 0)
			return
		}
		c.dbPop(d)
		if r.counted {
			d.timeouts++
		}
		c.reject(s, id)
	}
}

// onDBWarm records each instance's busy integral at the end of warm-up.
func (c *Cluster) onDBWarm(ev engine.Event) {
	s := c.services[ev.Target]
	now := c.sim.Now()
	for i, in := range s.instances {
		in.integrate(now)
		s.db.snap[i] = in.busyInt
	}
}

// dbSummary returns a database's figures, nil for another service.
func (c *Cluster) dbSummary(s *Service, measured engine.Duration) *results.DatabaseSummary {
	d := s.db
	if d == nil {
		return nil
	}
	now := c.sim.Now()
	total := d.reads + d.writeN
	out := &results.DatabaseSummary{
		Reads: d.reads, Writes: d.writeN, WriteRatio: results.Ratio(d.writeN, total),
		Shards: len(d.next), ReadReplicas: d.spec.ReadReplicas, ReplicationLagMs: d.spec.Lag.Milliseconds(),
		StaleReads: results.Missing(), StaleReadRatio: results.Missing(),
		ShardRequests: d.shardReqs, ShardImbalance: results.Missing(), HotShardShare: results.Missing(),
	}
	if d.keys != nil {
		out.StaleReads = float64(d.stale)
		out.StaleReadRatio = results.Ratio(d.stale, d.reads)
	}
	var routed, most int64
	for _, n := range d.shardReqs {
		routed += n
		most = max(most, n)
	}
	if routed > 0 {
		out.HotShardShare = float64(most) / float64(routed)
		out.ShardImbalance = out.HotShardShare * float64(len(d.shardReqs))
	}
	var busy [2]int64 // primaries, replicas
	var count [2]int64
	for i, in := range s.instances {
		in.integrate(now)
		role := min(1, i%(1+d.spec.ReadReplicas))
		busy[role] += in.busyInt - d.snap[i]
		count[role]++
	}
	slotNs := func(n int64) int64 { return n * int64(s.spec.Concurrency) * int64(measured) }
	out.PrimaryUtilization = results.Ratio(busy[0], slotNs(count[0]))
	out.ReplicaUtilization = results.Ratio(busy[1], slotNs(count[1]))
	if d.spec.Pool > 0 {
		out.Pool = &results.PoolSummary{
			Size: d.spec.Pool, WaitProbability: results.Ratio(d.waited, d.arrived),
			WaitMsMean: meanOf(d.waitNs, d.acquired) / 1e6, Timeouts: d.timeouts, QueueMax: d.qmax,
		}
	}
	return out
}
