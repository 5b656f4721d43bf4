package models

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
)

// flushConfig is one instance behind a cache of one key, 1,000 requests
// a second arriving every millisecond exactly (the first at 1 ms), each
// served in 100.5 ms, and a flush at 10.0005 s.
func flushConfig(coalesce bool) Config {
	return Config{
		Name: "flush", Seed: 1, Duration: 20 * engine.Second, Window: engine.Second,
		Services: []ServiceSpec{{
			Name: "api", Replicas: 1, Concurrency: 1000, Queue: -1, Algorithm: "round_robin",
			Cache: &CacheSpec{Capacity: 1, Keys: 1, Coalesce: coalesce},
		}},
		Workloads: []WorkloadSpec{{
			Name: "w", Arrival: Constant, Rate: RateCurve{{Rate: 1000}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.1005},
		}},
		Faults: []FaultSpec{{Name: "flush", Kind: FaultCacheFlush, At: engine.Time(10_000_500 * engine.Microsecond), Instances: 1}},
	}
}

// maxInFlight steps a run to its end and returns the most requests of one
// key ever in service or queued at the first service's instances, checked
// after every event.
func maxInFlight(t *testing.T, cfg Config) int {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.begin(nil, nil); err != nil {
		t.Fatal(err)
	}
	s := c.services[0]
	most := 0
	per := map[int32]int{}
	for c.sim.Step() && c.sim.Now() <= c.horizon {
		clear(per)
		for _, in := range s.instances {
			for id, n := in.qhead, in.qlen; n > 0; id, n = c.pool.reqs[id].next, n-1 {
				per[c.pool.cacheKeys.v[id]]++
			}
		}
		for id := range c.pool.reqs {
			if r := &c.pool.reqs[id]; r.serving && !r.failed && int32(r.service) == s.id {
				per[c.pool.cacheKeys.v[id]]++
			}
		}
		for _, n := range per {
			most = max(most, n)
		}
	}
	return most
}

// TestCacheFlushHerd works a flush by hand. The cache of one key starts
// empty and is flushed at 10.0005 s; each time, the requests arriving in
// the 100.5 ms before the first miss's answer fills it (at 1, 2, ... 101
// ms after the start or the flush) all miss: 101 twice, 202 misses.
// Without coalescing every miss goes to the instance: 101 in service at
// once, the thundering herd. With it (Varnish's request coalescing,
// Nginx's proxy_cache_lock) the first miss fetches and the 100 behind it
// wait for its fill, twice: 200 coalesced, and never more than one
// request in flight to the instance; the i-th waiter waits 100.5 - i ms.
func TestCacheFlushHerd(t *testing.T) {
	for _, tc := range []struct {
		coalesce     bool
		herd         int
		coalesced    int64
		instanceReqs int64
		latSum       float64 // ms
	}{
		{false, 101, -1, 202, 202 * 100.5},
		{true, 1, 200, 2, 2 * (100.5 + 100*100.5 - 5050)},
	} {
		cfg := flushConfig(tc.coalesce)
		if got := maxInFlight(t, cfg); got != tc.herd {
			t.Errorf("coalesce %v: %d requests of the key in flight at once, want %d", tc.coalesce, got, tc.herd)
		}
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := c.Run(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		cs := sum.Services["api"].Cache
		if cs.Misses != 202 || cs.Flushes != 1 {
			t.Errorf("coalesce %v: %d misses, %d flushes; want 202 and 1", tc.coalesce, cs.Misses, cs.Flushes)
		}
		if (tc.coalesced < 0) != (cs.Coalesced == nil) || (cs.Coalesced != nil && *cs.Coalesced != tc.coalesced) {
			t.Errorf("coalesce %v: coalesced %v, want %d (-1: null)", tc.coalesce, cs.Coalesced, tc.coalesced)
		}
		if got := cs.Misses - valueOr(cs.Coalesced); got != tc.instanceReqs {
			t.Errorf("coalesce %v: %d requests reached the instance, want %d", tc.coalesce, got, tc.instanceReqs)
		}
		if sum.Requests.Failed != 0 || sum.Requests.OK != 20_000 {
			t.Errorf("coalesce %v: %d ok, %d failed; want 20,000 and 0", tc.coalesce, sum.Requests.OK, sum.Requests.Failed)
		}
		// Latencies: hits 0, a fetch 100.5 ms, and the i-th waiter behind
		// it (i = 1..100) 100.5 - i ms; the hit answered at 20 s comes
		// after the last window closed, so 19,999 are in the mean.
		if want := tc.latSum / 19_999; math.Abs(sum.LatencyMs.Mean-want) > 1e-9 {
			t.Errorf("coalesce %v: mean latency %v ms, want %v", tc.coalesce, sum.LatencyMs.Mean, want)
		}
	}
}

func valueOr(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// TestCoalescingOneFetchPerKey: under Poisson traffic over 50 keys, two
// flushes and a crash that loses fetches in flight, no key ever has two
// requests in flight to the instances with coalescing; the waiters of a
// lost fetch fail with it (singleflight shares the error).
func TestCoalescingOneFetchPerKey(t *testing.T) {
	cfg := Config{
		Name: "coalesce", Seed: 3, Duration: 60 * engine.Second, Window: engine.Second,
		Services: []ServiceSpec{{
			Name: "api", Replicas: 3, Concurrency: 4, Queue: -1, Algorithm: "round_robin",
			Cache: &CacheSpec{Capacity: 40, Keys: 50, Zipf: 0.8, TTL: 2 * engine.Second, Coalesce: true},
		}},
		Workloads: []WorkloadSpec{{
			Name: "w", Arrival: Poisson, Rate: RateCurve{{Rate: 400}},
			ServiceTime: dist.Spec{Kind: "exponential", Mean: 0.05},
		}},
		Faults: []FaultSpec{
			{Name: "f1", Kind: FaultCacheFlush, At: 20 * engine.Time(engine.Second), Instances: 1},
			{Name: "c", Kind: FaultCrash, At: 20*engine.Time(engine.Second) + engine.Time(20*engine.Millisecond), Instances: 1},
			{Name: "f2", Kind: FaultCacheFlush, At: 40 * engine.Time(engine.Second), Instances: 1},
		},
	}
	if got := maxInFlight(t, cfg); got != 1 {
		t.Errorf("%d requests of one key in flight at once, want at most 1", got)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := c.Run(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs := sum.Services["api"].Cache
	if cs.Coalesced == nil || *cs.Coalesced == 0 || sum.Requests.Failed == 0 {
		t.Errorf("coalesced %v, failed %d: want both above 0", cs.Coalesced, sum.Requests.Failed)
	}
}
