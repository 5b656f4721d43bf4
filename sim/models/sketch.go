package models

import (
	"math"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"

	"github.com/clustersim/clustersim/sim/results"
)

// sketchAccuracy is the DDSketch relative accuracy: every quantile it
// reports is within 0.5% of the exact quantile's value, half the 1% the
// output contract allows.
const sketchAccuracy = 0.005

// sketchBins bounds a sketch's memory: at 0.5% accuracy, 4096 bins span
// about 17 decades, far more than latencies from a nanosecond to a day.
const sketchBins = 4096

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

// quantile returns the q-quantile in milliseconds, 0 when empty. The result
// is capped at the exact max so percentiles stay monotone.
func (l *latencies) quantile(q float64) float64 {
	if l.n == 0 {
		return 0
	}
	v, err := l.sk.GetValueAtQuantile(q)
	if err != nil {
		return 0
	}
	return math.Min(v, l.max)
}

func (l *latencies) mean() float64 {
	if l.n == 0 {
		return 0
	}
	return l.sum / float64(l.n)
}

// summary returns the contract's latency block.
func (l *latencies) summary() results.Latency {
	return results.Latency{
		Mean: l.mean(), P50: l.quantile(0.5), P90: l.quantile(0.9), P95: l.quantile(0.95),
		P99: l.quantile(0.99), P999: l.quantile(0.999), Max: l.max,
	}
}
