// Package health holds the balancer's view of its backends' health as
// Envoy keeps it: active health checking (a check every interval, a host
// marked unhealthy after unhealthy_threshold consecutive failures and
// healthy again after healthy_threshold successes) and passive outlier
// detection (a host ejected on its consecutive_5xx-th consecutive 5xx, at
// once, and returned on an interval tick once its ejection time is over).
// Both are pure state machines of observed results and the time, table-
// tested against times worked by hand.
//
// References: Envoy's health checking architecture overview and
// config.core.v3.HealthCheck (interval, timeout, unhealthy_threshold and
// healthy_threshold are required fields there, with no defaults); outlier
// detection overview and config.cluster.v3.OutlierDetection (defaults:
// consecutive_5xx 5, interval 10 s, base_ejection_time 30 s,
// max_ejection_percent 10, max_ejection_time 300 s).
package health

import "github.com/clustersim/clustersim/sim/engine"

// Checker is an active health checker's settings.
type Checker struct {
	Interval           engine.Duration // from one check's result to the next check
	Timeout            engine.Duration // a check unanswered this long fails
	UnhealthyThreshold int             // consecutive failures that mark a healthy host unhealthy
	HealthyThreshold   int             // consecutive successes that mark an unhealthy host healthy
}

// CheckState is one host as the checker sees it.
type CheckState struct {
	Unhealthy bool
	Streak    int // consecutive results against the current status
}

// Observe folds one check result into a host's state and reports whether
// its status flipped.
func (c Checker) Observe(s CheckState, ok bool) (CheckState, bool) {
	if ok != s.Unhealthy { // a result agreeing with the status
		s.Streak = 0
		return s, false
	}
	s.Streak++
	need := c.UnhealthyThreshold
	if s.Unhealthy {
		need = c.HealthyThreshold
	}
	if s.Streak >= need {
		return CheckState{Unhealthy: !s.Unhealthy}, true
	}
	return s, false
}

// ResultAt returns when the result of a check sent at sent is known: at
// once from a host that answers or refuses the connection, after the
// timeout from one that does not answer (a hung process).
func (c Checker) ResultAt(sent engine.Time, answers bool) engine.Time {
	if answers {
		return sent
	}
	return sent.Add(c.Timeout)
}

// Next returns when the check after one whose result came at resultAt is
// sent: Envoy arms the interval timer when a check completes.
func (c Checker) Next(resultAt engine.Time) engine.Time { return resultAt.Add(c.Interval) }

// Detection returns when a host that fails from failedAt on, with checks
// sent at firstCheck, firstCheck+..., is marked unhealthy: the first check
// at or after failedAt is the first failure, and each later one comes an
// interval after the previous result (a timeout later for a hung host).
// firstCheck is the first check at or after failedAt.
func (c Checker) Detection(firstCheck engine.Time, answers bool) engine.Time {
	t := firstCheck
	for i := 1; ; i++ {
		res := c.ResultAt(t, answers)
		if i >= c.UnhealthyThreshold {
			return res
		}
		t = c.Next(res)
	}
}

// Outlier is passive outlier detection's settings.
type Outlier struct {
	Consecutive5xx     int             // consecutive 5xx that eject a host
	Interval           engine.Duration // between unejection sweeps
	BaseEjection       engine.Duration // ejection time × times ejected ...
	MaxEjection        engine.Duration // ... capped here
	MaxEjectionPercent int             // at most this share of hosts ejected, but always one
}

// DefaultOutlier returns Envoy's outlier-detection defaults.
func DefaultOutlier() Outlier {
	return Outlier{Consecutive5xx: 5, Interval: 10 * engine.Second, BaseEjection: 30 * engine.Second,
		MaxEjection: 300 * engine.Second, MaxEjectionPercent: 10}
}

// HostOutlier is one host as outlier detection sees it.
type HostOutlier struct {
	Ejected     bool
	Consecutive int         // consecutive 5xx so far
	Times       int         // times ejected
	EjectedAt   engine.Time // start of the current ejection
}

// CanEject reports whether one more host may be ejected when ejected of
// total are: Envoy ejects while (ejected+1)/total stays within
// max_ejection_percent, and always allows the first.
func (o Outlier) CanEject(ejected, total int) bool {
	if ejected == 0 {
		return true
	}
	return 100*(ejected+1) <= o.MaxEjectionPercent*total
}

// Observe folds one response into a host's state at now: a 5xx extends
// its run, anything else ends it. It reports whether the host is ejected
// now (the response that completes the run ejects at once, if CanEject
// allows; otherwise the run goes on counting).
func (o Outlier) Observe(h HostOutlier, is5xx bool, now engine.Time, ejected, total int) (HostOutlier, bool) {
	if !is5xx {
		h.Consecutive = 0
		return h, false
	}
	h.Consecutive++
	if h.Ejected || h.Consecutive < o.Consecutive5xx || !o.CanEject(ejected, total) {
		return h, false
	}
	h.Ejected, h.Consecutive, h.EjectedAt = true, 0, now
	h.Times++
	return h, true
}

// EjectionTime returns how long a host ejected for the times-th time
// stays out: base_ejection_time × times, capped at max(base, max_ejection_time).
func (o Outlier) EjectionTime(times int) engine.Duration {
	d := o.BaseEjection.Mul(int64(times))
	return min(d, max(o.BaseEjection, o.MaxEjection))
}

// Sweep is the interval tick's decision for one host: whether an ejected
// host returns at now.
func (o Outlier) Sweep(h HostOutlier, now engine.Time) (HostOutlier, bool) {
	if !h.Ejected || now < h.EjectedAt.Add(o.EjectionTime(h.Times)) {
		return h, false
	}
	h.Ejected = false
	return h, true
}
