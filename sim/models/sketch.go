package models

import (
	"math"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"

	"github.com/clustersim/clustersim/sim/results"
)

// sketchAccuracy is the DDSketch relative accuracy α: every quantile it
// reports is within 0.05% of the value of the exact quantile's sample
// (Masson, Rim & Lee, "DDSketch", VLDB 2019, Theorem 3), so a p99 near a
// 200 ms gate moves in 0.1 ms steps, not the 2 ms steps of α = 0.005.
const sketchAccuracy = 0.0005

// sketchBins bounds a sketch's memory at sketchBins × 8 bytes per store:
// bins are γ = (1+α)/(1-α) apart in value, so at α = 0.0005 the 32768 bins
// span ln(γ)·32768/ln(10) ≈ 14 decades, from a nanosecond to over a day
// in milliseconds. A dense store only allocates the index range it has
// seen, typically 5 to 6 decades (~13,000 bins, 100 kB). Below the range,
// the lowest bins collapse, never the tail quantiles.
const sketchBins = 32768

// latencies summarises a stream of latencies in milliseconds in constant
// memory: a DDSketch for quantiles plus the exact count, sum and max.
type latencies struct {
	sk  *ddsketch.DDSketch
	n   int64
	sum float64
	max float64
}

func newLatencies() *latencies {
	m, err := mapping.NewCubicallyInterpolatedMapping(sketchAccuracy)
	if err != nil {
		panic("models: " + err.Error())
	}
	return &latencies{sk: ddsketch.NewDDSketch(m, store.NewCollapsingLowestDenseStore(sketchBins), store.NewCollapsingLowestDenseStore(sketchBins))}
}

func (l *latencies) add(ms float64) {
	l.sk.Add(ms) //nolint:errcheck // only NaN or negative values fail, and latencies are neither
	l.n++
	l.sum += ms
	if ms > l.max {
		l.max = ms
	}
}

func (l *latencies) merge(o *latencies) {
	if o.n == 0 {
		return
	}
	l.sk.MergeWith(o.sk) //nolint:errcheck // same mapping by construction
	l.n += o.n
	l.sum += o.sum
	l.max = math.Max(l.max, o.max)
}

func (l *latencies) reset() {
	l.sk.Clear()
	l.n, l.sum, l.max = 0, 0, 0
}

// quantile returns the q-quantile in milliseconds, results.Missing when
// no latency was recorded: a percentile of nothing does not exist. The
// result is capped at the exact max so percentiles stay monotone.
func (l *latencies) quantile(q float64) float64 {
	if l.n == 0 {
		return results.Missing()
	}
	v, err := l.sk.GetValueAtQuantile(q)
	if err != nil {
		return results.Missing()
	}
	return math.Min(v, l.max)
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
