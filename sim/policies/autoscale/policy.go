package autoscale

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/clustersim/clustersim/sim/engine"
)

// Simulated-time units for configuring durations: aliases of engine.Second
// and engine.Minute, kept for compatibility.
const (
	Second = engine.Second // one second of simulated time
	Minute = engine.Minute // one minute of simulated time
)

// ErrConfig is wrapped by every configuration error a constructor returns.
var ErrConfig = errors.New("autoscale: invalid config")

func configErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)
}

// Policy decides a scale target's desired replica count. The simulator
// calls Decide once per sync tick with a fresh Observation and applies the
// returned Desired before the next tick; stateful policies (stabilisation
// windows, cooldowns, forecast history) keep their state in the value
// behind the pointer and rely on that contract. Decide must be
// deterministic: no clock, no I/O, no map iteration reaching the result,
// and obs.Now never decreasing from one call to the next.
//
// A policy that cannot decide because a metric is missing returns a
// Decision that keeps obs.Current with a reason saying why (the HPA's
// FailedGetResourceMetric, say), not an error: the controller it models
// holds the count and tries again. An error means the policy itself
// failed (an external process crashed) and stops the run.
//
// Users plug in their own policy by implementing this interface; see the
// package example.
type Policy interface {
	// Decide returns the desired replica count for obs.
	Decide(obs Observation) (Decision, error)
	// Name returns a short identifier, as written in scenarios.
	Name() string
}

// Bounded is implemented by policies whose replica bounds can be changed
// while running; Scheduled calls SetBounds on its inner policy when a
// scheduled action takes effect (the way a scheduled action rewrites a
// scalable target's MinCapacity and MaxCapacity).
type Bounded interface {
	// SetBounds replaces the policy's minimum and maximum replicas.
	SetBounds(min, max int)
}

// PodPhase is where an instance is in its life, as the Kubernetes API
// reports it to the HPA.
type PodPhase uint8

// Pod phases. The zero value is PodRunning, the common case.
const (
	// PodRunning: the instance's process runs (phase Running); Ready says
	// whether it passes its readiness probe.
	PodRunning PodPhase = iota
	// PodPending: the instance exists but its process does not run yet
	// (phase Pending: waiting for a node, pulling its image).
	PodPending
	// PodTerminating: the instance is being deleted (deletionTimestamp
	// set: draining) or has failed; the HPA ignores it entirely.
	PodTerminating
)

// String returns the phase's name.
func (p PodPhase) String() string {
	switch p {
	case PodRunning:
		return "Running"
	case PodPending:
		return "Pending"
	case PodTerminating:
		return "Terminating"
	}
	return "PodPhase(" + strconv.Itoa(int(p)) + ")"
}

// PodSample is one instance as the cluster and its metrics pipeline saw it
// at a sync: its phase and readiness now, and its newest metric sample.
type PodSample struct {
	// Phase is the instance's phase at the sync.
	Phase PodPhase
	// Ready reports that the instance passes readiness (Kubernetes Ready
	// condition True). Meaningful for a running instance.
	Ready bool
	// HasMetric reports whether Metric holds a sample for this instance.
	// No sample (the pipeline has not seen the instance yet) is not a
	// sample of zero: the HPA treats the two differently.
	HasMetric bool
	// Metric is the instance's metric in the policy's unit: CPU
	// utilisation as a fraction of the request (0.7 = 70%; above 1 when
	// the instance's CPU limit lets it use more than it requests),
	// requests per second, or requests in flight.
	Metric float64
	// Request is the instance's CPU request in cores, used to weight CPU
	// utilisation as Kubernetes does (total usage over total request);
	// 0 means 1 core.
	Request float64
	// StartedAt is when the instance was started on its node (Kubernetes
	// status.startTime).
	StartedAt engine.Time
	// ReadyAt is when the instance's readiness last changed (Kubernetes
	// Ready condition lastTransitionTime): for a ready
	// instance, when it became ready; for an unready one, when it became
	// unready, or StartedAt if it never was ready.
	ReadyAt engine.Time
}

