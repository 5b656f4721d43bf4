package autoscale_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// fixed is an inner policy that always wants n, honouring bounds set on
// it.
type fixed struct{ n, lo, hi int }

func (f *fixed) Name() string         { return "fixed" }
func (f *fixed) SetBounds(lo, hi int) { f.lo, f.hi = lo, hi }
func (f *fixed) Decide(autoscale.Observation) (autoscale.Decision, error) {
	return autoscale.Decision{Desired: f.n, Recommended: f.n, Reason: "Fixed"}, nil
}

// TestScheduled: the bounds in force are those of the last action at or
// before now (like Application Auto Scaling scheduled actions, which set
// MinCapacity/MaxCapacity at a time); an action with a desired count sets
// it once when it takes effect.
func TestScheduled(t *testing.T) {
	actions := []autoscale.ScheduledAction{
		{At: 10 * min_, Min: 5, Max: 20, Desired: 8, HasDesired: true},
		{At: 20 * min_, Min: 1, Max: 4},
	}
	inner := &fixed{n: 3}
	s, err := autoscale.NewScheduled(actions, inner)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		now        engine.Time
		want       int
		wantReason string
		lo, hi     int // bounds reported by Bounds; hi 0 for none
	}{
		{"before any action the inner policy decides alone", 5 * min_, 3, "Fixed", 0, 0},
		{"an action's desired count applies once", 10 * min_, 8, autoscale.ReasonScheduledAction, 5, 20},
		{"then the inner policy, clamped to the action's min", 11 * min_, 5, autoscale.ReasonTooFewReplicas, 5, 20},
		{"still in force just before the next action", 20*min_ - 1, 5, autoscale.ReasonTooFewReplicas, 5, 20},
		{"the next action's bounds", 20 * min_, 3, "Fixed", 1, 4},
		{"the last action stays in force", 30 * hour, 3, "Fixed", 1, 4},
	}
	current := 2
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _ := s.Decide(autoscale.Observation{Now: tt.now, Current: current})
			if d.Desired != tt.want || d.Reason != tt.wantReason {
				t.Errorf("got %d %q, want %d %q", d.Desired, d.Reason, tt.want, tt.wantReason)
			}
			lo, hi, ok := s.Bounds(tt.now)
			if ok != (tt.hi != 0) || lo != tt.lo || hi != tt.hi {
				t.Errorf("bounds %d..%d %v, want %d..%d", lo, hi, ok, tt.lo, tt.hi)
			}
			current = d.Desired
		})
	}
	if inner.lo != 1 || inner.hi != 4 {
		t.Errorf("inner bounds %d..%d, want 1..4 (SetBounds on each action)", inner.lo, inner.hi)
	}
}

// TestScheduledHPA: a scheduled action raising minReplicas makes the
// inner HPA move to it (horizontal.go: current below minReplicas).
func TestScheduledHPA(t *testing.T) {
	h := newHPA(t, func(c *autoscale.HPAConfig) { c.Metric, c.Target, c.Min, c.Max = autoscale.MetricRPS, 10, 1, 10 })
	s, err := autoscale.NewScheduled([]autoscale.ScheduledAction{{At: hour, Min: 6, Max: 30}}, h)
	if err != nil {
		t.Fatal(err)
	}
	run(t, s, 2, []tick{
		{hour - 15*sec, spread(20), 2, autoscale.ReasonWithinTolerance},
		{hour, spread(20), 6, autoscale.ReasonBelowMin},
		{hour + 15*sec, spread(300), 12, autoscale.ReasonScaleUpLimit}, // max(6+4, 2×6) = 12 < 30
	})
}

func TestScheduledAlone(t *testing.T) {
	s, err := autoscale.NewScheduled([]autoscale.ScheduledAction{{At: hour, Min: 3, Max: 5}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	run(t, s, 8, []tick{
		{0, pending, 8, autoscale.ReasonNoSchedule},
		{hour, pending, 5, autoscale.ReasonTooManyReplicas},
		{2 * hour, pending, 5, autoscale.ReasonDesiredWithinRange},
	})
}

func TestNewScheduledErrors(t *testing.T) {
	bad := [][]autoscale.ScheduledAction{
		{{At: 2, Min: 1, Max: 2}, {At: 1, Min: 1, Max: 2}},
		{{At: 1, Min: 3, Max: 2}},
		{{At: 1, Min: 1, Max: 2, Desired: 5, HasDesired: true}},
	}
	for i, a := range bad {
		if _, err := autoscale.NewScheduled(a, nil); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
}
