package autoscale

import "github.com/clustersim/clustersim/sim/engine"

// CloudWatch-style metric alarms shared by TargetTracking and StepScaling.
//
// References:
//   - CloudWatch alarm evaluation (Period, EvaluationPeriods,
//     DatapointsToAlarm: "M out of N"),
//     https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html
//   - "Except for Auto Scaling actions, the actions happen only on state
//     transitions", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html;
//     "an alarm invokes an Auto Scaling action once each minute when the
//     alarm remains in a new state, regardless of the configured time
//     period", https://repost.aws/knowledge-center/autoscaling-policy-cloudwatch-alarm
//
// How sync observations become datapoints. The simulator calls Decide once
// per sync (default every 15 s) and each observation carries metrics the
// pipeline collected over the window just before obs.Now. A datapoint
// covers the period (end-P, end], end a multiple of the alarm period P,
// and is the average of the per-observation aggregates of the
// observations whose Now lies in it: with 15 s syncs at 15, 30, 45, 60 s
// the first one-minute datapoint averages those four and is complete at
// the sync at 60 s. A period is complete, and the alarms are evaluated, at
// the sync whose Now is its end, or at the first sync after its end when
// no sync falls on it. A period whose observations all lack the metric,
// or that no sync falls in, gives a missing datapoint, which never
// breaches (CloudWatch TreatMissingData "notBreaching"; target tracking
// "does not scale in when the state of the alarm is INSUFFICIENT_DATA").

// alarmInvokeInterval is how often an alarm that stays in ALARM invokes
// its scaling policy again.
const alarmInvokeInterval = Minute

// defaultAlarmPeriod is the CloudWatch datapoint period AWS uses for
// target tracking alarms (a target tracking metric period "greater than 60
// isn't supported", EC2 Auto Scaling high-resolution metrics guide) and
// the one-minute period of detailed monitoring.
const defaultAlarmPeriod = 60 * Second

// maxEvaluationPeriods bounds an alarm's EvaluationPeriods (and so the
// datapoint ring): CloudWatch allows at most one day of evaluation range,
// 8640 periods of 10 s.
const maxEvaluationPeriods = 8640

// datapoint is one period's aggregate; ok is false for a missing one.
type datapoint struct {
	v  float64
	ok bool
}

// alarmSeries turns per-sync observations into fixed-period datapoints and
// keeps the newest ones in a ring. It allocates only when built.
type alarmSeries struct {
	period  engine.Duration
	ring    []datapoint // newest at ring[(head-1) mod len]
	head, n int         // next write index, datapoints held
	end     engine.Time // end of the current period
	sum     float64     // sum of the current period's observation aggregates
	cnt     int         // observations with the metric in the current period
	open    bool        // the current period is still collecting
	started bool
}

func newAlarmSeries(period engine.Duration, keep int) alarmSeries {
	return alarmSeries{period: period, ring: make([]datapoint, keep)}
}

// periodEnd returns the end of the period (end-P, end] holding t.
func (s *alarmSeries) periodEnd(t engine.Time) engine.Time {
	p := engine.Time(s.period)
	q := t / p
	if q*p < t {
		q++ // ceil for positive t; Go division truncates toward zero
	}
	return q * p
}

func (s *alarmSeries) push(d datapoint) {
	s.ring[s.head] = d
	s.head = (s.head + 1) % len(s.ring)
	s.n = min(s.n+1, len(s.ring))
}

// close completes the current period.
func (s *alarmSeries) close() {
	d := datapoint{}
	if s.cnt > 0 {
		d = datapoint{v: s.sum / float64(s.cnt), ok: true}
	}
	s.push(d)
	s.open = false
}

// observe records the aggregate v (valid if ok) of an observation at now
// and reports whether at least one datapoint was completed.
func (s *alarmSeries) observe(now engine.Time, v float64, ok bool) bool {
	end := s.periodEnd(now)
	completed := false
	if s.started && end > s.end {
		if s.open {
			s.close()
			completed = true
		}
		for k := min(int64(end.Sub(s.end)/s.period)-1, int64(len(s.ring))); k > 0; k-- {
			s.push(datapoint{}) // periods no sync fell in
			completed = true
		}
	}
	if !s.started || end > s.end {
		s.end, s.sum, s.cnt, s.open, s.started = end, 0, 0, true, true
	}
	if !s.open {
		return completed // a second observation at a closed period's end
	}
	if ok {
		s.sum += v
		s.cnt++
	}
	if now == s.end {
		s.close()
		completed = true
	}
	return completed
}

// latest returns the newest complete datapoint; has is false before the
// first one.
func (s *alarmSeries) latest() (d datapoint, has bool) {
	if s.n == 0 {
		return datapoint{}, false
	}
	return s.ring[(s.head-1+len(s.ring))%len(s.ring)], true
}

// breaching counts the datapoints among the newest n that breach
// threshold under c.
func (s *alarmSeries) breaching(n int, c Comparison, threshold float64) int {
	k := 0
	for i := 1; i <= min(n, s.n); i++ {
		if d := s.ring[(s.head-i+len(s.ring))%len(s.ring)]; d.ok && c.breaches(d.v, threshold) {
			k++
		}
	}
	return k
}

// breaches reports whether v breaches threshold under c.
func (c Comparison) breaches(v, threshold float64) bool {
	switch c {
	case GreaterThanOrEqual:
		return v >= threshold
	case GreaterThan:
		return v > threshold
	case LessThan:
		return v < threshold
	default:
		return v <= threshold
	}
}

// above reports whether c is an "above the threshold" comparison.
func (c Comparison) above() bool { return c == GreaterThanOrEqual || c == GreaterThan }

// alarm is one CloudWatch metric alarm over an alarmSeries: in ALARM when
// at least datapoints of the newest evaluation datapoints breach.
type alarm struct {
	cmp         Comparison
	threshold   float64
	evaluation  int         // EvaluationPeriods (N)
	datapoints  int         // DatapointsToAlarm (M)
	on          bool        // in ALARM
	rose        bool        // entered ALARM at the last evaluation
	lastInvoked engine.Time // when it last invoked its policy
}

// evaluate updates the alarm state from s after a datapoint completed.
func (a *alarm) evaluate(s *alarmSeries) {
	was := a.on
	a.on = s.breaching(a.evaluation, a.cmp, a.threshold) >= a.datapoints
	a.rose = a.on && !was
}

// invoke reports whether the alarm invokes its scaling policy at now: on
// entering ALARM, then once a minute while it stays there.
func (a *alarm) invoke(now engine.Time) bool {
	if !a.on || !a.rose && now < a.lastInvoked.Add(alarmInvokeInterval) {
		return false
	}
	a.lastInvoked, a.rose = now, false
	return true
}
