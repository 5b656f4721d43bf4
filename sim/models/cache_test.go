package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
)

// cheHitRatio is Che's approximation of the hit ratio of an LRU cache of
// c entries under the independent reference model with popularities p:
// the characteristic time T solves Σ_i (1 − e^{−p_i T}) = c, and the hit
// ratio is Σ_i p_i (1 − e^{−p_i T}). References: Che, Tung, Wang,
// "Hierarchical Web caching systems: modeling, design and experimental
// results", IEEE JSAC 20(7), 2002; Fricker, Robert, Roberts, "A versatile
// and accurate approximation for LRU cache performance", ITC 24, 2012
// (which explains why it is accurate for Zipf popularities).
func cheHitRatio(p []float64, c int) float64 {
	occupancy := func(t float64) float64 {
		s := 0.0
		for _, q := range p {
			s += -math.Expm1(-q * t)
		}
		return s
	}
	lo, hi := 0.0, 1.0
	for occupancy(hi) < float64(c) {
		hi *= 2
	}
	for range 200 {
		mid := (lo + hi) / 2
		if occupancy(mid) < float64(c) {
			lo = mid
		} else {
			hi = mid
		}
	}
	h := 0.0
	for _, q := range p {
		h += q * -math.Expm1(-q*lo)
	}
	return h
}

// TestLRUChe drives the LRU with Zipf keys (C = 1,000 entries, 100,000
// keys, α = 0.8 and 1.0, as issue 13 asks) and compares its hit ratio
// with Che's approximation within 2%.
func TestLRUChe(t *testing.T) {
	const c, n = 1000, 100_000
	for _, alpha := range []float64{0.8, 1.0} {
		z, err := dist.NewZipf(n, alpha, engine.NewStream(1, "che"))
		if err != nil {
			t.Fatal(err)
		}
		l := models.NewLRU(c, n, 0)
		hits, total := 0, 0
		for i := range 2_000_000 {
			k := z.Key()
			hit := l.Get(k, 0)
			if !hit {
				l.Put(k, 0)
			}
			if i >= 300_000 { // warm: the cache has filled and mixed
				total++
				if hit {
					hits++
				}
			}
		}
		within(t, "LRU hit ratio vs Che", float64(hits)/float64(total), cheHitRatio(dist.ZipfProbabilities(n, alpha), c), 0.02)
	}
}

// TestZipfFrequencies: the sampler's key frequencies follow
// P(k) ∝ 1/(k+1)^s, checked on the head keys and by a chi-square over the
// first 50 keys plus the tail (49 degrees of freedom: the 0.999 quantile
// is 85.35).
func TestZipfFrequencies(t *testing.T) {
	const n, draws = 1000, 1_000_000
	p := dist.ZipfProbabilities(n, 0.8)
	z, _ := dist.NewZipf(n, 0.8, engine.NewStream(2, "zipf"))
	counts := make([]float64, 51)
	for range draws {
		k := z.Key()
		counts[min(int(k), 50)]++
	}
	chi := 0.0
	tail := 1.0
	for k := range 50 {
		e := p[k] * draws
		tail -= p[k]
		chi += (counts[k] - e) * (counts[k] - e) / e
	}
	e := tail * draws
	chi += (counts[50] - e) * (counts[50] - e) / e
	if chi > 85.35 {
		t.Errorf("chi-square %v over 50 degrees of freedom: frequencies do not follow Zipf(0.8)", chi)
	}
	if _, err := dist.NewZipf(0, 1, nil); err == nil {
		t.Error("zipf over no keys accepted")
	}
}

