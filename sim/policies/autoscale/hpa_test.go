package autoscale_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/policies/autoscale"
)

// References used below:
//   [algo]   https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#algorithm-details
//   [behav]  same page, #configurable-scaling-behavior (Scaling policies,
//            Stabilization window, Default Behavior, Example: ...)
//   [rc]     pkg/controller/podautoscaler/replica_calculator.go
//   [hz]     pkg/controller/podautoscaler/horizontal.go
//   [def]    pkg/apis/autoscaling/v2/defaults.go

// TestHPARecommend checks the replica calculator alone (no behavior).
func TestHPARecommend(t *testing.T) {
	const now = hour
	cpu := func(target float64) func(*autoscale.HPAConfig) {
		return func(c *autoscale.HPAConfig) { c.Metric, c.Target = autoscale.MetricCPU, target }
	}
	value := func(m autoscale.MetricKind, target float64) func(*autoscale.HPAConfig) {
		return func(c *autoscale.HPAConfig) { c.Metric, c.Target = m, target }
	}
	// pod started at s (relative to now), readiness last changed at r.
	pod := func(s, r engine.Duration, isReady bool, v float64) autoscale.PodSample {
		return autoscale.PodSample{Ready: isReady, HasMetric: true, Metric: v, StartedAt: engine.Time(now).Add(s), ReadyAt: engine.Time(now).Add(r)}
	}
	missing := func(n int) []autoscale.PodSample {
		ps := make([]autoscale.PodSample, n)
		for i := range ps {
			ps[i].Ready = true
		}
		return ps
	}
	tests := []struct {
		name       string
		cfg        func(*autoscale.HPAConfig)
		obs        autoscale.Observation
		want       int
		wantReason string
		wantMetric float64
	}{
		// [algo] "the control plane skips any scaling action if the ratio is
		// sufficiently close to 1.0 (within a configurable tolerance, 0.1 by
		// default)". 63% against 60% is a ratio of 1.05.
		{"tolerance: ratio 1.05 keeps current", cpu(0.6),
			autoscale.Observation{Current: 4, Pods: ready(same(4, 0.63)...)}, 4, autoscale.ReasonWithinTolerance, 0.63},
		// 60% against 50%: ratio 1.2, ceil(1.2 × 4) = 5.
		{"tolerance: ratio 1.2 scales", cpu(0.5),
			autoscale.Observation{Current: 4, Pods: ready(same(4, 0.6)...)}, 5, "", 0.6},
		// [rc] Tolerances.isWithin: 1-down ≤ ratio ≤ 1+up, both ends inclusive.
		{"tolerance: ratio exactly 1.1 is within", cpu(0.5),
			autoscale.Observation{Current: 4, Pods: ready(same(4, 0.55)...)}, 4, autoscale.ReasonWithinTolerance, 0.55},
		{"tolerance: ratio exactly 0.9 is within", cpu(0.5),
			autoscale.Observation{Current: 4, Pods: ready(same(4, 0.45)...)}, 4, autoscale.ReasonWithinTolerance, 0.45},
		// [behav] per-direction tolerance (spec.behavior.scaleUp.tolerance,
		// Kubernetes 1.33+): 1.08 is outside a 5% scale-up tolerance.
		{"tolerance: per-direction scale-up tolerance", func(c *autoscale.HPAConfig) {
			c.Metric, c.Target = autoscale.MetricCPU, 0.5
			c.Behavior.ScaleUp = &autoscale.ScalingRules{Tolerance: new(0.05)}
		}, autoscale.Observation{Current: 10, Pods: ready(same(10, 0.54)...)}, 11, "", 0.54},
		// [algo] "if the current metric value is 200m, and the desired value
		// is 100m, the number of replicas will be doubled, since
		// 200.0 / 100.0 == 2.0".
		{"docs: 200m against 100m doubles", value(autoscale.MetricInFlight, 0.1),
			autoscale.Observation{Current: 3, Pods: ready(same(3, 0.2)...)}, 6, "", 0.2},
		// [algo] "If the current value is instead 50m, you'll halve the
		// number of replicas, since 50.0 / 100.0 == 0.5".
		{"docs: 50m against 100m halves", value(autoscale.MetricInFlight, 0.1),
			autoscale.Observation{Current: 4, Pods: ready(same(4, 0.05)...)}, 2, "", 0.05},
		// [rc] GetResourceUtilizationRatio: utilisation is an int32 percent,
		// (Σusage×100)/Σrequest truncated: 76.95% is 76%, ratio 76/70 < 1.1.
		{"cpu utilisation truncates to whole percent", cpu(0.7),
			autoscale.Observation{Current: 2, Pods: ready(0.769, 0.77)}, 2, autoscale.ReasonWithinTolerance, 0.76},
		// [algo] "if any not-yet-ready pods were present, and the workload
		// would have scaled up without factoring in missing metrics or
		// not-yet-ready pods, the controller conservatively assumes that the
		// not-yet-ready pods are consuming 0% of the desired metric" and
		// "if the new ratio ... falls within the tolerance ... skip any
		// scaling action". 9 pods at 60%, one unready in its CPU
		// initialisation period: 1.2 recomputes to 54/50 = 1.08.
		{"not-ready pods count 0% on scale-up", cpu(0.5),
			autoscale.Observation{Now: now, Current: 10, Pods: with(ready(same(9, 0.6)...),
				[]autoscale.PodSample{pod(-min_, -min_, false, 0.9)})}, 10, autoscale.ReasonWithinTolerance, 0.6},
		// [rc] groupPods: Pending pods are unready for every metric kind;
		// 15 rps against 10 (1.5) recomputes to 3.75/10 with three
		// Pending pods at 0: the direction reverses, so keep.
		{"pending pods reverse a scale-up", value(autoscale.MetricRPS, 10),
			autoscale.Observation{Current: 4, Pods: with(ready(15), pending(3))}, 4, autoscale.ReasonDirectionReversed, 15},
		// [algo] not-yet-ready pods are only filled in on scale-up; on
		// scale-down they are left out: ceil(0.2 × 2) = 1.
		{"pending pods ignored on scale-down", cpu(0.5),
			autoscale.Observation{Current: 4, Pods: with(ready(0.1, 0.1), pending(2))}, 1, "", 0.1},
		// [algo] "assuming those pods were consuming 100% of the desired
		// value in case of a scale down": 2 rps ×2 and two pods at 10
		// average 6: ceil(0.6 × 4) = 3 (not ceil(0.2 × 2) = 1).
		{"missing metrics count 100% of target on scale-down", value(autoscale.MetricRPS, 10),
			autoscale.Observation{Current: 4, Pods: with(ready(2, 2), missing(2))}, 3, "", 2},
		// [rc] for cpu, missing pods use 100% of their request (or the
		// target if above 100%): (10+10+100+100)/4 = 55% against 50% is
		// 1.1, within tolerance.
		{"cpu missing metrics count 100% of request on scale-down", cpu(0.5),
			autoscale.Observation{Current: 4, Pods: with(ready(0.1, 0.1), missing(2))}, 4, autoscale.ReasonWithinTolerance, 0.1},
		// [algo] "If ... the new ratio reverses the scale direction ...
		// skip any scaling action": 0.8 becomes (40+300)/4 = 85% → 1.7.
		{"missing metrics reversing a scale-down keep current", cpu(0.5),
			autoscale.Observation{Current: 4, Pods: with(ready(0.4), missing(3))}, 4, autoscale.ReasonDirectionReversed, 0.4},
		// [algo] "... and 0% in case of a scale up": 20,20,0,0 averages 10.
		{"missing metrics count 0% on scale-up", value(autoscale.MetricRPS, 10),
			autoscale.Observation{Current: 4, Pods: with(ready(20, 20), missing(2))}, 4, autoscale.ReasonWithinTolerance, 20},
		// [algo] CPU initialisation: a ready pod whose metric window began
		// after it became ready counts (ReadyAt 60 s ago, window 30 s).
		{"cpu init: sample taken since ready counts", cpu(0.5),
			autoscale.Observation{Now: now, Current: 2, MetricAt: now, MetricWindow: 30 * sec,
				Pods: []autoscale.PodSample{pod(-2*min_, -60*sec, true, 1), pod(-2*min_, -60*sec, true, 1)}}, 4, "", 1},
		// ... one whose window began before it was ready is unready and,
		// on scale-up, counts 0: (100+0)/2 = 50% → ratio 1.
		{"cpu init: sample straddling readiness is ignored", cpu(0.5),
			autoscale.Observation{Now: now, Current: 2, MetricAt: now, MetricWindow: 30 * sec,
				Pods: []autoscale.PodSample{pod(-2*min_, -60*sec, true, 1), pod(-2*min_, -10*sec, true, 1)}}, 2, autoscale.ReasonWithinTolerance, 1},
		// [algo] after the initialisation period, an unready pod is set
		// aside only if it never became ready (its readiness changed within
		// --horizontal-pod-autoscaler-initial-readiness-delay of start).
		{"cpu: unready and never ready is ignored", cpu(0.5),
			autoscale.Observation{Now: now, Current: 2,
				Pods: []autoscale.PodSample{pod(-10*min_, -10*min_, true, 1), pod(-10*min_, -10*min_+10*sec, false, 1)}}, 2, autoscale.ReasonWithinTolerance, 1},
		{"cpu: unready after being ready counts", cpu(0.5),
			autoscale.Observation{Now: now, Current: 2,
				Pods: []autoscale.PodSample{pod(-10*min_, -10*min_, true, 1), pod(-10*min_, -5*min_, false, 1)}}, 4, "", 1},
		// [rc] groupPods: deleted and failed pods are ignored entirely.
		{"terminating pods are ignored", value(autoscale.MetricRPS, 10),
			autoscale.Observation{Current: 4, Pods: with(ready(20, 20), []autoscale.PodSample{{Phase: autoscale.PodTerminating}, {Phase: autoscale.PodTerminating}})}, 4, "", 20},
		// [rc] "did not receive metrics for targeted pods": no decision.
		{"no metrics fails and keeps current", value(autoscale.MetricRPS, 10),
			autoscale.Observation{Current: 3, Pods: with(missing(1), pending(2))}, 3, autoscale.ReasonFailedGetPods, 0},
		// [rc] GetExternalPerPodMetricReplicas (KEDA's AverageValue target):
		// ratio = 42/(5 × 3 pods) = 2.8, proposal ceil(42/5) = 9, reported
		// average ceil(42000m/3) = 14.
		{"queue: total over target per pod", value(autoscale.MetricQueue, 5),
			autoscale.Observation{Current: 3, Pods: ready(0, 0, 0), External: 42, HasExternal: true}, 9, "", 14},
		{"queue: within tolerance keeps the pod count", value(autoscale.MetricQueue, 5),
			autoscale.Observation{Current: 3, Pods: ready(0, 0, 0), External: 15.5, HasExternal: true}, 3, autoscale.ReasonWithinTolerance, 15.5 / 3},
		// With no instances the ratio is unbounded and the proposal is
		// ceil(12/5) = 3: scale from zero with minReplicas 0.
		{"queue: from zero instances", func(c *autoscale.HPAConfig) { c.Metric, c.Target, c.Min = autoscale.MetricQueue, 5, 0 },
			autoscale.Observation{Current: 0, External: 12, HasExternal: true}, 3, "", 0},
		{"queue: no sample fails", value(autoscale.MetricQueue, 5),
			autoscale.Observation{Current: 3, Pods: ready(0, 0, 0)}, 3, autoscale.ReasonFailedGetExternal, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHPA(t, tt.cfg)
			if tt.obs.Now == 0 {
				tt.obs.Now = now
			}
			got := h.Recommend(tt.obs)
			if got.Replicas != tt.want || got.Reason != tt.wantReason {
				t.Errorf("got %d %q, want %d %q", got.Replicas, got.Reason, tt.want, tt.wantReason)
			}
			if math.Abs(got.Metric-tt.wantMetric) > 1e-3 {
				t.Errorf("metric %v, want %v", got.Metric, tt.wantMetric)
			}
		})
	}
}

