package autoscale

import (
	"math"

	"github.com/clustersim/clustersim/sim/engine"
)

// Kubernetes defaults (kube-controller-manager flags and the
// autoscaling/v2 API defaulting in pkg/apis/autoscaling/v2/defaults.go).
const (
	defaultTolerance              = 0.1         // --horizontal-pod-autoscaler-tolerance
	defaultSyncPeriod             = 15 * Second // --horizontal-pod-autoscaler-sync-period
	defaultCPUInitialization      = 5 * Minute  // --horizontal-pod-autoscaler-cpu-initialization-period
	defaultInitialReadinessDelay  = 30 * Second // --horizontal-pod-autoscaler-initial-readiness-delay
	defaultDownscaleStabilization = 5 * Minute  // --horizontal-pod-autoscaler-downscale-stabilization
	defaultCPUTarget              = 0.8         // autoscaling.DefaultCPUUtilization (80%)
	defaultScaleUpPods            = 4           // scaleUpLimitMinimumPods
	defaultScaleUpPercent         = 100         // scaleUpLimitPercent
	defaultScaleUpPeriod          = 15 * Second // scaleUpPeriod
	defaultScaleDownPercent       = 100         // scaleDownLimitPercent
	defaultScaleDownPeriod        = 15 * Second // scaleDownPeriod
	legacyScaleUpFactor           = 2.0         // horizontal.go scaleUpLimitFactor
	legacyScaleUpMinimum          = 4.0         // horizontal.go scaleUpLimitMinimum
	defaultMaxReplicas            = 10          // clustersim's; Kubernetes requires maxReplicas
	defaultMinReplicas            = 1           // API default for minReplicas
)

// PolicyType is the unit of an HPA scaling policy's Value.
type PolicyType string

// Scaling policy types (autoscalingv2.HPAScalingPolicyType).
const (
	PodsPolicy    PolicyType = "Pods"    // Value is a number of pods
	PercentPolicy PolicyType = "Percent" // Value is a percentage of the replicas at the period's start
)

// SelectPolicy chooses among a direction's scaling policies.
type SelectPolicy string

// Select policies (autoscalingv2.ScalingPolicySelect). The zero value ""
// means SelectMax, the API default.
const (
	SelectMax      SelectPolicy = "Max"      // the policy allowing the largest change
	SelectMin      SelectPolicy = "Min"      // the policy allowing the smallest change
	SelectDisabled SelectPolicy = "Disabled" // no scaling in this direction
)

// ScalingPolicy is one rate limit: at most Value pods or percent of change
// over any Period (HPAScalingPolicy).
type ScalingPolicy struct {
	Type   PolicyType      // Pods or Percent
	Value  int             // pods, or percent of the replicas at the period's start; > 0
	Period engine.Duration // window the change is measured over (periodSeconds); > 0
}

// ScalingRules configures one scaling direction (HPAScalingRules). As in
// the API, unset fields take defaults: nil StabilizationWindow is 0 for
// scale-up and HPAConfig.DownscaleStabilization for scale-down, "" is
// SelectMax, empty Policies are the direction's default policies, nil
// Tolerance is HPAConfig.Tolerance.
type ScalingRules struct {
	StabilizationWindow *engine.Duration // stabilizationWindowSeconds
	SelectPolicy        SelectPolicy     // selectPolicy
	Policies            []ScalingPolicy  // policies
	Tolerance           *float64         // usage-ratio tolerance for this direction (tolerance, Kubernetes ≥ 1.33)
}

// Behavior is an HPA's spec.behavior; nil directions take the defaults.
type Behavior struct {
	ScaleUp   *ScalingRules // scaleUp rules; nil: stabilisation 0, max(4 pods, 100%) per 15 s
	ScaleDown *ScalingRules // scaleDown rules; nil: stabilisation DownscaleStabilization, 100% per 15 s
}

// DefaultScaleUpPolicies returns the API's default scale-up policies:
// 4 pods or 100% per 15 s, whichever allows more.
func DefaultScaleUpPolicies() []ScalingPolicy {
	return []ScalingPolicy{
		{Type: PodsPolicy, Value: defaultScaleUpPods, Period: defaultScaleUpPeriod},
		{Type: PercentPolicy, Value: defaultScaleUpPercent, Period: defaultScaleUpPeriod},
	}
}

// DefaultScaleDownPolicies returns the API's default scale-down policy:
// 100% per 15 s.
func DefaultScaleDownPolicies() []ScalingPolicy {
	return []ScalingPolicy{{Type: PercentPolicy, Value: defaultScaleDownPercent, Period: defaultScaleDownPeriod}}
}

