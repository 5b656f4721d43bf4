package engine_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
)

// TestSaturation pins the saturating conversions: a duration computed in
// floating point or by addition never wraps around (issue 11).
func TestSaturation(t *testing.T) {
	maxD, end := engine.MaxDuration, engine.End
	add := []struct {
		t    engine.Time
		d    engine.Duration
		want engine.Time
	}{
		{5, 3, 8},
		{5, -3, 2},
		{end - 1, 1, end},
		{end - 1, 2, end},
		{1, maxD, end},
		{end, maxD, end},
		{-5, -maxD, math.MinInt64},
	}
	for _, c := range add {
		if got := c.t.Add(c.d); got != c.want {
			t.Errorf("%d.Add(%d) = %d, want %d", c.t, c.d, got, c.want)
		}
	}
	secs := []struct {
		s    float64
		want engine.Duration
	}{
		{1.5, 1500 * engine.Millisecond},
		{-1e-9, -1},
		{0.4e-9, 0},
		{9.3e9, maxD},
		{1e300, maxD},
		{math.Inf(1), maxD},
		{math.NaN(), maxD},
		{-1e300, -maxD},
		{9.2e9 - 1e3, engine.Duration(9.2e18 - 1e12)},
	}
	for _, c := range secs {
		if got := engine.FromSeconds(c.s); got != c.want {
			t.Errorf("FromSeconds(%v) = %d, want %d", c.s, got, c.want)
		}
	}
	scale := []struct {
		d    engine.Duration
		f    float64
		want engine.Duration
	}{
		{10, 1.55, 15},
		{engine.Second, 1e300, maxD},
		{-engine.Second, 1e300, -maxD},
		{maxD, 1, maxD},
	}
	for _, c := range scale {
		if got := c.d.Scale(c.f); got != c.want {
			t.Errorf("%d.Scale(%v) = %d, want %d", c.d, c.f, got, c.want)
		}
	}
	mul := []struct {
		d    engine.Duration
		n    int64
		want engine.Duration
	}{
		{3, 4, 12},
		{-3, 4, -12},
		{maxD / 2, 2, maxD - 1},
		{maxD/2 + 1, 2, maxD},
		{maxD, -2, -maxD},
		{math.MinInt64, 1, -maxD},
	}
	for _, c := range mul {
		if got := c.d.Mul(c.n); got != c.want {
			t.Errorf("%d.Mul(%d) = %d, want %d", c.d, c.n, got, c.want)
		}
	}
}
