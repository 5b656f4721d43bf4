package deploy

import "math"

// CanaryReplicas returns the instances of the canary and of the stable
// version for a canary weight (percent of traffic) over replicas, when
// the weight is approximated by replica counts, as Argo Rollouts does for
// a basic canary without a traffic router: the canary gets
// ceil(replicas × weight / 100) instances (at least one for a positive
// weight), the stable version the rest.
func CanaryReplicas(replicas int, weight float64) (canary, stable int) {
	if weight <= 0 {
		return 0, replicas
	}
	canary = int(math.Ceil(float64(replicas) * weight / 100))
	canary = min(max(canary, 1), replicas)
	return canary, replicas - canary
}

// Sample is one version's figures over an analysis interval.
type Sample struct {
	OK, Errors int64   // requests answered and failed
	P99Ms      float64 // 99th percentile latency of successful requests; NaN when none
}

// Judge is a canary judge in the style of Kayenta's NetflixACAJudge: each
// metric is classified Pass or High comparing canary to baseline, and the
// score is the percentage of metrics that pass (equal weights); the
// canary passes when the score reaches Threshold.
type Judge struct {
	// Threshold is the passing score, 0-100 (Kayenta's pass threshold,
	// commonly 95).
	Threshold float64
	// ErrorZ is the one-sided z of the two-proportion test above which the
	// canary's error rate is High (2.326: 1% false alarms).
	ErrorZ float64
	// LatencyRatio is the canary/baseline p99 ratio above which the
	// canary's latency is High (1.2: 20% worse).
	LatencyRatio float64
	// MinRequests is the fewest canary requests a verdict needs; with
	// fewer the metric is not judged (it passes, like Kayenta's NoData
	// without "fail on no data").
	MinRequests int64
}

// DefaultJudge returns the judge's defaults.
func DefaultJudge() Judge {
	return Judge{Threshold: 95, ErrorZ: 2.326, LatencyRatio: 1.2, MinRequests: 50}
}

// Verdict is a judge's result.
type Verdict struct {
	Score        float64 // 0-100
	Pass         bool
	ErrorHigh    bool // the error-rate metric failed
	LatencyHigh  bool // the latency metric failed
	ErrorZ       float64
	LatencyRatio float64 // NaN when either side has no successful request
}

// Score compares canary to baseline on error rate (a one-sided
// two-proportion z-test, pooled variance) and p99 latency (a ratio).
func (j Judge) Score(canary, baseline Sample) Verdict {
	v := Verdict{LatencyRatio: math.NaN()}
	metrics, passed := 0, 0
	cn, bn := canary.OK+canary.Errors, baseline.OK+baseline.Errors
	if cn >= j.MinRequests && bn > 0 {
		metrics++
		pc := float64(canary.Errors) / float64(cn)
		pb := float64(baseline.Errors) / float64(bn)
		p := float64(canary.Errors+baseline.Errors) / float64(cn+bn)
		se := math.Sqrt(p * (1 - p) * (1/float64(cn) + 1/float64(bn)))
		if se > 0 { // se is 0 only when both error rates are 0 or both 1
			v.ErrorZ = (pc - pb) / se
		}
		v.ErrorHigh = v.ErrorZ > j.ErrorZ
		if !v.ErrorHigh {
			passed++
		}
	}
	if canary.OK >= j.MinRequests && !math.IsNaN(canary.P99Ms) && !math.IsNaN(baseline.P99Ms) && baseline.P99Ms > 0 {
		metrics++
		v.LatencyRatio = canary.P99Ms / baseline.P99Ms
		v.LatencyHigh = v.LatencyRatio > j.LatencyRatio
		if !v.LatencyHigh {
			passed++
		}
	}
	v.Score = 100
	if metrics > 0 {
		v.Score = 100 * float64(passed) / float64(metrics)
	}
	v.Pass = v.Score >= j.Threshold
	return v
}

// ABBucket returns the version (0 for A, 1 for B) a key is sticky to when
// share (0-1) of keys go to B: a 64-bit mix of the key compared with the
// share, so the same key always lands on the same side and keys split in
// proportion.
func ABBucket(key uint64, share float64) int {
	x := key + 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	x ^= x >> 31
	if float64(x>>11)/(1<<53) < share {
		return 1
	}
	return 0
}
