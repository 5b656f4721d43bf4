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
// Values beyond int64 saturate.
func milli(v float64) int64 {
	m := math.Round(v * 1000)
	switch {
	case m >= math.MaxInt64:
		return math.MaxInt64
	case m <= math.MinInt64:
		return math.MinInt64
	}
	return int64(m)
}

// tolerances is Kubernetes' Tolerances: the band [1-down, 1+up] of usage
// ratios that keep the current count.
type tolerances struct{ down, up float64 }

func (t tolerances) within(r float64) bool { return 1.0-t.down <= r && r <= 1.0+t.up }

// Recommend runs the HPA replica calculator on obs: it is pure and does
// not change the HPA's state. It reproduces replica_calculator.go: pods
// are grouped (groupPods) into ignored (Terminating), unready (Pending,
// or for cpu unready or initialising by the CPU-initialisation rules),
// missing (no sample) and counted; the usage ratio is computed over the
// counted pods; within tolerance it keeps obs.Current, and with no
// unready or missing pods it proposes ceil(ratio × counted). Otherwise
// missing pods are assumed at 100% of their request (cpu; or the target
// if that is above 100%) or at the target (other metrics) when scaling
// down, and at 0 when scaling up; unready pods are assumed at 0 when
// scaling up; the ratio is recomputed and the count kept if it falls in
// tolerance or reverses direction; else it proposes ceil(newRatio × pods
// considered). Quantities are handled as Kubernetes does: cpu usage and
// requests in millicores, utilisation = total usage × 100 / total request
// truncated to whole percent; other values in milli-units with integer
// averages. A proposal beyond MaxInt32 is capped there, as the
// controller's int32 replica counts are.
func (h *HPA) Recommend(obs Observation) Recommendation {
	if h.cfg.Metric == MetricQueue {
		return h.externalPerPod(obs)
	}
	cpu := h.cfg.Metric == MetricCPU
	fail := ReasonFailedGetPods
	if cpu {
		fail = ReasonFailedGetResource
	}
	var total, requests int64 // milli-units (cpu: millicores) over counted pods
	counted, unready, missing := 0, 0, 0
	var unreadyReq, missingReq int64                   // their requests, millicores
	var missingFallback int64                          // cpu: their assumed usage on a scale-down, millicores
	targetPct := int64(math.Round(h.cfg.Target * 100)) // averageUtilization, int32 percent
	targetMilli := milli(h.cfg.Target)                 // averageValue, milli-units
	for _, p := range obs.Pods {
		switch {
		case p.Phase == PodTerminating:
			continue // ignoredPods: deleted or failed
		case p.Phase == PodPending:
			unready++
			unreadyReq += requestMilli(p)
			continue
		case !p.HasMetric:
			missing++
			req := requestMilli(p)
			missingReq += req
			missingFallback += req * max(100, targetPct) / 100
			continue
		case cpu && h.cpuUnready(obs, p):
			unready++
			unreadyReq += requestMilli(p)
			continue
		}
		counted++
		if cpu {
			req := requestMilli(p)
			requests += req
			total += int64(math.Round(p.Metric * float64(req)))
		} else {
			total += milli(p.Metric)
		}
	}
	if counted == 0 {
		return Recommendation{Replicas: obs.Current, Reason: fail, Failed: true}
	}
	// ratio returns the usage ratio and the reported metric for total
	// milli-units over n pods with req millicores requested
	// (GetResourceUtilizationRatio, GetMetricUsageRatio).
	ratio := func(total, req int64, n int) (float64, float64) {
		if cpu {
			util := total * 100 / req
			return float64(util) / float64(targetPct), float64(util) / 100
		}
		usage := total / int64(n)
		return float64(usage) / float64(targetMilli), float64(usage) / 1000
	}
	tol := h.tolerances()
	usageRatio, metric := ratio(total, requests, counted)
	rec := Recommendation{Metric: metric, Ratio: usageRatio}

	scaleUpWithUnready := unready > 0 && usageRatio > 1.0
	if !scaleUpWithUnready && missing == 0 {
		if tol.within(usageRatio) {
			rec.Replicas, rec.Reason = obs.Current, ReasonWithinTolerance
			return rec
		}
		rec.Replicas = ceilReplicas(usageRatio * float64(counted))
		return rec
	}
	n := counted
	if missing > 0 {
		if usageRatio < 1.0 {
			// Scale-down: missing pods use 100% of their request (or the
			// target utilisation if above 100%), or exactly the target.
			if cpu {
				total += missingFallback
			} else {
				total += int64(missing) * targetMilli
			}
			requests += missingReq
			n += missing
		} else if usageRatio > 1.0 {
			requests += missingReq // scale-up: missing pods use 0
			n += missing
		}
	}
	if scaleUpWithUnready {
		requests += unreadyReq // unready pods use 0
		n += unready
	}
	newRatio, _ := ratio(total, requests, n)
	if tol.within(newRatio) {
		rec.Replicas, rec.Reason = obs.Current, ReasonWithinTolerance
		return rec
	}
	if (usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0) {
		rec.Replicas, rec.Reason = obs.Current, ReasonDirectionReversed
		return rec
	}
	newReplicas := ceilReplicas(newRatio * float64(n))
	if (newRatio < 1.0 && newReplicas > obs.Current) || (newRatio > 1.0 && newReplicas < obs.Current) {
		rec.Replicas, rec.Reason = obs.Current, ReasonDirectionReversed
		return rec
	}
	rec.Replicas = newReplicas
	return rec
}

// requestMilli is a pod's CPU request in millicores (1000 when unset).
func requestMilli(p PodSample) int64 {
	if p.Request <= 0 {
		return 1000
	}
	return max(int64(math.Round(p.Request*1000)), 1)
}

// ceilReplicas is math.Ceil(x) as a replica count, capped at MaxInt32
// like the controller's int32 arithmetic (a NaN or negative gives 0).
func ceilReplicas(x float64) int {
	c := math.Ceil(x)
	switch {
	case c >= math.MaxInt32:
		return math.MaxInt32
	case c > 0:
		return int(c)
	}
	return 0
}

// cpuUnready applies groupPods' CPU rules to a running pod with a metric:
// within CPUInitializationPeriod of its start a pod is unready if it is
// not ready or its metric window began before it became ready; after
// that, only if it is not ready and never was (its readiness last changed
// within InitialReadinessDelay of its start).
func (h *HPA) cpuUnready(obs Observation, p PodSample) bool {
	if p.StartedAt.Add(h.cfg.CPUInitializationPeriod) > obs.Now {
		stale := obs.MetricWindow > 0 && obs.MetricAt < p.ReadyAt.Add(obs.MetricWindow)
		return !p.Ready || stale
	}
	return !p.Ready && p.StartedAt.Add(h.cfg.InitialReadinessDelay) > p.ReadyAt
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
		if p.Phase != PodTerminating {
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
		rec.Replicas = ceilReplicas(float64(usage) / float64(target))
	}
	if status > 0 {
		rec.Metric = math.Ceil(float64(usage)/float64(status)) / 1000
	} else {
		rec.Ratio = 0 // Kubernetes divides by zero here; report no ratio
	}
	return rec
}
