package autoscale_test

import (
	"slices"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// The boundaries of horizontal.go's normalisation and of
// replica_calculator.go that Kubernetes' own test cases leave open. Each
// case cites the line of the controller it pins ([hz], [rc] as in
// hpa_test.go).

func window(d engine.Duration) *engine.Duration { return &d }

// TestHPANormalizeBoundaries pins the comparisons of
// convertDesiredReplicasWithBehaviorRate and convertDesiredReplicasWithRules
// (the legacy path) at equality: "if maximumAllowedReplicas >
// scaleUpLimit" names ScaleUpLimit only when the rate limit is strictly
// below maxReplicas, "if args.DesiredReplicas > maximumAllowedReplicas"
// caps only a desired count strictly above the limit (and the mirror
// images for scale-down), and the function clamps only a change: with
// desired = current it returns DesiredWithinRange even outside [min, max]
// (reconcileAutoscaler handles that case before normalising; Normalize
// exposes the function as it is).
func TestHPANormalizeBoundaries(t *testing.T) {
	pods := func(n int) []autoscale.ScalingPolicy {
		return []autoscale.ScalingPolicy{{Type: autoscale.PodsPolicy, Value: n, Period: min_}}
	}
	tests := []struct {
		name                 string
		cfg                  func(*autoscale.HPAConfig)
		state                *autoscale.HPAState
		now                  engine.Time
		current, recommended int
		want                 int
		wantReason           string
	}{
		{"scale-up limit equal to max: TooManyReplicas",
			func(c *autoscale.HPAConfig) {
				c.Max = 10
				c.Behavior.ScaleUp = &autoscale.ScalingRules{Policies: pods(5)}
			}, nil, 0, 5, 20, 10, autoscale.ReasonTooManyReplicas},
		{"desired equal to the scale-up limit is within range",
			func(c *autoscale.HPAConfig) {
				c.Max = 20
				c.Behavior.ScaleUp = &autoscale.ScalingRules{Policies: pods(5)}
			}, nil, 0, 5, 10, 10, autoscale.ReasonDesiredWithinRange},
		{"scale-down limit equal to min: TooFewReplicas",
			func(c *autoscale.HPAConfig) {
				c.Min, c.Max = 5, 20
				c.Behavior.ScaleDown = &autoscale.ScalingRules{StabilizationWindow: window(0), Policies: pods(5)}
			}, nil, 0, 10, 2, 5, autoscale.ReasonTooFewReplicas},
		{"desired equal to the scale-down limit is within range",
			func(c *autoscale.HPAConfig) {
				c.Min, c.Max = 1, 20
				c.Behavior.ScaleDown = &autoscale.ScalingRules{StabilizationWindow: window(0), Policies: pods(5)}
			}, nil, 0, 10, 5, 5, autoscale.ReasonDesiredWithinRange},
		{"no change above max is not clamped by the rate conversion",
			func(c *autoscale.HPAConfig) { c.Max = 10 }, nil, 0, 12, 12, 12, autoscale.ReasonDesiredWithinRange},
		{"no change below min is not clamped by the rate conversion",
			func(c *autoscale.HPAConfig) { c.Min = 3 }, nil, 0, 2, 2, 2, autoscale.ReasonDesiredWithinRange},
		// Legacy calculateScaleUpLimit: max(2×5, 4) = 10 = maxReplicas.
		{"legacy: scale-up limit equal to max: TooManyReplicas",
			func(c *autoscale.HPAConfig) { c.Legacy, c.Max = true, 10 }, nil, 0, 5, 20, 10, autoscale.ReasonTooManyReplicas},
		// Legacy stabilizeRecommendation drops a recommendation only if
		// "rec.timestamp.Before(cutoff)": one at exactly now − 5 min counts
		// (unlike the behavior path's strictly-newer window).
		{"legacy: recommendation at exactly the cutoff still counts",
			func(c *autoscale.HPAConfig) { c.Legacy = true },
			&autoscale.HPAState{Recommendations: []autoscale.TimedCount{{At: 0, Count: 10}}},
			5 * min_, 10, 3, 10, autoscale.ReasonScaleDownStabilized},
		// convertDesiredReplicasWithRules: "if desiredReplicas <
		// minimumAllowedReplicas" — a count equal to min is not raised.
		{"legacy: desired equal to min is within range",
			func(c *autoscale.HPAConfig) { c.Legacy, c.Min = true, 2 },
			&autoscale.HPAState{Recommendations: []autoscale.TimedCount{}}, 0, 4, 2, 2, autoscale.ReasonDesiredWithinRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHPA(t, tt.cfg)
			if tt.state != nil {
				h.Restore(*tt.state)
			}
			got, reason := h.Normalize(tt.now, tt.current, tt.recommended)
			if got != tt.want || reason != tt.wantReason {
				t.Errorf("got %d %s, want %d %s", got, reason, tt.want, tt.wantReason)
			}
		})
	}
}

