package autoscale

import (
	"math"

	"github.com/clustersim/clustersim/sim/engine"
)

// The normalisation of horizontal.go: stabilisation over the
// recommendation history, rate limits over the scale-event history,
// bounds, and the legacy path for an HPA without behavior.

// normalizeWithBehaviors is normalizeDesiredReplicasWithBehaviors:
// stabilise, then apply the rate limits and bounds. The reason is the
// limit that applied, else the stabilisation that applied, else
// DesiredWithinRange.
func (h *HPA) normalizeWithBehaviors(now engine.Time, current, desired int) (int, string) {
	stabilized, stabReason := h.stabilizeWithBehaviors(now, current, desired)
	limited, limReason := h.convertWithBehaviorRate(now, current, stabilized)
	switch {
	case limited != stabilized:
		return limited, limReason
	case stabilized != desired:
		return stabilized, stabReason
	}
	return limited, ReasonDesiredWithinRange
}

// stabilizeWithBehaviors is stabilizeRecommendationWithBehaviors: the
// result is current moved towards desired but no further than the
// smallest recommendation in the scale-up window and the largest in the
// scale-down window (both including desired). A recommendation counts if
// it is strictly newer than now minus the window. The new recommendation
// is then stored, reusing a slot older than both windows.
func (h *HPA) stabilizeWithBehaviors(now engine.Time, current, desired int) (int, string) {
	upCutoff, downCutoff := now.Add(-h.up.window), now.Add(-h.down.window)
	upRec, downRec := desired, desired
	old := -1
	for i, r := range h.recommendations {
		if r.at > upCutoff {
			upRec = min(upRec, r.replicas)
		}
		if r.at > downCutoff {
			downRec = max(downRec, r.replicas)
		}
		if r.at < upCutoff && r.at < downCutoff {
			old = i
		}
	}
	rec := current
	if rec < upRec {
		rec = upRec
	}
	if rec > downRec {
		rec = downRec
	}
	h.storeRecommendation(old, desired, now)
	if desired >= current {
		return rec, ReasonScaleUpStabilized
	}
	return rec, ReasonScaleDownStabilized
}

func (h *HPA) storeRecommendation(old, replicas int, now engine.Time) {
	r := timestampedRecommendation{replicas, now}
	if old >= 0 {
		h.recommendations[old] = r
	} else {
		h.recommendations = append(h.recommendations, r)
	}
}

// convertWithBehaviorRate is convertDesiredReplicasWithBehaviorRate.
func (h *HPA) convertWithBehaviorRate(now engine.Time, current, desired int) (int, string) {
	if desired > current {
		limit := h.scaleUpLimit(now, current)
		if limit < current {
			limit = current // wait until the events age out
		}
		maxAllowed, reason := h.max, ReasonTooManyReplicas
		if maxAllowed > limit {
			maxAllowed, reason = limit, ReasonScaleUpLimit
		}
		if desired > maxAllowed {
			return maxAllowed, reason
		}
	} else if desired < current {
		limit := h.scaleDownLimit(now, current)
		if limit > current {
			limit = current
		}
		minAllowed, reason := h.min, ReasonTooFewReplicas
		if minAllowed < limit {
			minAllowed, reason = limit, ReasonScaleDownLimit
		}
		if desired < minAllowed {
			return minAllowed, reason
		}
	}
	return desired, ReasonDesiredWithinRange
}

// changeInPeriod is getReplicasChangePerPeriod: the total change of the
// events strictly newer than now minus period.
func changeInPeriod(now engine.Time, period engine.Duration, events []timestampedScaleEvent) int {
	cutoff := now.Add(-period)
	n := 0
	for _, e := range events {
		if e.at > cutoff {
			n += e.change
		}
	}
	return n
}