// HPAConfig configures an HPA (autoscaling/v2 HorizontalPodAutoscaler
// with one metric, plus the controller's flags).
type HPAConfig struct {
	// Metric is what the HPA scales on: cpu (Resource, averageUtilization),
	// rps or in_flight (Pods, averageValue), queue (External,
	// averageValue).
	Metric MetricKind
	// Target is the per-pod target: for cpu a fraction of the request
	// (0.7 = averageUtilization 70, rounded to whole percent); for rps,
	// in_flight and queue the average value per pod in the metric's unit.
	Target float64
	// Min and Max bound the replica count (minReplicas, maxReplicas).
	// Min 0 allows scale to zero (HPAScaleToZero), meaningful for queue.
	Min, Max int
	// Tolerance is the usage-ratio band |ratio-1| ≤ Tolerance that keeps
	// the current count; Kubernetes default 0.1.
	Tolerance float64
	// SyncPeriod is how often the caller should call Decide;
	// Kubernetes default 15 s. Recorded for the caller; the algorithm
	// itself uses the observation times.
	SyncPeriod engine.Duration
	// CPUInitializationPeriod is how long after a pod starts its CPU
	// samples are distrusted unless it is ready with a full window since;
	// Kubernetes default 5 min.
	CPUInitializationPeriod engine.Duration
	// InitialReadinessDelay is how soon after start a readiness change
	// still counts as "never been ready"; Kubernetes default 30 s.
	InitialReadinessDelay engine.Duration
	// DownscaleStabilization is the controller-wide scale-down
	// stabilisation window used when the scale-down rules leave it unset
	// and in Legacy mode; Kubernetes default 5 min.
	DownscaleStabilization engine.Duration
	// Behavior is spec.behavior; unset parts take the API defaults.
	Behavior Behavior
	// Legacy selects the controller's path for an HPA whose
	// spec.behavior is absent altogether: scale-down stabilised over
	// DownscaleStabilization, scale-up capped per sync at
	// max(2×current, 4), no per-period rate limits. Kubernetes takes this
	// path whenever behavior is omitted; Behavior is then ignored.
	Legacy bool
}

// DefaultHPAConfig returns Kubernetes' defaults: cpu at 80% (the API's
// default metric), minReplicas 1, tolerance 0.1, 15 s sync, 5 min CPU
// initialisation, 30 s initial readiness delay, 5 min downscale
// stabilisation, default behavior. Max is 10, a clustersim choice
// (Kubernetes requires maxReplicas).
func DefaultHPAConfig() HPAConfig {
	return HPAConfig{
		Metric:                  MetricCPU,
		Target:                  defaultCPUTarget,
		Min:                     defaultMinReplicas,
		Max:                     defaultMaxReplicas,
		Tolerance:               defaultTolerance,
		SyncPeriod:              defaultSyncPeriod,
		CPUInitializationPeriod: defaultCPUInitialization,
		InitialReadinessDelay:   defaultInitialReadinessDelay,
		DownscaleStabilization:  defaultDownscaleStabilization,
	}
}

// rules is a direction's ScalingRules with defaults applied.
type rules struct {
	window    engine.Duration
	selectPol SelectPolicy
	policies  []ScalingPolicy
	tolerance float64
	longest   engine.Duration // longest policy period
}

func resolveRules(r *ScalingRules, up bool, cfg HPAConfig) rules {
	out := rules{selectPol: SelectMax, tolerance: cfg.Tolerance}
	if up {
		out.policies = DefaultScaleUpPolicies()
	} else {
		out.window = cfg.DownscaleStabilization
		out.policies = DefaultScaleDownPolicies()
	}
	if r != nil {
		if r.StabilizationWindow != nil {
			out.window = *r.StabilizationWindow
		}
		if r.SelectPolicy != "" {
			out.selectPol = r.SelectPolicy
		}
		if len(r.Policies) > 0 {
			out.policies = append([]ScalingPolicy(nil), r.Policies...)
		}
		if r.Tolerance != nil {
			out.tolerance = *r.Tolerance
		}
	}
	for _, p := range out.policies {
		out.longest = max(out.longest, p.Period)
	}
	return out
}