// TestHPAHistory pins the history the HPA keeps, as State shows it.
// Stabilisation (stabilizeRecommendationWithBehaviors) reuses a
// recommendation slot only if "rec.timestamp.Before(upCutoff) &&
// rec.timestamp.Before(downCutoff)"; scale events (storeScaleEvent,
// markScaleEventsOutdated) record the size of each change in its
// direction and are outdated only when "event.timestamp.Before(cutoff)",
// cutoff = now − the direction's longest policy period (15 s by default).
// A decision that keeps the count stores no event.
func TestHPAHistory(t *testing.T) {
	type call struct {
		now               engine.Time
		current, proposed int
	}
	windows := func(up, down engine.Duration) func(*autoscale.HPAConfig) {
		return func(c *autoscale.HPAConfig) {
			c.Behavior.ScaleUp = &autoscale.ScalingRules{StabilizationWindow: window(up)}
			c.Behavior.ScaleDown = &autoscale.ScalingRules{StabilizationWindow: window(down)}
		}
	}
	tc := func(at engine.Time, n int) autoscale.TimedCount { return autoscale.TimedCount{At: at, Count: n} }
	tests := []struct {
		name            string
		cfg             func(*autoscale.HPAConfig)
		state           *autoscale.HPAState
		calls           []call
		wantRecs        []autoscale.TimedCount // nil: not checked
		wantUp, wantDwn []autoscale.TimedCount
	}{
		{"recommendation at exactly the scale-up cutoff is kept",
			windows(min_, 30*sec), &autoscale.HPAState{Recommendations: []autoscale.TimedCount{tc(0, 5)}},
			[]call{{min_, 5, 5}}, []autoscale.TimedCount{tc(0, 5), tc(min_, 5)}, nil, nil},
		{"recommendation at exactly the scale-down cutoff is kept",
			windows(30*sec, min_), &autoscale.HPAState{Recommendations: []autoscale.TimedCount{tc(0, 5)}},
			[]call{{min_, 5, 5}}, []autoscale.TimedCount{tc(0, 5), tc(min_, 5)}, nil, nil},
		{"recommendation older than both windows is replaced",
			windows(30*sec, 30*sec), &autoscale.HPAState{Recommendations: []autoscale.TimedCount{tc(0, 5)}},
			[]call{{min_, 5, 5}}, []autoscale.TimedCount{tc(min_, 5)}, nil, nil},
		{"no change, no scale event", nil, nil,
			[]call{{0, 4, 4}}, nil, nil, nil},
		{"a scale-up records its size", nil, nil,
			[]call{{0, 2, 5}}, nil, []autoscale.TimedCount{tc(0, 3)}, nil},
		{"a scale-down records its size", windows(0, 0), nil,
			[]call{{0, 5, 2}}, nil, nil, []autoscale.TimedCount{tc(0, 3)}},
		{"two scale-ups within the period are both kept", nil, nil,
			[]call{{0, 2, 3}, {5 * sec, 3, 4}}, nil, []autoscale.TimedCount{tc(0, 1), tc(5*sec, 1)}, nil},
		{"an event at exactly now − period is not outdated", nil, nil,
			[]call{{0, 2, 3}, {15 * sec, 3, 4}}, nil, []autoscale.TimedCount{tc(0, 1), tc(15*sec, 1)}, nil},
		{"an event older than the period is outdated", nil, nil,
			[]call{{0, 2, 3}, {16 * sec, 3, 4}}, nil, []autoscale.TimedCount{tc(16*sec, 1)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			if cfg == nil {
				cfg = func(*autoscale.HPAConfig) {}
			}
			h := newHPA(t, cfg)
			if tt.state != nil {
				h.Restore(*tt.state)
			}
			for _, c := range tt.calls {
				h.Normalize(c.now, c.current, c.proposed)
			}
			s := h.State()
			if tt.wantRecs != nil && !slices.Equal(s.Recommendations, tt.wantRecs) {
				t.Errorf("recommendations %v, want %v", s.Recommendations, tt.wantRecs)
			}
			if !slices.Equal(s.ScaleUps, tt.wantUp) || !slices.Equal(s.ScaleDowns, tt.wantDwn) {
				t.Errorf("scale-ups %v downs %v, want %v %v", s.ScaleUps, s.ScaleDowns, tt.wantUp, tt.wantDwn)
			}
		})
	}
}

