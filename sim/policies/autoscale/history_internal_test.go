package autoscale

import (
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
)

// TestFloorDiv pins floorDiv as floor division (rounding toward −∞), which
// maps times before 0 (now + Lead − Period early in a run) to negative
// history slots instead of truncating them onto slot 0.
func TestFloorDiv(t *testing.T) {
	tests := []struct{ a, b, want int64 }{
		{0, 15, 0}, {1, 15, 0}, {14, 15, 0}, {15, 15, 1}, {29, 15, 1}, {30, 15, 2},
		{-1, 15, -1}, {-14, 15, -1}, {-15, 15, -1}, {-16, 15, -2}, {-30, 15, -2},
		{7, -2, -4}, {-7, -2, 3}, {-8, -2, 4},
	}
	for _, tt := range tests {
		if got := floorDiv(tt.a, tt.b); got != tt.want {
			t.Errorf("floorDiv(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestHPAHistoryBounded pins the slot reuse of horizontal.go's histories
// (stabilizeRecommendationWithBehaviors reuses a recommendation older than
// both windows, storeScaleEvent an outdated event): an HPA scaling up by
// one every 20 s with 0 s windows and 15 s policies keeps a bounded
// history instead of one entry per decision.
func TestHPAHistoryBounded(t *testing.T) {
	zero := engine.Duration(0)
	cfg := DefaultHPAConfig()
	cfg.Max = 100
	cfg.Behavior.ScaleDown = &ScalingRules{StabilizationWindow: &zero}
	h, err := NewHPA(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		h.Normalize(engine.Time(i)*20*engine.Time(Second), 1+i, 2+i)
	}
	if len(h.recommendations) != 2 || len(h.upEvents) != 1 {
		t.Fatalf("history grew: %d recommendations, %d scale-up events", len(h.recommendations), len(h.upEvents))
	}
}