// TestLRUOrderAndTTL: a hand-made sequence. Capacity 2: after a, b, a, c
// the least recently used, b, is evicted; entries expire ttl after their
// fill, and a hit does not extend it.
func TestLRUOrderAndTTL(t *testing.T) {
	l := models.NewLRU(2, 10, 10)
	const a, b, c = 1, 2, 3
	l.Put(a, 0)
	l.Put(b, 1)
	if !l.Get(a, 2) { // a is now the most recent
		t.Fatal("a missing")
	}
	l.Put(c, 3) // evicts b
	if l.Get(b, 4) || !l.Get(a, 4) || !l.Get(c, 4) {
		t.Error("after a, b, a, c the LRU entry b should be gone and a, c kept")
	}
	if l.Get(a, 10) { // filled at 0, ttl 10
		t.Error("a still fresh at its expiry time")
	}
	if !l.Get(c, 12) || l.Get(c, 13) {
		t.Error("c, filled at 3, should be fresh at 12 and expired at 13")
	}
	if l.Len() != 0 {
		t.Errorf("%d entries left, want 0 after both expired", l.Len())
	}
	l.Put(a, 20)
	l.Flush()
	if l.Get(a, 21) || l.Len() != 0 {
		t.Error("flush left entries")
	}
}

// TestServiceCacheHitRatio: a service with a cache reports the hit ratio
// Che's approximation gives (C = 200, 20,000 keys, α = 1.0), and only
// misses reach its instances.
func TestServiceCacheHitRatio(t *testing.T) {
	_, sum := runRecorded(t, models.Config{
		Name: "cache", Seed: 9, Duration: 2000 * engine.Second, Warmup: 200 * engine.Second, Window: 100 * engine.Second,
		Services: []models.ServiceSpec{{
			Name: "api", Replicas: 1, Concurrency: 100, Queue: -1, Algorithm: "round_robin",
			Cache: &models.CacheSpec{Capacity: 200, Keys: 20_000, Zipf: 1.0},
		}},
		Workloads: []models.WorkloadSpec{{
			Name: "w", Service: 0, Arrival: models.Poisson, Rate: models.RateCurve{{At: 0, Rate: 500}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.001},
		}},
	})
	cs := sum.Services["api"].Cache
	if cs == nil {
		t.Fatal("no cache block in the summary")
	}
	within(t, "service hit ratio vs Che", cs.HitRatio, cheHitRatio(dist.ZipfProbabilities(20_000, 1.0), 200), 0.02)
	if hits := float64(cs.Hits) / float64(sum.Requests.OK); math.Abs(hits-cs.HitRatio) > 0.01 {
		t.Errorf("hits are %v of requests, hit ratio %v", hits, cs.HitRatio)
	}
}

// TestRetryKeepsKey: a retried request asks for the same key. The first
// attempt times out (10 ms) but is still served (100 ms) and fills the
// cache; the retry, 200 ms later, finds its key among a million uniform
// keys: every retry is a hit, every first attempt a miss (but for about
// one first attempt in a thousand, whose fresh key happens to be among
// the thousand cached).
func TestRetryKeepsKey(t *testing.T) {
	_, sum := runRecorded(t, models.Config{
		Name: "retry-key", Seed: 4, Duration: 100 * engine.Second, Window: 10 * engine.Second,
		Services: []models.ServiceSpec{{
			Name: "api", Replicas: 1, Concurrency: 100, Queue: -1, Algorithm: "round_robin",
			Cache: &models.CacheSpec{Capacity: 1 << 20, Keys: 1 << 20, Zipf: 0},
		}},
		Workloads: []models.WorkloadSpec{{
			Name: "w", Service: 0, Arrival: models.Constant, Rate: models.RateCurve{{At: 0, Rate: 10}},
			ServiceTime: dist.Spec{Kind: "constant", Mean: 0.1}, Timeout: 10 * engine.Millisecond,
			Retry: &models.RetrySpec{Attempts: 2, Backoff: 200 * engine.Millisecond},
		}},
	})
	cs := sum.Services["api"].Cache
	if cs.Hits < sum.Requests.Retries-1 || cs.Hits > sum.Requests.Retries+4 || sum.Requests.Retries < 990 {
		t.Errorf("%d hits for %d retries (%+v), want every retry a hit", cs.Hits, sum.Requests.Retries, cs)
	}
}