func (r *ScalingRules) validate(dir string) error {
	if r == nil {
		return nil
	}
	if r.StabilizationWindow != nil && *r.StabilizationWindow < 0 {
		return configErr("%s stabilization window %d ns is negative", dir, *r.StabilizationWindow)
	}
	switch r.SelectPolicy {
	case "", SelectMax, SelectMin, SelectDisabled:
	default:
		return configErr("%s select policy %q is not Max, Min or Disabled", dir, r.SelectPolicy)
	}
	for i, p := range r.Policies {
		if p.Type != PodsPolicy && p.Type != PercentPolicy {
			return configErr("%s policy %d: type %q is not Pods or Percent", dir, i, p.Type)
		}
		if p.Value <= 0 || p.Period <= 0 {
			return configErr("%s policy %d: value and period must be positive", dir, i)
		}
	}
	if r.Tolerance != nil && !(*r.Tolerance >= 0) { // NaN too
		return configErr("%s tolerance %v must be a non-negative number", dir, *r.Tolerance)
	}
	return nil
}

// timestampedRecommendation and timestampedScaleEvent are horizontal.go's
// history records, with simulated times.
type timestampedRecommendation struct {
	replicas int
	at       engine.Time
}

type timestampedScaleEvent struct {
	change   int // absolute size of the change
	at       engine.Time
	outdated bool
}

// HPA is the Kubernetes Horizontal Pod Autoscaler (autoscaling/v2): the
// replica calculator of replica_calculator.go followed by the
// normalisation of horizontal.go (stabilisation windows over a history of
// recommendations, per-period rate limits over a history of scale events,
// select policy, min/max clamping). Its state is that history.
type HPA struct {
	cfg      HPAConfig
	up, down rules
	min, max int

	recommendations []timestampedRecommendation
	upEvents        []timestampedScaleEvent
	downEvents      []timestampedScaleEvent
}

var (
	_ Policy  = (*HPA)(nil)
	_ Bounded = (*HPA)(nil)
)

// NewHPA validates cfg and returns an HPA with empty history.
func NewHPA(cfg HPAConfig) (*HPA, error) {
	if !cfg.Metric.valid() {
		return nil, configErr("hpa metric %q is not cpu, rps, in_flight, queue or connections", cfg.Metric)
	}
	if !(cfg.Target > 0) || math.IsInf(cfg.Target, 0) {
		return nil, configErr("hpa target %v must be positive", cfg.Target)
	}
	if cfg.Metric == MetricCPU && math.Round(cfg.Target*100) < 1 {
		return nil, configErr("hpa cpu target %v is below 1%%", cfg.Target)
	}
	if cfg.Min < 0 || cfg.Max < 1 || cfg.Min > cfg.Max {
		return nil, configErr("hpa bounds min %d max %d: need 0 ≤ min ≤ max, max ≥ 1", cfg.Min, cfg.Max)
	}
	if !(cfg.Tolerance >= 0) || cfg.SyncPeriod < 0 || cfg.CPUInitializationPeriod < 0 ||
		cfg.InitialReadinessDelay < 0 || cfg.DownscaleStabilization < 0 {
		return nil, configErr("hpa tolerance and durations must not be negative")
	}
	if err := cfg.Behavior.ScaleUp.validate("scale-up"); err != nil {
		return nil, err
	}
	if err := cfg.Behavior.ScaleDown.validate("scale-down"); err != nil {
		return nil, err
	}
	return &HPA{
		cfg:  cfg,
		up:   resolveRules(cfg.Behavior.ScaleUp, true, cfg),
		down: resolveRules(cfg.Behavior.ScaleDown, false, cfg),
		min:  cfg.Min,
		max:  cfg.Max,
	}, nil
}

// Name implements Policy.
func (h *HPA) Name() string { return "hpa" }

// Config returns the configuration the HPA was built with.
func (h *HPA) Config() HPAConfig { return h.cfg }

// SetBounds implements Bounded (as editing minReplicas/maxReplicas).
func (h *HPA) SetBounds(min, max int) { h.min, h.max = min, max }

func (h *HPA) tolerances() tolerances {
	if h.cfg.Legacy {
		return tolerances{h.cfg.Tolerance, h.cfg.Tolerance}
	}
	return tolerances{down: h.down.tolerance, up: h.up.tolerance}
}

