package scenario

import (
	"math"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// validateMMPP checks a workload's mmpp table; it reports whether the
// workload is an MMPP (then rate, schedule and trace are checked here).
func (d *checker) validateMMPP(w *Workload, p tomlpos.Path, closed bool) bool {
	mp := p.Child("mmpp")
	if closed || w.Arrival != ArrivalMMPP {
		if w.MMPP != nil {
			d.Errorf(ErrInvalid, mp, `set arrival = "mmpp"`, "mmpp needs arrival = \"mmpp\", not %q", w.Arrival)
		}
		return false
	}
	for _, k := range []string{"rate", "schedule", "trace"} {
		if d.IsSet(p.Child(k)) {
			d.Errorf(ErrInvalid, p.Child(k), "the mmpp table gives the rates", "%s does not apply to arrival = \"mmpp\"", k)
		}
	}
	m := w.MMPP
	if m == nil {
		d.Errorf(ErrMissing, mp, `for example mmpp = { rate_on = 100, rate_off = 10, mean_on = "5s", mean_off = "20s" }`, "required with arrival = \"mmpp\"")
		return true
	}
	for i, r := range []float64{m.RateOn, m.RateOff} {
		k := [...]string{"rate_on", "rate_off"}[i]
		if !(r >= 0) || math.IsInf(r, 0) {
			d.Errorf(ErrInvalid, mp.Child(k), "requests per second", "must be a finite number >= 0, got %v", r)
		}
	}
	if m.RateOn == 0 && m.RateOff == 0 {
		d.Errorf(ErrInvalid, mp.Child("rate_on"), "give rate_on or rate_off > 0", "both rates are 0")
	}
	for _, k := range []string{"mean_on", "mean_off"} {
		v := m.MeanOn
		if k == "mean_off" {
			v = m.MeanOff
		}
		if !d.IsSet(mp.Child(k)) {
			d.Errorf(ErrMissing, mp.Child(k), "the mean spell, for example \"5s\"", "required")
		} else if engine.Duration(v) < engine.Millisecond {
			d.Errorf(ErrInvalid, mp.Child(k), "", "must be >= 1ms, got %s", v)
		}
	}
	return true
}
