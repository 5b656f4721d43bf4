package autoscale_test

import (
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// TestHPAPodStates pins how each pod state reaches the replica
// calculator, with the answer worked by hand from Kubernetes'
// replica_calculator.go (groupPods, GetResourceReplicas, GetMetricReplicas,
// GetExternalPerPodMetricReplicas). CPU initialisation period 5 min and
// initial readiness delay 30 s are the controller's defaults
// (--horizontal-pod-autoscaler-cpu-initialization-period,
// --horizontal-pod-autoscaler-initial-readiness-delay); the metric window
// is metrics-server's 15 s resolution. Decisions are at t = 1 h.
func TestHPAPodStates(t *testing.T) {
	const now = 60 * min_
	old := engine.Time(now - 10*min_) // started 10 minutes ago: past the CPU initialisation period
	running := func(cpu float64) autoscale.PodSample {
		return autoscale.PodSample{Ready: true, HasMetric: true, Metric: cpu, StartedAt: old, ReadyAt: old + sec}
	}
	many := func(n int, p autoscale.PodSample) []autoscale.PodSample {
		out := make([]autoscale.PodSample, n)
		for i := range out {
			out[i] = p
		}
		return out
	}
	// wasReady: a pod older than 5 min, ready once, now failing its probe
	// (unready since 1 min).
	wasReady := func(cpu float64) autoscale.PodSample {
		p := running(cpu)
		p.Ready, p.ReadyAt = false, now-min_
		return p
	}
	// neverReady: a pod older than 5 min that never became ready (its
	// Ready condition last changed within 30 s of its start).
	neverReady := func(cpu float64) autoscale.PodSample {
		p := running(cpu)
		p.Ready, p.ReadyAt = false, old
		return p
	}
	// young: started 2 min ago (inside the CPU initialisation period),
	// ready since readyAgo.
	young := func(cpu float64, readyAgo engine.Duration) autoscale.PodSample {
		return autoscale.PodSample{Ready: true, HasMetric: true, Metric: cpu, StartedAt: now - 2*min_, ReadyAt: engine.Time(now).Add(-readyAgo)}
	}
	pending := autoscale.PodSample{Phase: autoscale.PodPending}
	missing := autoscale.PodSample{Ready: true, StartedAt: old, ReadyAt: old}
	terminating := autoscale.PodSample{Phase: autoscale.PodTerminating, Ready: true, HasMetric: true, Metric: 1, StartedAt: old, ReadyAt: old}

	tests := []struct {
		name   string
		metric autoscale.MetricKind
		target float64
		pods   []autoscale.PodSample
		noExt  bool // no external sample
		ext    float64
		want   int
		reason string
	}{
		// Issue 9's first example: 5 ready + 5 unready-but-once-ready
		// pods, all at 100%, target 50%. Past the initialisation period
		// only never-ready pods are unready for CPU, so all 10 count:
		// ratio 2, ceil(2 × 10) = 20.
		{"unready pods that were ready count with their metric", autoscale.MetricCPU, 0.5,
			append(many(5, running(1)), many(5, wasReady(1))...), false, 0, 20, ""},
		// Never ready: unready. 5 counted at 100% (ratio 2 > 1, scale-up
		// with unready): the 5 unready count as 0 → ratio (500/10)/50 = 1
		// exactly: within tolerance, keep 10.
		{"never-ready pods are unready for cpu", autoscale.MetricCPU, 0.5,
			append(many(5, running(1)), many(5, neverReady(1))...), false, 0, 10, autoscale.ReasonWithinTolerance},
		// Readiness does not matter for a Pods metric: 10 counted at 100
		// rps, target 50 → 20.
		{"readiness is ignored for pods metrics", autoscale.MetricRPS, 50,
			append(many(5, running(100)), many(5, neverReady(100))...), false, 0, 20, ""},
		// Issue 9's second example: 8 pods at 20% plus 2 pods ready 10 s
		// ago (inside the initialisation period, their 15 s window began
		// before readiness): unready, ignored on a scale-down. 8 × 20% at
		// target 50%: ratio 0.4, ceil(0.4 × 8) = 4.
		{"just-ready pods are ignored on a scale-down", autoscale.MetricCPU, 0.5,
			append(many(8, running(0.2)), many(2, young(0.9, 10*sec))...), false, 0, 4, ""},
		// Ready 1 min ago, a full window since: counted. 10 × 20%: ratio
		// 0.4 → 4.
		{"young pods ready for a full window count", autoscale.MetricCPU, 0.5,
			append(many(8, running(0.2)), many(2, young(0.2, min_))...), false, 0, 4, ""},
		// Young and unready: unready. 8 × 100% at 50%: ratio 2 > 1 with 2
		// unready at 0 → (800/10)/50 = 1.6, ceil(1.6 × 10) = 16.
		{"young unready pods count as 0 on a scale-up", autoscale.MetricCPU, 0.5,
			append(many(8, running(1)), func() []autoscale.PodSample {
				p := young(1, 10*sec)
				p.Ready = false
				return many(2, p)
			}()...), false, 0, 16, ""},
		// Pending pods are unready for every metric: 4 at 100 rps, target
		// 50 (ratio 2), 2 pending at 0 → 400/6/50 = 1.333 → ceil(8) = 8.
		{"pending pods count as 0 on a scale-up", autoscale.MetricRPS, 50,
			append(many(4, running(100)), pending, pending), false, 0, 8, ""},
		// ... and are left out of a scale-down: 4 at 10 rps, target 50 →
		// ratio 0.2, ceil(0.8) = 1.
		{"pending pods are ignored on a scale-down", autoscale.MetricRPS, 50,
			append(many(4, running(10)), pending, pending), false, 0, 1, ""},
		// Missing sample on a scale-down: assumed at 100% of the request.
		// 4 × 20% + 1 × 100% = 180/5 = 36% at target 50%: ratio 0.72 →
		// ceil(0.72 × 5) = 4.
		{"a missing sample is 100% on a scale-down", autoscale.MetricCPU, 0.5,
			append(many(4, running(0.2)), missing), false, 0, 4, ""},
		// ... and 0 on a scale-up: 4 × 100% + 0 = 80% at 50%: 1.6 → 8.
		{"a missing sample is 0 on a scale-up", autoscale.MetricCPU, 0.5,
			append(many(4, running(1)), missing), false, 0, 8, ""},
		// No pod has a sample (the first sync, before any collection is
		// visible): FailedGetResourceMetric, keep the current count.
		{"no samples at all: hold", autoscale.MetricCPU, 0.5,
			many(5, missing), false, 0, 5, autoscale.ReasonFailedGetResource},
		{"no samples for a pods metric: hold", autoscale.MetricInFlight, 4,
			many(5, missing), false, 0, 5, autoscale.ReasonFailedGetPods},
		// Terminating pods are ignored entirely: 4 × 100% at 50% → 8.
		{"terminating pods are ignored", autoscale.MetricCPU, 0.5,
			append(many(4, running(1)), terminating, terminating), false, 0, 8, ""},
		// No external sample: FailedGetExternalMetric, hold.
		{"no external sample: hold", autoscale.MetricQueue, 10,
			many(5, running(0)), true, 0, 5, autoscale.ReasonFailedGetExternal},
		// An external sample of 0 is a sample: ceil(0/10) = 0, bounded by
		// min 1.
		{"an external sample of zero scales in", autoscale.MetricQueue, 10,
			many(5, running(0)), false, 0, 1, autoscale.ReasonTooFewReplicas},
		// CPU above the request (a limit above it): 5 × 150% at 50% →
		// ratio 3 → 15.
		{"cpu above 100% of the request", autoscale.MetricCPU, 0.5,
			many(5, running(1.5)), false, 0, 15, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := autoscale.DefaultHPAConfig()
			cfg.Metric, cfg.Target, cfg.Min, cfg.Max = tt.metric, tt.target, 1, 100
			zero := engine.Duration(0)
			cfg.Behavior.ScaleDown = &autoscale.ScalingRules{StabilizationWindow: &zero}
			cfg.Behavior.ScaleUp = &autoscale.ScalingRules{Policies: []autoscale.ScalingPolicy{{Type: autoscale.PodsPolicy, Value: 100, Period: 15 * sec}}}
			h, err := autoscale.NewHPA(cfg)
			if err != nil {
				t.Fatal(err)
			}
			obs := autoscale.Observation{Now: now, Current: len(tt.pods), Pods: tt.pods,
				MetricAt: now - 5*sec, MetricWindow: 15 * sec}
			for _, p := range tt.pods {
				if p.Phase == autoscale.PodTerminating {
					obs.Current--
				}
			}
			if tt.metric == autoscale.MetricQueue && !tt.noExt {
				obs.External, obs.HasExternal = tt.ext, true
			}
			d, err := h.Decide(obs)
			if err != nil {
				t.Fatal(err)
			}
			if d.Desired != tt.want || (tt.reason != "" && d.Reason != tt.reason) {
				t.Errorf("desired %d (%s), want %d (%s); %+v", d.Desired, d.Reason, tt.want, tt.reason, d)
			}
		})
	}
}