// Observation is the read-only view a policy decides from.
type Observation struct {
	// Now is the simulated time of the decision.
	Now engine.Time
	// Current is the replica count currently requested (the scale
	// target's spec.replicas), which may differ from len(Pods) while
	// instances start or terminate.
	Current int
	// Pods are the observed instances in a stable order, not-yet-ready
	// and terminating ones included.
	Pods []PodSample
	// External is the external metric's total (a queue length for
	// KEDA-style scaling), in the metric's unit; valid if HasExternal.
	External float64
	// HasExternal reports whether External holds a sample. Before the
	// metrics pipeline has delivered one it is false: no sample, not 0.
	HasExternal bool
	// MetricAt is when the pod metrics were collected (the end of their
	// window); MetricWindow is that window's length. They are used
	// only by the HPA's CPU initialisation rule, and only when
	// MetricWindow > 0; leave both zero when every reported metric was
	// taken entirely while its instance was ready.
	MetricAt     engine.Time
	MetricWindow engine.Duration
}

// Decision is a policy's answer for one tick.
type Decision struct {
	// Desired is the replica count the target should have.
	Desired int
	// Recommended is what the policy's own calculation proposed before
	// stabilisation windows, rate limits, cooldowns and bounds (the HPA's
	// replica calculator output): "wanted 30, allowed 8" is Recommended
	// 30, Desired 8. Policies without such stages set it to Desired.
	Recommended int
	// Metric is the aggregate metric value the policy acted on, in the
	// metric's unit (per-instance average, utilisation fraction, forecast
	// total...); 0 when no metric was usable.
	Metric float64
	// Ratio is the usage ratio Metric/target the decision used (1 = on
	// target); 0 when not applicable.
	Ratio float64
	// Reason names what determined Desired, in the style of the
	// Kubernetes HPA's condition reasons (see the Reason constants).
	Reason string
}

// Reasons reported in Decision.Reason. Those that are Kubernetes HPA
// condition reasons carry the same meaning as there.
const (
	// Kubernetes HPA (horizontal.go) reasons.
	ReasonDesiredWithinRange  = "DesiredWithinRange"      // no limit applied
	ReasonScaleUpLimit        = "ScaleUpLimit"            // capped by the scale-up rate
	ReasonScaleDownLimit      = "ScaleDownLimit"          // capped by the scale-down rate
	ReasonTooManyReplicas     = "TooManyReplicas"         // capped at the maximum
	ReasonTooFewReplicas      = "TooFewReplicas"          // raised to the minimum
	ReasonScaleUpStabilized   = "ScaleUpStabilized"       // held by the scale-up stabilisation window
	ReasonScaleDownStabilized = "ScaleDownStabilized"     // held by the scale-down stabilisation window
	ReasonScalingDisabled     = "ScalingDisabled"         // current replicas 0 with a non-zero minimum
	ReasonAboveMax            = "CurrentAboveMax"         // current above max: set to max without metrics
	ReasonBelowMin            = "CurrentBelowMin"         // current below min: set to min without metrics
	ReasonFailedGetResource   = "FailedGetResourceMetric" // no cpu sample from a counted pod: no change
	ReasonFailedGetPods       = "FailedGetPodsMetric"     // no rps/in_flight sample from a counted pod: no change
	ReasonFailedGetExternal   = "FailedGetExternalMetric" // no external sample: no change

	// Replica-calculator outcomes (replica_calculator.go) that keep the
	// current count.
	ReasonWithinTolerance   = "WithinTolerance"   // usage ratio within the tolerance band
	ReasonDirectionReversed = "DirectionReversed" // assumptions for unready/missing pods reversed the scale direction

	// AWS-style policies.
	ReasonScaleOut         = "ScaleOut"         // capacity added
	ReasonScaleIn          = "ScaleIn"          // capacity removed
	ReasonNearTarget       = "NearTarget"       // metric within the no-action band
	ReasonScaleOutCooldown = "ScaleOutCooldown" // scale-out suppressed: not larger than the one in cooldown
	ReasonScaleInCooldown  = "ScaleInCooldown"  // scale-in blocked by its cooldown
	ReasonScaleInDisabled  = "ScaleInDisabled"  // scale-in turned off
	ReasonNoAlarm          = "NoAlarm"          // no alarm in breach
	ReasonNoStep           = "NoStepAdjustment" // alarm in breach but no step matched the metric
	ReasonNoMetrics        = "NoMetrics"        // no usable metric; capacity held
	ReasonInsufficientData = "InsufficientData" // no complete alarm datapoint yet (CloudWatch INSUFFICIENT_DATA)
	ReasonAlarmPending     = "AlarmPending"     // newest datapoint breaches, too few breaching for ALARM yet
	ReasonAlarmWait        = "AlarmWait"        // alarm in ALARM; it invokes the policy again once a minute

	// Scheduled and predictive.
	ReasonScheduledAction = "ScheduledAction"   // a scheduled action set the desired count
	ReasonNoSchedule      = "NoScheduledAction" // no action in force and no inner policy
	ReasonPredicted       = "PredictiveScaling" // forecast wanted more than the reactive policy
)

