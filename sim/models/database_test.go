package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/shard"
	"github.com/clustersim/clustersim/sim/results"
)

// dbService is a database service of spec's layout, its instances roomy
// unless conc says otherwise.
func dbService(spec models.DatabaseSpec, conc int) models.ServiceSpec {
	return models.ServiceSpec{Name: "db", Replicas: spec.Instances(), Concurrency: conc, Queue: -1,
		Algorithm: "round_robin", Database: &spec}
}

func dbRun(t *testing.T, dur engine.Duration, svc models.ServiceSpec, wls ...models.WorkloadSpec) (*models.Cluster, *results.Summary) {
	t.Helper()
	c, err := models.New(models.Config{Name: "db", Seed: 7, Duration: dur, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{svc}, Workloads: wls})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := c.Run(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c, sum
}

func poissonTo(name string, rate float64, st dist.Spec) models.WorkloadSpec {
	return models.WorkloadSpec{Name: name, Service: 0, Arrival: models.Poisson, Rate: models.RateCurve{{At: 0, Rate: rate}}, ServiceTime: st}
}

// TestPoolErlangC: callers share a pool of N = 10 connections to a
// database roomy enough never to queue; each request holds its connection
// for its exponential service time (100 ms) and 80 req/s offer a = 8
// Erlangs. The pool is then an M/M/10 queue, and the share of requests
// that wait for a connection is Erlang's C formula, C(N, a) = N·B /
// (N − a(1 − B)) with B = B(10, 8) = 0.1217 (TestErlangB): 0.4092, and the
// mean wait C/(Nμ − λ) = 20.46 ms. Reference: Kleinrock, Queueing Systems
// Vol. 1 (1975), §3.5 (M/M/m, Erlang's C formula); Gross & Harris,
// Fundamentals of Queueing Theory, §2.3 (M/M/c).
func TestPoolErlangC(t *testing.T) {
	const n, a = 10, 8.0
	b := 1.0
	for k := 1; k <= n; k++ {
		b = a * b / (float64(k) + a*b)
	}
	c := n * b / (n - a*(1-b))
	if math.Abs(c-0.4092) > 0.00005 {
		t.Fatalf("Erlang C gives %v, want 0.4092", c)
	}
	_, sum := dbRun(t, 10000*engine.Second, dbService(models.DatabaseSpec{Shards: 1, Pool: n}, 100),
		poissonTo("w", 80, dist.Spec{Kind: "exponential", Mean: 0.1}))
	p := sum.Services["db"].Database.Pool
	within(t, "pool wait probability vs Erlang C", p.WaitProbability, c, 0.02)
	within(t, "pool mean wait (ms) vs C/(Nμ−λ)", p.WaitMsMean, 1000*c/(n*10-80), 0.04)
	if p.Size != n || p.Timeouts != 0 || sum.Requests.Errors != 0 {
		t.Errorf("pool %+v, requests %+v", p, sum.Requests)
	}
}

// TestPoolTimeout, by hand: one connection, requests of 950 ms arriving
// every 100 ms (at 0.1 s, 0.2 s, ...), a pool timeout of 30 ms. The
// request sent at k + 0.1 s takes the connection and gives it back at
// k + 1.05 s; the nine after it each wait alone and fail 30 ms after they
// arrived. In 100 s: 100 served, of which the last (99.1 s) is still
// running at the end, so 99 ok; 1,000 sent, of which the one at 100 s is
// still waiting: 899 failed by the pool, counted as rejected.
func TestPoolTimeout(t *testing.T) {
	w := models.WorkloadSpec{Name: "w", Service: 0, Arrival: models.Constant, Rate: models.RateCurve{{At: 0, Rate: 10}},
		ServiceTime: dist.Spec{Kind: "constant", Mean: 0.95}}
	_, sum := dbRun(t, 100*engine.Second, dbService(models.DatabaseSpec{Shards: 1, Pool: 1, PoolTimeout: 30 * engine.Millisecond}, 10), w)
	p := sum.Services["db"].Database.Pool
	if sum.Requests.OK != 99 || sum.Requests.Rejected != 899 || p.Timeouts != 899 || p.QueueMax != 1 {
		t.Errorf("requests %+v, pool %+v: want 99 ok, 899 rejected by the pool, one waiting at most", sum.Requests, *p)
	}
	within(t, "wait probability (9 of 10)", p.WaitProbability, 0.9, 0.002)
}

// TestReadWriteSplit: with writes = 0.01 the writes are binomial,
// n·p ± 4·√(n·p·(1−p)); each goes to the primary and the reads are
// dealt in turn to the 3 replicas, so each replica serves reads / 3
// (within one) and the primary exactly the writes.
func TestReadWriteSplit(t *testing.T) {
	spec := models.DatabaseSpec{Shards: 1, ReadReplicas: 3, Writes: 0.01}
	c, sum := dbRun(t, 200*engine.Second, dbService(spec, 100), poissonTo("w", 1000, constMs(1)))
	d := sum.Services["db"].Database
	n := float64(d.Reads + d.Writes)
	if int64(n) != sum.Requests.Total {
		t.Fatalf("reads %d + writes %d != requests %d", d.Reads, d.Writes, sum.Requests.Total)
	}
	mean, sd := 0.01*n, math.Sqrt(n*0.01*0.99)
	if math.Abs(float64(d.Writes)-mean) > 4*sd {
		t.Errorf("writes %d, want %.0f ± %.0f (binomial, 4σ)", d.Writes, mean, 4*sd)
	}
	arr := c.InstanceArrivals("db")
	if arr[0] != d.Writes {
		t.Errorf("the primary served %d, want the %d writes", arr[0], d.Writes)
	}
	for i, a := range arr[1:] {
		if math.Abs(float64(a)-float64(d.Reads)/3) > 1 {
			t.Errorf("replica %d served %d reads, want reads/3 = %.1f", i+1, a, float64(d.Reads)/3)
		}
	}
	if !math.IsNaN(d.StaleReads) || d.HotShardShare != 1 {
		t.Errorf("without keys stale reads must be missing (got %v), and one shard takes all (got %v)", d.StaleReads, d.HotShardShare)
	}
}

// TestWorkloadWrites: a workload's own writes share replaces the
// database's: a writer workload (writes = 1) and a reader (writes = 0)
// give exactly their arrivals as writes and reads.
func TestWorkloadWrites(t *testing.T) {
	one, zero := 1.0, 0.0
	wr := poissonTo("writer", 10, constMs(1))
	wr.Writes = &one
	rd := poissonTo("reader", 100, constMs(1))
	rd.Writes = &zero
	_, sum := dbRun(t, 100*engine.Second, dbService(models.DatabaseSpec{Shards: 1, Writes: 0.5}, 10), wr, rd)
	d := sum.Services["db"].Database
	if d.Writes != sum.Workloads["writer"].Requests.Total || d.Reads != sum.Workloads["reader"].Requests.Total {
		t.Errorf("writes %d reads %d, want the writer's %d and the reader's %d", d.Writes, d.Reads,
			sum.Workloads["writer"].Requests.Total, sum.Workloads["reader"].Requests.Total)
	}
}

// TestHotShard: 4 shards by key range over 100 keys of Zipf(1.0)
// popularity: shard 0 holds keys 1–25 (ranked from 1), whose mass is
// H(25)/H(100) = 3.81596/5.18738 = 0.7356, shard 1 (H(50) − H(25))/H(100) =
// 0.1317 (harmonic numbers by hand). By hash the busiest shard's share is
// the Zipf mass of the keys that hash there, summed from the
// probabilities.
func TestHotShard(t *testing.T) {
	spec := models.DatabaseSpec{Shards: 4, Range: true, Keys: 100, Zipf: 1}
	_, sum := dbRun(t, 200*engine.Second, dbService(spec, 100), poissonTo("w", 1000, constMs(1)))
	d := sum.Services["db"].Database
	within(t, "range: hot shard share", d.HotShardShare, 0.7356, 0.01)
	within(t, "range: shard 1 share", float64(d.ShardRequests[1])/float64(d.Reads), 0.1317, 0.02)
	within(t, "range: imbalance", d.ShardImbalance, 4*0.7356, 0.01)

	spec.Range = false
	_, sum = dbRun(t, 200*engine.Second, dbService(spec, 100), poissonTo("w", 1000, constMs(1)))
	d = sum.Services["db"].Database
	mass := make([]float64, 4)
	for k, p := range dist.ZipfProbabilities(100, 1) {
		mass[shard.Hash(int32(k), 4)] += p
	}
	hot := max(mass[0], mass[1], mass[2], mass[3])
	within(t, "hash: hot shard share", d.HotShardShare, hot, 0.02)
	if d.HotShardShare > 0.5 {
		t.Errorf("hash sharding left a hot shard of %v", d.HotShardShare)
	}
}

// TestStaleReads, by hand: one key; a writer (writes = 1) every second,
// its write taking 5 ms on the primary, so committing at k + 0.005 s; a
// reader every 100 ms, its read taking 1 ms on the one replica; lag 250
// ms. The reads answered at k + 0.101 and k + 0.201 fall within the lag of
// the commit at k + 0.005, the one at k + 0.301 does not (nor the one
// sent at k, answered at k + 0.001, before the commit): 2 stale reads per
// committed write, 99 writes committed in 100 s (the 100th commits after
// the end): 198 of 1,000 reads.
func TestStaleReads(t *testing.T) {
	one, zero := 1.0, 0.0
	wr := models.WorkloadSpec{Name: "writer", Service: 0, Arrival: models.Constant, Rate: models.RateCurve{{At: 0, Rate: 1}},
		ServiceTime: constMs(5), Writes: &one}
	rd := models.WorkloadSpec{Name: "reader", Service: 0, Arrival: models.Constant, Rate: models.RateCurve{{At: 0, Rate: 10}},
		ServiceTime: constMs(1), Writes: &zero}
	spec := models.DatabaseSpec{Shards: 1, ReadReplicas: 1, Lag: 250 * engine.Millisecond, Keys: 1}
	_, sum := dbRun(t, 100*engine.Second, dbService(spec, 10), wr, rd)
	d := sum.Services["db"].Database
	if d.Reads != 1000 || d.Writes != 100 || d.StaleReads != 198 || math.Abs(d.StaleReadRatio-0.198) > 1e-12 {
		t.Errorf("reads %d writes %d stale %v (%v), want 1000, 100, 198 (0.198)", d.Reads, d.Writes, d.StaleReads, d.StaleReadRatio)
	}
	spec.Lag = 0
	_, sum = dbRun(t, 100*engine.Second, dbService(spec, 10), wr, rd)
	if s := sum.Services["db"].Database.StaleReads; s != 0 {
		t.Errorf("no lag: %v stale reads, want 0", s)
	}
}

// TestDatabaseDeterministic: the same seed gives the same figures (the
// draws are on named streams).
func TestDatabaseDeterministic(t *testing.T) {
	spec := models.DatabaseSpec{Shards: 2, ReadReplicas: 2, Writes: 0.05, Lag: 20 * engine.Millisecond, Keys: 1000, Zipf: 0.9, Pool: 8,
		PoolTimeout: 50 * engine.Millisecond, WriteTime: dist.Spec{Kind: "exponential", Mean: 0.004}}
	_, a := dbRun(t, 50*engine.Second, dbService(spec, 4), poissonTo("w", 2000, dist.Spec{Kind: "exponential", Mean: 0.002}))
	_, b := dbRun(t, 50*engine.Second, dbService(spec, 4), poissonTo("w", 2000, dist.Spec{Kind: "exponential", Mean: 0.002}))
	x, y := *a.Services["db"].Database, *b.Services["db"].Database
	x.Pool, y.Pool = nil, nil
	if *a.Services["db"].Database.Pool != *b.Services["db"].Database.Pool || x.Reads != y.Reads || x.StaleReads != y.StaleReads ||
		x.ShardRequests[0] != y.ShardRequests[0] || a.LatencyMs.P99 != b.LatencyMs.P99 {
		t.Errorf("two runs differ: %+v vs %+v", x, y)
	}
	if x.StaleReads == 0 || x.Writes == 0 {
		t.Errorf("the case should have stale reads and writes: %+v", x)
	}
}

// TestStaleReadsPoisson: Poisson writes at W = 10/s and reads at 1,000/s
// over 100 keys of Zipf(1.0) popularity, replication lag L = 100 ms. The
// writes to key k are a Poisson stream of rate W·p(k) (thinning), and so
// are their commits (a Poisson stream through an infinite-server delay
// stays Poisson); reads see time averages (PASTA), so a read of key k is
// stale with probability 1 − exp(−W·p(k)·L), the chance of a commit in
// the lag before it: over the popularity, Σ p(k)(1 − exp(−W·p(k)·L)) =
// 0.05669.
func TestStaleReadsPoisson(t *testing.T) {
	one, zero := 1.0, 0.0
	wr := poissonTo("writer", 10, constMs(2))
	wr.Writes = &one
	rd := poissonTo("reader", 1000, constMs(1))
	rd.Writes = &zero
	spec := models.DatabaseSpec{Shards: 1, ReadReplicas: 1, Lag: 100 * engine.Millisecond, Keys: 100, Zipf: 1}
	_, sum := dbRun(t, 4000*engine.Second, dbService(spec, 100), wr, rd)
	want := 0.0
	for _, p := range dist.ZipfProbabilities(100, 1) {
		want += p * (1 - math.Exp(-10*p*0.1))
	}
	if math.Abs(want-0.05669) > 0.00001 {
		t.Fatalf("formula gives %v, want 0.05669", want)
	}
	within(t, "stale-read ratio vs Σ p(k)(1 − exp(−W·p(k)·L))", sum.Services["db"].Database.StaleReadRatio, want, 0.02)
}