// Decide implements Policy, following reconcileAutoscaler: with current
// replicas 0 and a non-zero minimum it does nothing (ScalingDisabled);
// outside [min, max] it moves to the violated bound without consulting
// metrics; otherwise it takes the calculator's proposal (keeping the
// current count, with the calculator's FailedGet… reason, if no metric is
// usable) and normalises it. Every change it returns is recorded as a
// scale event at obs.Now, assuming the caller applies it. It never
// returns an error.
func (h *HPA) Decide(obs Observation) (Decision, error) {
	now, current := obs.Now, obs.Current
	h.recordInitial(now, current)
	var d Decision
	switch {
	case current == 0 && h.min != 0:
		return Decision{Desired: 0, Reason: ReasonScalingDisabled}, nil
	case current > h.max:
		d = Decision{Desired: h.max, Recommended: h.max, Reason: ReasonAboveMax}
	case current < h.min:
		d = Decision{Desired: h.min, Recommended: h.min, Reason: ReasonBelowMin}
	default:
		rec := h.Recommend(obs)
		d.Metric, d.Ratio, d.Recommended = rec.Metric, rec.Ratio, rec.Replicas
		if rec.Failed {
			d.Desired, d.Reason = current, rec.Reason
			return d, nil
		}
		d.Desired, d.Reason = h.normalize(now, current, max(rec.Replicas, 0))
		if d.Reason == ReasonDesiredWithinRange && rec.Reason != "" {
			d.Reason = rec.Reason
		}
	}
	if d.Desired != current && !h.cfg.Legacy {
		h.storeScaleEvent(now, current, d.Desired)
	}
	return d, nil
}

// recordInitial is recordInitialRecommendation: before its first
// decision the HPA remembers the current count as a recommendation.
func (h *HPA) recordInitial(now engine.Time, current int) {
	if h.recommendations == nil {
		h.recommendations = []timestampedRecommendation{{current, now}}
	}
}

// Normalize runs the controller's normalisation on a recommendation made
// outside the replica calculator: stabilisation over the recommendation
// history, then rate limits and bounds (with behavior), or the legacy
// stabilisation and scale-up cap (without). It updates the history as a
// decision does and records the change as a scale event at now. It lets
// a program pair its own recommender with Kubernetes' normalisation.
func (h *HPA) Normalize(now engine.Time, current, recommended int) (int, string) {
	h.recordInitial(now, current)
	desired, reason := h.normalize(now, current, max(recommended, 0))
	if desired != current && !h.cfg.Legacy {
		h.storeScaleEvent(now, current, desired)
	}
	return desired, reason
}

func (h *HPA) normalize(now engine.Time, current, desired int) (int, string) {
	if h.cfg.Legacy {
		return h.normalizeLegacy(now, current, desired)
	}
	return h.normalizeWithBehaviors(now, current, desired)
}

// TimedCount is a count at a simulated time: a recommendation (Count
// replicas) or a scale event (Count replicas added or removed).
type TimedCount struct {
	At    engine.Time // simulated time
	Count int         // replicas
}

// HPAState is an HPA's history: the recommendations its stabilisation
// windows look back over and the scale events its rate limits count.
type HPAState struct {
	// Recommendations are the recent recommendations. A nil slice means
	// none yet: the next decision first records the current count (the
	// controller's recordInitialRecommendation); an empty non-nil slice
	// means an empty history.
	Recommendations []TimedCount
	// ScaleUps and ScaleDowns are recent scale events, Count the size of
	// the change.
	ScaleUps, ScaleDowns []TimedCount
}

// State returns a copy of the HPA's history.
func (h *HPA) State() HPAState {
	var s HPAState
	if h.recommendations != nil {
		s.Recommendations = make([]TimedCount, 0, len(h.recommendations))
		for _, r := range h.recommendations {
			s.Recommendations = append(s.Recommendations, TimedCount{r.at, r.replicas})
		}
	}
	events := func(es []timestampedScaleEvent) []TimedCount {
		var out []TimedCount
		for _, e := range es {
			if !e.outdated {
				out = append(out, TimedCount{e.at, e.change})
			}
		}
		return out
	}
	s.ScaleUps, s.ScaleDowns = events(h.upEvents), events(h.downEvents)
	return s
}

// Restore replaces the HPA's history with s, as if it had made those
// recommendations and scale events: to resume a controller mid-flight or
// to test a decision against a given history.
func (h *HPA) Restore(s HPAState) {
	h.recommendations = nil
	if s.Recommendations != nil {
		h.recommendations = make([]timestampedRecommendation, 0, len(s.Recommendations))
		for _, r := range s.Recommendations {
			h.recommendations = append(h.recommendations, timestampedRecommendation{r.Count, r.At})
		}
	}
	events := func(ts []TimedCount) []timestampedScaleEvent {
		out := make([]timestampedScaleEvent, 0, len(ts))
		for _, t := range ts {
			out = append(out, timestampedScaleEvent{change: t.Count, at: t.At})
		}
		return out
	}
	h.upEvents, h.downEvents = events(s.ScaleUps), events(s.ScaleDowns)
}