// MetricKind names the metric a policy scales on.
type MetricKind string

// Metric kinds.
const (
	// MetricCPU is per-instance CPU utilisation as a fraction of the
	// request (Kubernetes Resource metric with averageUtilization).
	MetricCPU MetricKind = "cpu"
	// MetricRPS is per-instance requests per second (Kubernetes Pods
	// metric with averageValue).
	MetricRPS MetricKind = "rps"
	// MetricInFlight is per-instance requests in flight (Kubernetes Pods
	// metric with averageValue).
	MetricInFlight MetricKind = "in_flight"
	// MetricQueue is the external total Observation.External, e.g. a
	// queue length (Kubernetes External metric with averageValue).
	MetricQueue MetricKind = "queue"
	// MetricConnections is per-instance open connections pinned to the
	// instance (L4 or long-lived; Kubernetes Pods metric with
	// averageValue, as a connection-count exporter would give).
	MetricConnections MetricKind = "connections"
)

func (m MetricKind) valid() bool {
	switch m {
	case MetricCPU, MetricRPS, MetricInFlight, MetricQueue, MetricConnections:
		return true
	}
	return false
}

// ceilEps rounds x up, ignoring float error below 1e-9 so that, say,
// 10×0.77/0.7 gives 11 and not 12. It saturates at ±math.MaxInt32 (NaN
// and +Inf give the maximum): a replica count never wraps.
func ceilEps(x float64) int {
	c := math.Ceil(x - 1e-9)
	switch {
	case !(c < math.MaxInt32):
		return math.MaxInt32
	case c < -math.MaxInt32:
		return -math.MaxInt32
	}
	return int(c)
}

// clampReason bounds d to [min, max] and names the bound that applied.
func clampReason(d, min, max int, reason string) (int, string) {
	if d > max {
		return max, ReasonTooManyReplicas
	}
	if d < min {
		return min, ReasonTooFewReplicas
	}
	return d, reason
}

// countedAverage is the average of Metric over running, ready instances
// that have a sample and were ready at least warmup before now, and
// their number.
func countedAverage(obs Observation, warmup engine.Duration) (avg float64, n int) {
	var sum float64
	for _, p := range obs.Pods { // fixed order: obs.Pods is stable
		if p.Phase != PodRunning || !p.Ready || !p.HasMetric || obs.Now < p.ReadyAt.Add(warmup) {
			continue
		}
		sum += p.Metric
		n++
	}
	if n == 0 {
		return 0, 0
	}
	return sum / float64(n), n
}
