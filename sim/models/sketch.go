package models

import (
	"math"

	"github.com/DataDog/sketches-go/ddsketch/mapping"

	"github.com/clustersim/clustersim/sim/results"
)

// sketchAccuracy is the DDSketch relative accuracy α: every quantile it
// reports is within 0.05% of the value of the exact quantile's sample
// (Masson, Rim & Lee, "DDSketch", VLDB 2019, Theorem 3), so a p99 near a
// 200 ms gate moves in 0.1 ms steps, not the 2 ms steps of α = 0.005.
const sketchAccuracy = 0.0005

// The sketch's range in milliseconds: latencies from 1 µs to 10⁸ ms
// (about 28 hours) keep the relative accuracy; smaller ones count in the
// lowest bin and larger ones in the highest (reported percentiles are
// capped at the exact max, so a clamped tail still reads right).
const (
	sketchMinMs = 1e-3
	sketchMaxMs = 1e8
)

// latencyMapping maps latencies to DDSketch bin indexes; bins are
// γ = (1+α)/(1-α) apart, so the range spans ln(10¹¹)/ln(γ) ≈ 25,300 bins
// (200 kB of counts per sketch at α = 0.0005). It is immutable and shared.
var latencyMapping = newMapping(sketchAccuracy)

func newMapping(alpha float64) mapping.IndexMapping {
	m, err := mapping.NewCubicallyInterpolatedMapping(alpha)
	if err != nil {
		panic("models: " + err.Error())
	}
	return m
}

// latencies summarises a stream of latencies in milliseconds in constant
// memory: a DDSketch (its index mapping from sketches-go over a dense
// array of counts allocated once, so adding, merging and resetting never
// allocate or shift) for quantiles plus the exact count, sum and max.
//
// sketches-go's own stores grow their arrays as values arrive; after a
// per-window reset they regrow bin by bin, shifting the whole array each
// time, which at α = 0.0005 cost milliseconds per window.
type latencies struct {
	m      mapping.IndexMapping
	base   int      // index of bins[0]
	bins   []uint64 // counts per bin
	lo, hi int      // bins[lo..hi] holds every count; lo > hi when empty
	n      int64
	sum    float64
	max    float64
}

func newLatencies() *latencies { return newLatenciesAt(latencyMapping) }

// newLatenciesAt returns an empty summary over the given mapping.
func newLatenciesAt(m mapping.IndexMapping) *latencies {
	base := m.Index(sketchMinMs)
	return &latencies{m: m, base: base, bins: make([]uint64, m.Index(sketchMaxMs)-base+1), lo: math.MaxInt, hi: -1}
}

func (l *latencies) add(ms float64) {
	i := 0
	if ms > sketchMinMs {
		i = min(l.m.Index(ms)-l.base, len(l.bins)-1)
	}
	l.bins[i]++
	l.lo, l.hi = min(l.lo, i), max(l.hi, i)
	l.n++
	l.sum += ms
	if ms > l.max {
		l.max = ms
	}
}

// merge adds o's latencies; both use the same mapping by construction.
func (l *latencies) merge(o *latencies) {
	if o.n == 0 {
		return
	}
	for i := o.lo; i <= o.hi; i++ {
		l.bins[i] += o.bins[i]
	}
	l.lo, l.hi = min(l.lo, o.lo), max(l.hi, o.hi)
	l.n += o.n
	l.sum += o.sum
	l.max = math.Max(l.max, o.max)
}

func (l *latencies) reset() {
	if l.n > 0 {
		clear(l.bins[l.lo : l.hi+1])
	}
	l.lo, l.hi = math.MaxInt, -1
	l.n, l.sum, l.max = 0, 0, 0
}

// quantile returns the q-quantile in milliseconds, results.Missing when
// no latency was recorded: a percentile of nothing does not exist. As
// DDSketch's GetValueAtQuantile, it returns the representative value of
// the bin holding the sample of rank q·(n-1), capped at the exact max so
// percentiles stay monotone.
func (l *latencies) quantile(q float64) float64 {
	if l.n == 0 {
		return results.Missing()
	}
	rank := float64(q * float64(l.n-1)) // explicit conversion: no fused multiply-add
	var c uint64
	i := l.lo
	for ; i < l.hi; i++ {
		c += l.bins[i]
		if float64(c) > rank {
			break
		}
	}
	return math.Min(l.m.Value(i+l.base), l.max)
}

// mean returns the mean latency in milliseconds, Missing when empty.
func (l *latencies) mean() float64 {
	if l.n == 0 {
		return results.Missing()
	}
	return l.sum / float64(l.n)
}

// maximum returns the largest latency in milliseconds, Missing when empty.
func (l *latencies) maximum() float64 {
	if l.n == 0 {
		return results.Missing()
	}
	return l.max
}

// summary returns the contract's latency block; every figure is Missing
// when no request succeeded.
func (l *latencies) summary() results.Latency {
	return results.Latency{
		Mean: l.mean(), P50: l.quantile(0.5), P90: l.quantile(0.9), P95: l.quantile(0.95),
		P99: l.quantile(0.99), P999: l.quantile(0.999), Max: l.maximum(),
	}
}