// TestHPADecide checks single decisions of a fresh HPA: bounds and the
// reasons horizontal.go reports.
func TestHPADecide(t *testing.T) {
	noDownWindow := func(c *autoscale.HPAConfig) {
		c.Behavior.ScaleDown = &autoscale.ScalingRules{StabilizationWindow: new(engine.Duration(0))}
	}
	cfg := func(m autoscale.MetricKind, target float64, lo, hi int, more ...func(*autoscale.HPAConfig)) func(*autoscale.HPAConfig) {
		return func(c *autoscale.HPAConfig) {
			c.Metric, c.Target, c.Min, c.Max = m, target, lo, hi
			for _, f := range more {
				f(c)
			}
		}
	}
	tests := []struct {
		name       string
		cfg        func(*autoscale.HPAConfig)
		obs        autoscale.Observation
		want       int
		wantReason string
	}{
		// [hz] convertDesiredReplicasWithBehaviorRate: the proposal 8 is
		// within the rate limit (4+4 or 2×4) but above maxReplicas 6.
		{"above max: TooManyReplicas", cfg(autoscale.MetricCPU, 0.5, 1, 6),
			autoscale.Observation{Current: 4, Pods: ready(same(4, 1.0)...)}, 6, autoscale.ReasonTooManyReplicas},
		// ... the proposal 20 exceeds the default rate max(2+4, 2×2) = 6.
		{"above rate: ScaleUpLimit", cfg(autoscale.MetricCPU, 0.1, 1, 100),
			autoscale.Observation{Current: 2, Pods: ready(1.0, 1.0)}, 6, autoscale.ReasonScaleUpLimit},
		// ... the proposal 1 is below minReplicas 3 (no stabilisation).
		{"below min: TooFewReplicas", cfg(autoscale.MetricCPU, 0.5, 3, 10, noDownWindow),
			autoscale.Observation{Current: 4, Pods: ready(same(4, 0.1)...)}, 3, autoscale.ReasonTooFewReplicas},
		// [hz] reconcileAutoscaler: "Current number of replicas above
		// Spec.MaxReplicas" sets maxReplicas without consulting metrics.
		{"current above max", cfg(autoscale.MetricCPU, 0.5, 1, 10),
			autoscale.Observation{Current: 12, Pods: ready(same(12, 1.0)...)}, 10, autoscale.ReasonAboveMax},
		{"current below min", cfg(autoscale.MetricCPU, 0.5, 2, 10),
			autoscale.Observation{Current: 1, Pods: ready(0.01)}, 2, autoscale.ReasonBelowMin},
		// [hz] "scaling is disabled since the replica count of the target is
		// zero" (with minReplicas ≠ 0).
		{"zero replicas disables scaling", cfg(autoscale.MetricCPU, 0.5, 1, 10),
			autoscale.Observation{Current: 0}, 0, autoscale.ReasonScalingDisabled},
		// [hz] recordInitialRecommendation stores the current count, so the
		// first sync cannot scale down within the 300 s window.
		{"first sync holds a scale-down", cfg(autoscale.MetricCPU, 0.5, 1, 10),
			autoscale.Observation{Current: 4, Pods: ready(same(4, 0.1)...)}, 4, autoscale.ReasonScaleDownStabilized},
		{"within tolerance", cfg(autoscale.MetricCPU, 0.5, 1, 10),
			autoscale.Observation{Current: 4, Pods: ready(same(4, 0.52)...)}, 4, autoscale.ReasonWithinTolerance},
		{"no metrics keeps current", cfg(autoscale.MetricCPU, 0.5, 1, 10),
			autoscale.Observation{Current: 4, Pods: pending(4)}, 4, autoscale.ReasonFailedGetResource},
		// [behav] external metric; from 3 pods the default rate allows
		// max(3+4, 2×3) = 7 of the 9 proposed.
		{"queue scale-up is rate limited", cfg(autoscale.MetricQueue, 5, 1, 20),
			autoscale.Observation{Current: 3, Pods: ready(0, 0, 0), External: 42, HasExternal: true}, 7, autoscale.ReasonScaleUpLimit},
		// [behav] "Example: disable scale down": selectPolicy Disabled.
		{"scale-down disabled", cfg(autoscale.MetricCPU, 0.5, 1, 10, func(c *autoscale.HPAConfig) {
			c.Behavior.ScaleDown = &autoscale.ScalingRules{StabilizationWindow: new(engine.Duration(0)), SelectPolicy: autoscale.SelectDisabled}
		}), autoscale.Observation{Current: 4, Pods: ready(same(4, 0.1)...)}, 4, autoscale.ReasonScaleDownLimit},
		{"scale-up disabled", cfg(autoscale.MetricCPU, 0.5, 1, 10, func(c *autoscale.HPAConfig) {
			c.Behavior.ScaleUp = &autoscale.ScalingRules{SelectPolicy: autoscale.SelectDisabled}
		}), autoscale.Observation{Current: 4, Pods: ready(same(4, 1.0)...)}, 4, autoscale.ReasonScaleUpLimit},
		// [behav] selectPolicy Min picks the policy allowing the smallest
		// change: from 10, min(10+4, 2×10) = 14; Max (default) gives 20.
		{"selectPolicy Min", cfg(autoscale.MetricCPU, 0.1, 1, 100, func(c *autoscale.HPAConfig) {
			c.Behavior.ScaleUp = &autoscale.ScalingRules{SelectPolicy: autoscale.SelectMin}
		}), autoscale.Observation{Current: 10, Pods: ready(same(10, 1.0)...)}, 14, autoscale.ReasonScaleUpLimit},
		{"selectPolicy Max", cfg(autoscale.MetricCPU, 0.1, 1, 100),
			autoscale.Observation{Current: 10, Pods: ready(same(10, 1.0)...)}, 20, autoscale.ReasonScaleUpLimit},
		// [behav] a Percent policy rounds the scale-up allowance up
		// ("the proposal has to be rounded up"): 3 × 1.5 = 4.5 → 5.
		{"percent scale-up rounds up", cfg(autoscale.MetricCPU, 0.1, 1, 100, func(c *autoscale.HPAConfig) {
			c.Behavior.ScaleUp = &autoscale.ScalingRules{Policies: []autoscale.ScalingPolicy{
				{Type: autoscale.PercentPolicy, Value: 50, Period: 60 * sec}}}
		}), autoscale.Observation{Current: 3, Pods: ready(same(3, 1.0)...)}, 5, autoscale.ReasonScaleUpLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHPA(t, tt.cfg)
			tt.obs.Now = hour
			d, _ := h.Decide(tt.obs)
			if d.Desired != tt.want || d.Reason != tt.wantReason {
				t.Errorf("got %d %q, want %d %q", d.Desired, d.Reason, tt.want, tt.wantReason)
			}
		})
	}
}

