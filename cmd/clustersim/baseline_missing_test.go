package main

import (
	"math"
	"testing"
)

// TestBaselineMissingFigure: a latency the baseline had and this run has
// not (nothing succeeded: the figure is null) is a regression, printed as
// missing; a figure the baseline lacks is not compared.
func TestBaselineMissingFigure(t *testing.T) {
	before := []byte(`{"latency_ms": {"p99": 120}, "cost": {"total_usd": 1}}`)
	after := []byte(`{"latency_ms": {"p99": null, "p50": 3}, "cost": {"total_usd": 1}}`)
	cmps, err := compareBaseline(before, after, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]comparison{}
	for _, c := range cmps {
		got[c.metric] = c
	}
	if c, ok := got["latency_ms.p99"]; !ok || !c.regressed || !math.IsNaN(c.after) || change(c.before, c.after) != "missing" {
		t.Errorf("p99 gone: %+v, want a regression to missing", c)
	}
	if _, ok := got["latency_ms.p50"]; ok {
		t.Error("p50 is not in the baseline and must not be compared")
	}
	if c := got["cost.total_usd"]; c.regressed {
		t.Errorf("unchanged cost regressed: %+v", c)
	}
}
