package models_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
)

// A keep-alive drawn from a constant distribution of 10 s behaves as the
// fixed 10 s keep-alive: the hand-computed cases of
// TestFunctionColdStartsByKeepAlive (every request cold when 20 s apart,
// only the first when 5 s apart).
func TestKeepAliveDistConstant(t *testing.T) {
	fn := models.DefaultFunctionSpec()
	fn.KeepAliveDist = dist.Spec{Kind: "constant", Mean: 10}
	fn.ColdStart = dist.Spec{Kind: "constant", Mean: 0.2}
	for _, c := range []struct {
		rate                 float64
		requests, coldStarts int64
	}{{1.0 / 20, 10, 10}, {1.0 / 5, 40, 1}} {
		_, s := fnRun(t, 205*engine.Second, c.rate, 0.1, fn, 0.5)
		if sv := s.Services["fn"]; sv.Requests.OK != c.requests || sv.ColdStarts != c.coldStarts {
			t.Errorf("rate %v: ok %d cold starts %d, want %d and %d", c.rate, sv.Requests.OK, sv.ColdStarts, c.requests, c.coldStarts)
		}
	}
}

// A keep-alive drawn afresh per idle period, uniform from 1 to 3 minutes
// (as measurements found Lambda's between 5 and 7: a spread, not one
// figure): with one 100 ms request every 2 minutes the environment idles
// 119.9 s, and is gone by the next request when its draw is under that,
// with probability (119.9 − 60) / 120 = 0.49917. Over 2,000 requests the
// cold starts are 1 + Binomial(1,999, 0.49917): 999 ± 4 × 22.4.
func TestKeepAliveDistUniform(t *testing.T) {
	fn := models.DefaultFunctionSpec()
	fn.KeepAliveDist = dist.Spec{Kind: "uniform", Min: 60, Max: 180}
	_, s := fnRun(t, 4000*engine.Minute+engine.Second, 1.0/120, 0.1, fn, 0.5)
	sv := s.Services["fn"]
	if sv.Requests.OK != 2000 {
		t.Fatalf("%d requests answered, want 2000", sv.Requests.OK)
	}
	want := 1 + 1999*(119.9-60)/120
	if math.Abs(float64(sv.ColdStarts)-want) > 4*22.4 {
		t.Errorf("%d cold starts, want %.0f ± 90", sv.ColdStarts, want)
	}
}