// TestHPAScaleUpRate reproduces [def]'s default scale-up behavior, "4
// pods or 100% per 15 s, whichever is larger" ([behav] Default
// Behavior): starting from 1 pod under heavy load the HPA goes
// 1 → 5 → 10 → 20 → 40 → 80, then stops at maxReplicas.
func TestHPAScaleUpRate(t *testing.T) {
	h := newHPA(t, func(c *autoscale.HPAConfig) { c.Metric, c.Target, c.Max = autoscale.MetricRPS, 10, 100 })
	heavy := spread(100000)
	run(t, h, 1, []tick{
		{0, heavy, 5, autoscale.ReasonScaleUpLimit},
		{15 * sec, heavy, 10, autoscale.ReasonScaleUpLimit},
		{30 * sec, heavy, 20, autoscale.ReasonScaleUpLimit},
		{45 * sec, heavy, 40, autoscale.ReasonScaleUpLimit},
		{60 * sec, heavy, 80, autoscale.ReasonScaleUpLimit},
		{75 * sec, heavy, 100, autoscale.ReasonTooManyReplicas},
	})
}

// TestHPAScaleUpPeriod checks that the rate limit is per policy period,
// not per sync ([hz] getReplicasChangePerPeriod counts events newer than
// now-period): with syncs every 5 s, the +4 made at 0 s blocks further
// growth until the event leaves the 15 s period at 15 s.
func TestHPAScaleUpPeriod(t *testing.T) {
	h := newHPA(t, func(c *autoscale.HPAConfig) { c.Metric, c.Target, c.Max = autoscale.MetricRPS, 10, 100 })
	heavy := spread(100000)
	run(t, h, 1, []tick{
		{0, heavy, 5, autoscale.ReasonScaleUpLimit},
		{5 * sec, heavy, 5, autoscale.ReasonScaleUpLimit},
		{10 * sec, heavy, 5, autoscale.ReasonScaleUpLimit},
		{15 * sec, heavy, 10, autoscale.ReasonScaleUpLimit},
	})
}

