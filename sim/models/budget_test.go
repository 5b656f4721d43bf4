package models_test

import (
	"errors"
	"testing"

	"github.com/clustersim/clustersim/reports"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
)

// TestStopEarly checks that a run stopped by a budget returns the figures
// of the time simulated, marked incomplete, and that a stop during the
// warm-up is an error rather than figures divided by zero.
func TestStopEarly(t *testing.T) {
	cfg := mm8(200_000, 0) // about 312 s, 400,000 events
	c, err := models.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	sum, err := c.Run(nil, func(engine.Time) {
		if calls++; calls == 2 {
			c.StopEarly("--max-events 131072 reached")
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Incomplete || sum.StopReason != "--max-events 131072 reached" {
		t.Errorf("incomplete %v, reason %q", sum.Incomplete, sum.StopReason)
	}
	if sum.Events != 2*65536 {
		t.Errorf("events %d, want %d", sum.Events, 2*65536)
	}
	if sum.SimDurationS <= 0 || sum.SimDurationS >= 300 {
		t.Errorf("sim_duration_s %v, want the time reached (about 100 s)", sum.SimDurationS)
	}
	if got := sum.ThroughputRPS; got < 600 || got > 680 {
		t.Errorf("throughput %v, want about 640", got)
	}
	// summary.json's writer: a missing figure (a key affinity without
	// keys) is null, which plain json.Marshal cannot write.
	if _, err := reports.MarshalSummary(sum); err != nil {
		t.Error(err)
	}

	cfg.Warmup = 250 * engine.Second
	c, _ = models.New(cfg)
	_, err = c.Run(nil, func(engine.Time) { c.StopEarly("--max-wall 1s reached") })
	if !errors.Is(err, models.ErrStoppedInWarmup) {
		t.Errorf("stop in warm-up: %v", err)
	}
}
