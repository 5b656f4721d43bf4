package autoscale_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// TestPredictiveLead: with a 1 h period, a 5 min lead and a 1 min step,
// a spike of 1000 rps observed at 30..35 min is provisioned for one
// period later from 1 h 25 min — one lead time before it recurs — with
// 10% headroom: ceil(1000 × 1.1 / 100) = 11 instances. Outside the
// forecast spike the reactive inner policy (fixed at 2) decides.
func TestPredictiveLead(t *testing.T) {
	cfg := autoscale.PredictiveConfig{Metric: autoscale.MetricRPS, Target: 100, Period: hour, Lead: 5 * min_,
		Step: min_, Headroom: 0.1, Min: 1, Max: 50}
	p, err := autoscale.NewPredictive(cfg, &fixed{n: 2})
	if err != nil {
		t.Fatal(err)
	}
	load := func(at engine.Time) float64 {
		if m := (at % hour) / min_; m >= 30 && m < 35 {
			return 1000
		}
		return 100
	}
	for at := engine.Time(0); at < hour; at += 15 * sec { // first period: history only
		d, _ := p.Decide(autoscale.Observation{Now: at, Current: 2, Pods: ready(load(at)/2, load(at)/2)})
		if d.Desired != 2 {
			t.Fatalf("t=%v: %d without history, want the inner 2", at/sec, d.Desired)
		}
	}
	tests := []struct {
		name       string
		now        engine.Time
		want       int
		wantReason string
	}{
		{"forecast for 1h25m is 100: inner wins", hour + 20*min_, 2, "Fixed"},
		{"just before the lead window", hour + 25*min_ - 1, 2, "Fixed"},
		{"one lead before the recurring spike", hour + 25*min_, 11, autoscale.ReasonPredicted},
		{"through the spike's forecast", hour + 29*min_ + 59*sec, 11, autoscale.ReasonPredicted},
		{"after it", hour + 30*min_, 2, "Fixed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _ := p.Decide(autoscale.Observation{Now: tt.now, Current: 2, Pods: ready(50, 50)})
			if d.Desired != tt.want || d.Reason != tt.wantReason {
				t.Errorf("got %d %q, want %d %q", d.Desired, d.Reason, tt.want, tt.wantReason)
			}
		})
	}
	if fc, ok := p.Forecast(hour + 32*min_); !ok || fc != 1000 {
		t.Errorf("forecast at 1h32m %v %v, want 1000", fc, ok)
	}
}

// TestPredictiveBounds: never below the reactive policy, clamped to Max,
// and without an inner policy the forecast alone (which may scale in).
func TestPredictiveBounds(t *testing.T) {
	cfg := autoscale.PredictiveConfig{Metric: autoscale.MetricRPS, Target: 100, Period: 10 * min_, Lead: min_,
		Step: min_, Headroom: 0, Min: 1, Max: 8}
	history := func(p *autoscale.Predictive, total float64) {
		for at := engine.Time(0); at < 10*min_; at += min_ {
			p.Decide(autoscale.Observation{Now: at, Current: 1, Pods: ready(total)})
		}
	}
	tests := []struct {
		name       string
		inner      autoscale.Policy
		total      float64
		want       int
		wantReason string
	}{
		{"reactive wants more", &fixed{n: 6}, 300, 6, "Fixed"},
		{"forecast wants more", &fixed{n: 2}, 300, 3, autoscale.ReasonPredicted},
		{"clamped to max", &fixed{n: 2}, 5000, 8, autoscale.ReasonTooManyReplicas},
		{"reactive clamped to max", &fixed{n: 12}, 100, 8, autoscale.ReasonTooManyReplicas},
		{"forecast alone scales in", nil, 200, 2, autoscale.ReasonPredicted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := autoscale.NewPredictive(cfg, tt.inner)
			if err != nil {
				t.Fatal(err)
			}
			history(p, tt.total)
			d, _ := p.Decide(autoscale.Observation{Now: 10 * min_, Current: 5, Pods: ready(same(5, tt.total/5)...)})
			if d.Desired != tt.want || d.Reason != tt.wantReason {
				t.Errorf("got %d %q, want %d %q", d.Desired, d.Reason, tt.want, tt.wantReason)
			}
		})
	}
}

func TestNewPredictiveErrors(t *testing.T) {
	base := autoscale.DefaultPredictiveConfig()
	bad := []func(*autoscale.PredictiveConfig){
		func(c *autoscale.PredictiveConfig) { c.Lead = c.Period },
		func(c *autoscale.PredictiveConfig) { c.Target = 0 },
		func(c *autoscale.PredictiveConfig) { c.Step = 2 * c.Period },
		func(c *autoscale.PredictiveConfig) { c.Min = 20 },
	}
	for i, edit := range bad {
		cfg := base
		edit(&cfg)
		if _, err := autoscale.NewPredictive(cfg, nil); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
}