// TestHPALegacyScaleUp checks the controller's path for an HPA without
// spec.behavior ([hz] normalizeDesiredReplicas,
// convertDesiredReplicasWithRules): at most max(2×current, 4) per sync.
func TestHPALegacyScaleUp(t *testing.T) {
	h := newHPA(t, func(c *autoscale.HPAConfig) {
		c.Metric, c.Target, c.Max, c.Legacy = autoscale.MetricRPS, 10, 100, true
	})
	heavy := spread(100000)
	run(t, h, 1, []tick{
		{0, heavy, 4, autoscale.ReasonScaleUpLimit},
		{15 * sec, heavy, 8, autoscale.ReasonScaleUpLimit},
		{30 * sec, heavy, 16, autoscale.ReasonScaleUpLimit},
	})
}

// TestHPAScaleDownStabilization reproduces [behav] Stabilization window:
// "the stabilization window ... when the metrics indicate that the target
// should be scaled down the algorithm looks into previously computed
// desired states, and uses the highest value from the specified
// interval", default 300 s. Load drops at 15 s (recommendation 6) and
// again at 150 s (recommendation 3): replicas stay 10 until the initial
// recommendation of 10 leaves the window at 300 s, then drop to the
// highest recommendation still inside it (6), and to 3 once the last 6
// (recorded at 135 s) leaves it at 435 s.
func TestHPAScaleDownStabilization(t *testing.T) {
	h := newHPA(t, func(c *autoscale.HPAConfig) { c.Metric, c.Target, c.Max = autoscale.MetricRPS, 10, 20 })
	ticks := []tick{{0, spread(100), 10, autoscale.ReasonWithinTolerance}}
	for at := engine.Time(15 * sec); at <= 435*sec; at += 15 * sec {
		tk := tick{at: at, load: spread(60), want: 10, reason: autoscale.ReasonScaleDownStabilized}
		if at >= 150*sec {
			tk.load = spread(30)
		}
		if at >= 300*sec {
			tk.want = 6
		}
		if at == 435*sec {
			tk.want, tk.reason = 3, autoscale.ReasonDesiredWithinRange
		}
		ticks = append(ticks, tk)
	}
	ticks = append(ticks, tick{450 * sec, spread(30), 3, autoscale.ReasonWithinTolerance})
	run(t, h, 10, ticks)
}

