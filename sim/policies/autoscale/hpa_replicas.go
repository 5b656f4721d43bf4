package autoscale

import "math"

// Recommendation is the HPA replica calculator's proposal for one metric,
// before stabilisation, rate limits and bounds (replica_calculator.go).
type Recommendation struct {
	// Replicas is the proposed replica count.
	Replicas int
	// Metric is the current metric as the HPA reports it in status: for
	// cpu the average utilisation of the counted pods in whole percent
	// divided by 100; for rps and in_flight the per-pod average; for
	// queue the external total divided by the number of instances.
	Metric float64
	// Ratio is the first usage ratio computed (metric/target; for queue,
	// total/(target×instances)).
	Ratio float64
	// Reason is ReasonWithinTolerance or ReasonDirectionReversed when the
	// calculator kept the current count, a ReasonFailedGet… reason when
	// no metric was usable, and "" otherwise.
	Reason string
	// Failed reports that no metric was usable; Replicas is then the
	// current count and the HPA does not scale.
	Failed bool
}

// milli converts a metric value to Kubernetes milli-units, as
// resource.Quantity.MilliValue does for the values the HPA reads. It
// rounds to nearest so that 0.7 gives 700, not 701.
func milli(v float64) int64 { return int64(math.Round(v * 1000)) }

// tolerances is Kubernetes' Tolerances: the band [1-down, 1+up] of usage
// ratios that keep the current count.
type tolerances struct{ down, up float64 }

func (t tolerances) within(r float64) bool { return 1.0-t.down <= r && r <= 1.0+t.up }

// Recommend runs the HPA replica calculator on obs: it is pure and does
// not change the HPA's state. It reproduces replica_calculator.go: pods
// are grouped (groupPods) into counted, unready (Pending, or for cpu
// unready or initialising by the CPU-initialisation rules) and missing
// (no metric); the usage ratio is computed over the counted pods; within
// tolerance it keeps obs.Current, and with no unready or missing pods it
// proposes ceil(ratio × counted). Otherwise missing pods are assumed at
// 100% of the request (cpu; or the target if that is above 100%) or at
// the target (other metrics) when scaling down, and at 0 when scaling
// up; unready pods are assumed at 0 when scaling up; the ratio is
// recomputed and the count kept if it falls in tolerance or reverses
// direction; else it proposes ceil(newRatio × pods considered).
// Quantities are handled as Kubernetes does: cpu in whole percent of a
// 1000m request, other values in milli-units with integer averages.
func (h *HPA) Recommend(obs Observation) Recommendation {
	if h.cfg.Metric == MetricQueue {
		return h.externalPerPod(obs)
	}
	cpu := h.cfg.Metric == MetricCPU
	fail := ReasonFailedGetPods
	if cpu {
		fail = ReasonFailedGetResource
	}
	var total int64 // milli-units over counted pods
	counted, unready, missing := 0, 0, 0
	for _, p := range obs.Pods {
		switch {
		case p.Terminating:
			continue // ignoredPods: deleted or failed
		case p.Pending:
			unready++
			continue
		case !p.HasMetric:
			missing++
			continue
		case cpu && h.cpuUnready(obs, p):
			unready++
			continue
		}
		counted++
		total += milli(p.Metric)
	}
	if counted == 0 {
		return Recommendation{Replicas: obs.Current, Reason: fail, Failed: true}
	}
	targetPct := int64(math.Round(h.cfg.Target * 100)) // averageUtilization, int32 percent
	targetMilli := milli(h.cfg.Target)                 // averageValue, milli-units
	// ratio returns the usage ratio and the reported metric for total
	// milli-units over n pods (GetResourceUtilizationRatio with equal
	// 1000m requests, or GetMetricUsageRatio).
	ratio := func(total int64, n int) (float64, float64) {
		if cpu {
			util := total * 100 / (int64(n) * 1000)
			return float64(util) / float64(targetPct), float64(util) / 100
		}
		usage := total / int64(n)
		return float64(usage) / float64(targetMilli), float64(usage) / 1000
	}
	tol := h.tolerances()
	usageRatio, metric := ratio(total, counted)
	rec := Recommendation{Metric: metric, Ratio: usageRatio}

	scaleUpWithUnready := unready > 0 && usageRatio > 1.0
	if !scaleUpWithUnready && missing == 0 {
		if tol.within(usageRatio) {
			rec.Replicas, rec.Reason = obs.Current, ReasonWithinTolerance
			return rec
		}
		rec.Replicas = int(math.Ceil(usageRatio * float64(counted)))
		return rec
	}
	n := counted
	if missing > 0 {
		if usageRatio < 1.0 {
			// Scale-down: missing pods use 100% of the request (or the
			// target utilisation if above 100%), or exactly the target.
			fallback := targetMilli
			if cpu {
				fallback = 1000 * max(100, targetPct) / 100
			}
			total += int64(missing) * fallback
			n += missing
		} else if usageRatio > 1.0 {
			n += missing // scale-up: missing pods use 0
		}
	}
	if scaleUpWithUnready {
		n += unready // unready pods use 0
	}
	newRatio, _ := ratio(total, n)
	if tol.within(newRatio) {
		rec.Replicas, rec.Reason = obs.Current, ReasonWithinTolerance
		return rec
	}
	if (usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0) {
		rec.Replicas, rec.Reason = obs.Current, ReasonDirectionReversed
		return rec
	}
	newReplicas := int(math.Ceil(newRatio * float64(n)))
	if (newRatio < 1.0 && newReplicas > obs.Current) || (newRatio > 1.0 && newReplicas < obs.Current) {
		rec.Replicas, rec.Reason = obs.Current, ReasonDirectionReversed
		return rec
	}
	rec.Replicas = newReplicas
	return rec
}

// cpuUnready applies groupPods' CPU rules to a running pod with a metric:
// within CPUInitializationPeriod of its start a pod is unready if it is
// not ready or its metric window began before it became ready; after
// that, only if it is not ready and never was (its readiness last changed
// within InitialReadinessDelay of its start).
func (h *HPA) cpuUnready(obs Observation, p PodSample) bool {
	if p.StartedAt+h.cfg.CPUInitializationPeriod > obs.Now {
		stale := obs.MetricWindow > 0 && obs.MetricAt < p.ReadyAt+obs.MetricWindow
		return !p.Ready || stale
	}
	return !p.Ready && p.StartedAt+h.cfg.InitialReadinessDelay > p.ReadyAt
}

// externalPerPod is GetExternalPerPodMetricReplicas: an External metric
// with an averageValue target. The instance count is the scale's
// status.replicas (here: instances not terminating); the usage ratio is
// total/(target × instances) and, outside tolerance, the proposal is
// ceil(total/target), independent of the current count.
func (h *HPA) externalPerPod(obs Observation) Recommendation {
	if !obs.HasExternal {
		return Recommendation{Replicas: obs.Current, Reason: ReasonFailedGetExternal, Failed: true}
	}
	status := 0
	for _, p := range obs.Pods {
		if !p.Terminating {
			status++
		}
	}
	usage := milli(obs.External)
	target := milli(h.cfg.Target)
	rec := Recommendation{Replicas: status}
	rec.Ratio = float64(usage) / (float64(target) * float64(status))
	if h.tolerances().within(rec.Ratio) {
		rec.Reason = ReasonWithinTolerance
	} else {
		rec.Replicas = int(math.Ceil(float64(usage) / float64(target)))
	}
	if status > 0 {
		rec.Metric = math.Ceil(float64(usage)/float64(status)) / 1000
	} else {
		rec.Ratio = 0 // Kubernetes divides by zero here; report no ratio
	}
	return rec
}
