package autoscale_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// TestDefaultPredictiveConfig pins the documented defaults: rps at 100 per
// instance, a 24 h period, a 5 min lead, a 15 s step, 10% headroom and
// bounds 1..10.
func TestDefaultPredictiveConfig(t *testing.T) {
	want := autoscale.PredictiveConfig{Metric: autoscale.MetricRPS, Target: 100, Period: 24 * hour, Lead: 5 * min_,
		Step: 15 * sec, Headroom: 0.1, Min: 1, Max: 10}
	if got := autoscale.DefaultPredictiveConfig(); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

// TestPredictiveHistory pins Predictive's forecast history (its doc
// comment): one sample per Step, the largest load seen in that step,
// covering one Period; a sync without a load signal records nothing (no
// sample is not a load of 0); and there is no forecast for a time whose
// source, one Period earlier, precedes the history (before the first
// Period has elapsed). Period 60 s, step 15 s, no inner policy.
func TestPredictiveHistory(t *testing.T) {
	type rec struct {
		at   engine.Time
		pods []autoscale.PodSample
	}
	tests := []struct {
		name   string
		recs   []rec
		t      engine.Time // forecast time
		want   float64
		wantOK bool
	}{
		{"largest load of the step", []rec{{0, ready(100)}, {5 * sec, ready(300)}, {10 * sec, ready(200)}}, min_, 300, true},
		{"largest load of the step, rising", []rec{{0, ready(50)}, {5 * sec, ready(100)}}, min_, 100, true},
		{"samples in different steps stay apart", []rec{{10 * sec, ready(100)}, {20 * sec, ready(500)}}, min_, 100, true},
		{"sum over running instances with samples", []rec{{0, with(ready(100, 50), pending(1))}}, min_, 150, true},
		{"no load signal, no sample", []rec{{0, pending(2)}}, min_, 0, false},
		{"a sample more than a period old is gone", []rec{{0, ready(100)}, {75 * sec, ready(200)}}, min_, 0, false},
		{"before the history starts", []rec{{0, ready(100)}, {15 * sec, ready(200)}}, 55 * sec, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := autoscale.NewPredictive(autoscale.PredictiveConfig{Metric: autoscale.MetricRPS, Target: 100,
				Period: min_, Step: 15 * sec, Min: 0, Max: 100}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range tt.recs {
				p.Decide(autoscale.Observation{Now: r.at, Current: 1, Pods: r.pods})
			}
			if got, ok := p.Forecast(tt.t); got != tt.want || ok != tt.wantOK {
				t.Errorf("Forecast(%ds) = %v %v, want %v %v", tt.t/sec, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// TestPredictiveFirstPeriod: during the first Period no forecast exists
// even when now + Lead − Period falls less than one step before 0, so
// the policy holds the current count; after one Period it provisions
// ceil(forecast/Target) and reports the forecast and its ratio to the
// current capacity, forecast/(Target × current).
func TestPredictiveFirstPeriod(t *testing.T) {
	p, err := autoscale.NewPredictive(autoscale.PredictiveConfig{Metric: autoscale.MetricRPS, Target: 100,
		Period: min_, Lead: 40 * sec, Step: 15 * sec, Min: 1, Max: 100}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []engine.Time{0, 15 * sec} {
		d, _ := p.Decide(autoscale.Observation{Now: at, Current: 2, Pods: ready(150, 150)})
		if d.Desired != 2 || d.Reason != autoscale.ReasonDesiredWithinRange {
			t.Fatalf("t=%ds: %d %s, want 2 %s", at/sec, d.Desired, d.Reason, autoscale.ReasonDesiredWithinRange)
		}
	}
	// now 20 s: forecast for 60 s is the step at 0 (300).
	d, _ := p.Decide(autoscale.Observation{Now: 20 * sec, Current: 2, Pods: ready(150, 150)})
	if d.Desired != 3 || d.Reason != autoscale.ReasonPredicted || d.Metric != 300 || d.Ratio != 1.5 {
		t.Fatalf("got %+v, want 3 %s metric 300 ratio 1.5", d, autoscale.ReasonPredicted)
	}
}