// TestHPALegacyStabilization: without behavior the same 5-minute window
// applies (--horizontal-pod-autoscaler-downscale-stabilization).
func TestHPALegacyStabilization(t *testing.T) {
	h := newHPA(t, func(c *autoscale.HPAConfig) {
		c.Metric, c.Target, c.Max, c.Legacy = autoscale.MetricRPS, 10, 20, true
	})
	run(t, h, 10, []tick{
		{0, spread(100), 10, autoscale.ReasonWithinTolerance},
		{15 * sec, spread(30), 10, autoscale.ReasonScaleDownStabilized},
		{299 * sec, spread(30), 10, autoscale.ReasonScaleDownStabilized},
		{301 * sec, spread(30), 3, autoscale.ReasonDesiredWithinRange},
	})
}

// TestHPAScaleDownPolicies reproduces [behav] Scaling policies' example:
// policies Pods 4/60 s and Percent 10%/60 s; "if there are 80 replicas and
// the target has to be scaled down to 10 replicas then during the first
// step 8 replicas will be reduced. In the next iteration when the number
// of replicas is 72, 10% of the pods is 7.2 but the number is rounded up
// to 8 ... When the number of replicas falls below 40 the first policy
// (Pods) is applied and 4 replicas will be reduced at a time." Syncs are
// 60 s apart so each period starts afresh; the stabilisation window is 0.
func TestHPAScaleDownPolicies(t *testing.T) {
	h := newHPA(t, func(c *autoscale.HPAConfig) {
		c.Metric, c.Target, c.Max = autoscale.MetricRPS, 10, 100
		c.Behavior.ScaleDown = &autoscale.ScalingRules{StabilizationWindow: new(engine.Duration(0)), Policies: []autoscale.ScalingPolicy{
			{Type: autoscale.PodsPolicy, Value: 4, Period: 60 * sec},
			{Type: autoscale.PercentPolicy, Value: 10, Period: 60 * sec},
		}}
	})
	want := []int{72, 64, 57, 51, 45, 40, 36, 32, 28, 24, 20, 16, 12, 10}
	var ticks []tick
	for i, w := range want {
		reason := autoscale.ReasonScaleDownLimit
		if w == 10 {
			reason = autoscale.ReasonDesiredWithinRange
		}
		ticks = append(ticks, tick{engine.Time(i) * 60 * sec, spread(95), w, reason})
	}
	run(t, h, 80, ticks)
}