// scaleUpLimit is calculateScaleUpLimitWithScalingRules: per policy, the
// replicas at the start of its period (current minus additions plus
// removals within it) plus Value pods, or times 1+Value/100 rounded up;
// Max selects the largest, Min the smallest; Disabled allows none.
func (h *HPA) scaleUpLimit(now engine.Time, current int) int {
	r := h.up
	if r.selectPol == SelectDisabled {
		return current
	}
	result := math.MinInt32
	if r.selectPol == SelectMin {
		result = math.MaxInt32
	}
	for _, p := range r.policies {
		start := current - changeInPeriod(now, p.Period, h.upEvents) + changeInPeriod(now, p.Period, h.downEvents)
		var proposed int
		if p.Type == PodsPolicy {
			proposed = start + p.Value
		} else {
			proposed = int(math.Ceil(float64(start) * (1 + float64(p.Value)/100)))
		}
		if r.selectPol == SelectMin {
			result = min(result, proposed)
		} else {
			result = max(result, proposed)
		}
	}
	return result
}

// scaleDownLimit is calculateScaleDownLimitWithBehaviors: per policy, the
// replicas at the start of its period minus Value pods, or times
// 1-Value/100 truncated; Max selects the lowest count (largest change),
// Min the highest; Disabled allows none.
func (h *HPA) scaleDownLimit(now engine.Time, current int) int {
	r := h.down
	if r.selectPol == SelectDisabled {
		return current
	}
	result := math.MaxInt32
	if r.selectPol == SelectMin {
		result = math.MinInt32
	}
	for _, p := range r.policies {
		start := current - changeInPeriod(now, p.Period, h.upEvents) + changeInPeriod(now, p.Period, h.downEvents)
		var proposed int
		if p.Type == PodsPolicy {
			proposed = start - p.Value
		} else {
			proposed = int(float64(start) * (1 - float64(p.Value)/100))
		}
		if r.selectPol == SelectMin {
			result = max(result, proposed)
		} else {
			result = min(result, proposed)
		}
	}
	return result
}

// storeScaleEvent records a change from prev to next at now, reusing a
// slot whose event is older than the direction's longest policy period
// (markScaleEventsOutdated).
func (h *HPA) storeScaleEvent(now engine.Time, prev, next int) {
	events, longest, change := &h.upEvents, h.up.longest, next-prev
	if next < prev {
		events, longest, change = &h.downEvents, h.down.longest, prev-next
	}
	cutoff := now.Add(-longest)
	old := -1
	for i := range *events {
		if (*events)[i].at < cutoff {
			(*events)[i].outdated = true
		}
		if (*events)[i].outdated {
			old = i
		}
	}
	e := timestampedScaleEvent{change: change, at: now}
	if old >= 0 {
		(*events)[old] = e
	} else {
		*events = append(*events, e)
	}
}

// normalizeLegacy is normalizeDesiredReplicas, the path for an HPA
// without spec.behavior: keep the largest recommendation within
// DownscaleStabilization (stabilizeRecommendation), then clamp to
// [min, max(2×current, 4) capped at max] (convertDesiredReplicasWithRules).
func (h *HPA) normalizeLegacy(now engine.Time, current, desired int) (int, string) {
	cutoff := now.Add(-h.cfg.DownscaleStabilization)
	stabilized, old := desired, -1
	for i, r := range h.recommendations {
		if r.at < cutoff {
			old = i
		} else if r.replicas > stabilized {
			stabilized = r.replicas
		}
	}
	h.storeRecommendation(old, desired, now)

	upLimit := int(math.Max(legacyScaleUpFactor*float64(current), legacyScaleUpMinimum))
	maxAllowed, reason := h.max, ReasonTooManyReplicas
	if h.max > upLimit {
		maxAllowed, reason = upLimit, ReasonScaleUpLimit
	}
	switch {
	case stabilized < h.min:
		return h.min, ReasonTooFewReplicas
	case stabilized > maxAllowed:
		return maxAllowed, reason
	case stabilized != desired:
		return stabilized, ReasonScaleDownStabilized
	}
	return stabilized, ReasonDesiredWithinRange
}