// TestHPACalculatorBoundaries pins replica_calculator.go's comparisons at
// equality:
//   - "scaleUpWithUnready := len(unreadyPods) > 0 && usageRatio > 1.0":
//     at a ratio of exactly 1 unready pods are not added;
//   - missing pods are filled in only "if usageRatio < 1.0" (scale-down)
//     or "> 1.0" (scale-up), not at exactly 1;
//   - the direction guard "(newUsageRatio < 1.0 && newReplicas >
//     currentReplicas) || (newUsageRatio > 1.0 && newReplicas <
//     currentReplicas)" is strict: a proposal equal to the current count
//     is an ordinary proposal, not a reversal;
//   - groupPods: a pod is in its CPU initialisation period while
//     "StartTime.Add(cpuInitializationPeriod).After(now)" (so not at
//     exactly start + 5 min); within it a sample is stale if
//     "metric.Timestamp.Before(LastTransitionTime.Add(metric.Window))"
//     (so not at exactly ready + window), and here only when a window is
//     given (Observation.MetricWindow > 0); after it an unready pod is
//     ignored if "StartTime.Add(delayOfInitialReadinessStatus).After(
//     LastTransitionTime)", so not one whose readiness changed at exactly
//     start + 30 s.
func TestHPACalculatorBoundaries(t *testing.T) {
	cpu := func(c *autoscale.HPAConfig) { c.Metric, c.Target = autoscale.MetricCPU, 0.5 }
	rps := func(c *autoscale.HPAConfig) { c.Metric, c.Target = autoscale.MetricRPS, 10 }
	missing := func(n int) []autoscale.PodSample {
		ps := make([]autoscale.PodSample, n)
		for i := range ps {
			ps[i].Ready = true
		}
		return ps
	}
	pod := func(start, readyAt engine.Time, isReady bool, v float64) autoscale.PodSample {
		return autoscale.PodSample{Ready: isReady, HasMetric: true, Metric: v, StartedAt: start, ReadyAt: readyAt}
	}
	tests := []struct {
		name       string
		cfg        func(*autoscale.HPAConfig)
		obs        autoscale.Observation
		want       int
		wantReason string
	}{
		{"ratio exactly 1 with unready pods: within tolerance", cpu,
			autoscale.Observation{Now: hour, Current: 4, Pods: with(ready(0.5, 0.5), pending(2))}, 4, autoscale.ReasonWithinTolerance},
		{"ratio exactly 1 with missing pods: within tolerance", cpu,
			autoscale.Observation{Now: hour, Current: 4, Pods: with(ready(0.5, 0.5), missing(2))}, 4, autoscale.ReasonWithinTolerance},
		// Scale-down: 3 at 5 rps, 1 missing at the target 10: 25/4 = 6.25,
		// ratio 0.625, ceil(0.625 × 4) = 3 = current.
		{"scale-down proposal equal to current is not a reversal", rps,
			autoscale.Observation{Now: hour, Current: 3, Pods: with(ready(5, 5, 5), missing(1))}, 3, ""},
		// Scale-up: 1 at 40 rps, 2 missing at 0: 40/3 = 13.333, ratio
		// 1.3333, ceil(1.3333 × 3) = 4 = current.
		{"scale-up proposal equal to current is not a reversal", rps,
			autoscale.Observation{Now: hour, Current: 4, Pods: with(ready(40), missing(2))}, 4, ""},
		// Both pods counted: (100% + 50%)/2 = 75%, ratio 1.5, 3 pods. Had
		// the first been taken as still initialising with a stale sample,
		// the second alone is on target.
		{"cpu initialisation ends at exactly start + 5 min", cpu,
			autoscale.Observation{Now: 5 * min_, Current: 2, MetricAt: 5 * min_, MetricWindow: min_,
				Pods: []autoscale.PodSample{pod(0, 4*min_+30*sec, true, 1.0), pod(0, 0, true, 0.5)}}, 3, ""},
		{"no metric window: a sample is never stale", cpu,
			autoscale.Observation{Now: min_, Current: 1, Pods: []autoscale.PodSample{pod(0, 10*sec, true, 1.0)}}, 2, ""},
		{"sample taken exactly one window after readiness is fresh", cpu,
			autoscale.Observation{Now: min_, Current: 1, MetricAt: 40 * sec, MetricWindow: 30 * sec,
				Pods: []autoscale.PodSample{pod(0, 10*sec, true, 1.0)}}, 2, ""},
		{"unready pod that became ready at exactly start + 30 s is counted", cpu,
			autoscale.Observation{Now: 10 * min_, Current: 2,
				Pods: []autoscale.PodSample{pod(0, 0, true, 1.0), pod(0, 30*sec, false, 1.0)}}, 4, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newHPA(t, tt.cfg).Recommend(tt.obs)
			if r.Replicas != tt.want || r.Reason != tt.wantReason {
				t.Errorf("got %d %q, want %d %q", r.Replicas, r.Reason, tt.want, tt.wantReason)
			}
		})
	}
}

// TestHPADecideAtBounds pins reconcileAutoscaler's bound checks: "if
// currentReplicas > hpa.Spec.MaxReplicas" and "else if currentReplicas <
// minReplicas" are strict, so at exactly max or min the metrics decide.
func TestHPADecideAtBounds(t *testing.T) {
	tests := []struct {
		name       string
		current    int
		pods       []autoscale.PodSample
		want       int
		wantReason string
	}{
		{"current at max, on target", 5, ready(same(5, 0.5)...), 5, autoscale.ReasonWithinTolerance},
		{"current at min, on target", 2, ready(same(2, 0.5)...), 2, autoscale.ReasonWithinTolerance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHPA(t, func(c *autoscale.HPAConfig) { c.Target, c.Min, c.Max = 0.5, 2, 5 })
			d, _ := h.Decide(autoscale.Observation{Now: hour, Current: tt.current, Pods: tt.pods})
			if d.Desired != tt.want || d.Reason != tt.wantReason {
				t.Errorf("got %d %s, want %d %s", d.Desired, d.Reason, tt.want, tt.wantReason)
			}
		})
	}
}