// TestHPAScaleDownPeriod: a second scale-down within the 60 s period is
// limited by the first one ([hz] periodStartReplicas = current - added +
// removed within the period).
func TestHPAScaleDownPeriod(t *testing.T) {
	h := newHPA(t, func(c *autoscale.HPAConfig) {
		c.Metric, c.Target, c.Max = autoscale.MetricRPS, 10, 100
		c.Behavior.ScaleDown = &autoscale.ScalingRules{StabilizationWindow: new(engine.Duration(0)), Policies: []autoscale.ScalingPolicy{
			{Type: autoscale.PodsPolicy, Value: 4, Period: 60 * sec}}}
	})
	run(t, h, 20, []tick{
		{0, spread(50), 16, autoscale.ReasonScaleDownLimit},
		{15 * sec, spread(50), 16, autoscale.ReasonScaleDownLimit},
		{45 * sec, spread(50), 16, autoscale.ReasonScaleDownLimit},
		{60 * sec, spread(50), 12, autoscale.ReasonScaleDownLimit},
	})
}

// TestHPAScaleUpStabilization: a scale-up window keeps the lowest
// recommendation within it ([behav] "stabilizationWindowSeconds" on
// scaleUp): higher load must persist for the whole 60 s window (a
// recommendation counts while it is newer than now-60 s).
func TestHPAScaleUpStabilization(t *testing.T) {
	h := newHPA(t, func(c *autoscale.HPAConfig) {
		c.Metric, c.Target, c.Max = autoscale.MetricRPS, 10, 100
		c.Behavior.ScaleUp = &autoscale.ScalingRules{StabilizationWindow: new(engine.Duration(60 * sec))}
	})
	run(t, h, 4, []tick{
		{0, spread(40), 4, autoscale.ReasonWithinTolerance},
		{15 * sec, spread(80), 4, autoscale.ReasonScaleUpStabilized},
		{45 * sec, spread(80), 4, autoscale.ReasonScaleUpStabilized},
		{60 * sec, spread(80), 8, autoscale.ReasonDesiredWithinRange}, // the 4s at 0 s left (0, 60]
	})
}

func TestNewHPAErrors(t *testing.T) {
	bad := []func(*autoscale.HPAConfig){
		func(c *autoscale.HPAConfig) { c.Metric = "memory" },
		func(c *autoscale.HPAConfig) { c.Target = 0 },
		func(c *autoscale.HPAConfig) { c.Min, c.Max = 5, 4 },
		func(c *autoscale.HPAConfig) { c.Tolerance = -1 },
		func(c *autoscale.HPAConfig) {
			c.Behavior.ScaleUp = &autoscale.ScalingRules{Policies: []autoscale.ScalingPolicy{{Type: "Nodes", Value: 1, Period: sec}}}
		},
		func(c *autoscale.HPAConfig) { c.Behavior.ScaleDown = &autoscale.ScalingRules{SelectPolicy: "Median"} },
	}
	for i, edit := range bad {
		cfg := autoscale.DefaultHPAConfig()
		edit(&cfg)
		if _, err := autoscale.NewHPA(cfg); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
}
