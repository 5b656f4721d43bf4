package autoscale

import (
	"math"

	"github.com/clustersim/clustersim/sim/engine"
)

// defaultPredictiveStep is the forecast history's resolution: one sample
// per HPA sync period.
const defaultPredictiveStep = 15 * Second

// PredictiveConfig configures a Predictive policy.
type PredictiveConfig struct {
	// Metric selects the load signal: for cpu, rps and in_flight the sum
	// of Metric over running instances with samples (total load); for
	// queue the External total.
	Metric MetricKind
	// Target is the load one instance should carry, in the signal's unit
	// (rps per instance, CPU fraction per instance...).
	Target float64
	// Period is the seasonality the forecast repeats (e.g. 24 h).
	Period engine.Duration
	// Lead is how far ahead to provision, typically the time a new
	// instance takes to become ready; 0 ≤ Lead < Period. The history kept
	// covers one Period, enough for any such Lead.
	Lead engine.Duration
	// Step is the history's resolution; default 15 s.
	Step engine.Duration
	// Headroom is the extra capacity fraction over the forecast (0.2 =
	// 20% more).
	Headroom float64
	// Min and Max bound the result.
	Min, Max int
}

// DefaultPredictiveConfig returns rps at 100 per instance, a 24 h period,
// a 5 min lead, a 15 s step, 10% headroom and bounds 1..10.
func DefaultPredictiveConfig() PredictiveConfig {
	return PredictiveConfig{Metric: MetricRPS, Target: 100, Period: 24 * 60 * Minute, Lead: 5 * Minute,
		Step: defaultPredictiveStep, Headroom: 0.1, Min: 1, Max: 10}
}

// sample is one slot of the history ring: the largest load seen in the
// step-long slot number slot.
type sample struct {
	slot int64
	load float64
	ok   bool
}

// Predictive provisions for the load one Period ago shifted by Lead: at
// now it forecasts the load at now+Lead as the load observed at
// now+Lead-Period, and wants ceil(forecast×(1+Headroom)/Target)
// instances, never fewer than its reactive inner policy wants (the
// larger of the two; without an inner policy the forecast alone),
// clamped to [Min, Max]. Its state is a ring of one
// sample per Step covering one Period (the largest load seen in each
// step). Without history for the forecast time it defers to the inner
// policy.
type Predictive struct {
	cfg      PredictiveConfig
	inner    Policy
	min, max int
	ring     []sample
}

var (
	_ Policy  = (*Predictive)(nil)
	_ Bounded = (*Predictive)(nil)
)

// NewPredictive validates cfg and returns the policy; inner may be nil.
func NewPredictive(cfg PredictiveConfig, inner Policy) (*Predictive, error) {
	if cfg.Step == 0 {
		cfg.Step = defaultPredictiveStep
	}
	if !cfg.Metric.valid() {
		return nil, configErr("predictive metric %q is not cpu, rps, in_flight, queue or connections", cfg.Metric)
	}
	if !(cfg.Target > 0) || math.IsInf(cfg.Target, 0) || cfg.Headroom < 0 {
		return nil, configErr("predictive target %v must be positive and headroom %v not negative", cfg.Target, cfg.Headroom)
	}
	if cfg.Step < 0 || cfg.Period < cfg.Step || cfg.Lead < 0 || cfg.Lead >= cfg.Period {
		return nil, configErr("predictive needs 0 < step ≤ period and 0 ≤ lead < period")
	}
	if cfg.Min < 0 || cfg.Min > cfg.Max {
		return nil, configErr("predictive bounds min %d max %d", cfg.Min, cfg.Max)
	}
	n := (cfg.Period+cfg.Step-1)/cfg.Step + 1
	return &Predictive{cfg: cfg, inner: inner, min: cfg.Min, max: cfg.Max, ring: make([]sample, n)}, nil
}

// Name implements Policy.
func (p *Predictive) Name() string { return "predictive" }

// SetBounds implements Bounded, for this policy and its inner one.
func (p *Predictive) SetBounds(min, max int) {
	p.min, p.max = min, max
	if b, ok := p.inner.(Bounded); ok {
		b.SetBounds(min, max)
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func (p *Predictive) index(slot int64) int {
	n := int64(len(p.ring))
	return int(((slot % n) + n) % n)
}

// record stores load at now, keeping the largest load of the slot.
func (p *Predictive) record(now engine.Time, load float64) {
	slot := floorDiv(int64(now), int64(p.cfg.Step))
	s := &p.ring[p.index(slot)]
	if !s.ok || s.slot != slot {
		*s = sample{slot: slot, load: load, ok: true}
	} else if load > s.load {
		s.load = load
	}
}

// Forecast returns the load expected at t (t-Period as observed) and
// whether the history holds it.
func (p *Predictive) Forecast(t engine.Time) (float64, bool) {
	slot := floorDiv(int64(t.Add(-p.cfg.Period)), int64(p.cfg.Step))
	s := p.ring[p.index(slot)]
	if !s.ok || s.slot != slot {
		return 0, false
	}
	return s.load, true
}

// load is the observation's load signal.
func (p *Predictive) load(obs Observation) (float64, bool) {
	if p.cfg.Metric == MetricQueue {
		return obs.External, obs.HasExternal
	}
	var sum float64
	n := 0
	for _, s := range obs.Pods {
		if s.Phase != PodRunning || !s.HasMetric {
			continue
		}
		sum += s.Metric
		n++
	}
	return sum, n > 0
}

// Decide implements Policy.
func (p *Predictive) Decide(obs Observation) (Decision, error) {
	if l, ok := p.load(obs); ok {
		p.record(obs.Now, l)
	}
	d := Decision{Desired: obs.Current, Recommended: obs.Current, Reason: ReasonDesiredWithinRange}
	if p.inner != nil {
		var err error
		if d, err = p.inner.Decide(obs); err != nil {
			return d, err
		}
	}
	if fc, ok := p.Forecast(obs.Now.Add(p.cfg.Lead)); ok {
		if want := ceilEps(fc * (1 + p.cfg.Headroom) / p.cfg.Target); want > d.Desired || p.inner == nil {
			d = Decision{Desired: want, Recommended: want, Metric: fc, Ratio: fc / (p.cfg.Target * float64(max(obs.Current, 1))), Reason: ReasonPredicted}
		}
	}
	d.Desired, d.Reason = clampReason(d.Desired, p.min, p.max, d.Reason)
	return d, nil
}
