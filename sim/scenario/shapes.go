package scenario

import (
	"math"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// This file holds a [[workload]]'s diurnal profile (profile,
// profile_start); config.go declares the fields.

// profileHours is the length of a profile: one value per hour of the day.
const profileHours = 24

// validateProfile checks a workload's profile and profile_start.
func (d *checker) validateProfile(w *Workload, p tomlpos.Path, closed bool) {
	pp, sp := p.Child("profile"), p.Child("profile_start")
	if !d.IsSet(pp) {
		if d.IsSet(sp) {
			d.Errorf(ErrInvalid, sp, "give a profile, or remove it", "profile_start needs a profile")
		}
		return
	}
	switch {
	case closed:
		d.Errorf(ErrInvalid, pp, "use users_schedule to vary a closed loop's users", "profile does not apply with users")
	case w.Arrival != ArrivalPoisson && w.Arrival != ArrivalConstant:
		d.Errorf(ErrInvalid, pp, `use arrival = "poisson" or "constant"`, "profile does not apply to arrival = %q", w.Arrival)
	case len(w.Schedule) > 0:
		d.Errorf(ErrInvalid, p.Child("schedule"), "a profile gives the rate over the day; use one or the other", "schedule does not apply with a profile")
	}
	if len(w.Profile) != profileHours {
		d.Errorf(ErrInvalid, pp, "one multiplier of rate per hour of the day, from 00:00", "must hold %d values, got %d", profileHours, len(w.Profile))
	}
	any := false
	for i, v := range w.Profile {
		if !(v >= 0) || math.IsInf(v, 0) {
			d.Errorf(ErrInvalid, pp.Elem(i, ""), "a multiplier of rate", "must be a finite number >= 0, got %v", v)
		}
		any = any || v > 0
	}
	if !any && len(w.Profile) == profileHours {
		d.Errorf(ErrInvalid, pp, "at least one hour needs traffic", "every value is 0")
	}
	if !(w.ProfileStart >= 0 && w.ProfileStart < profileHours) {
		d.Errorf(ErrInvalid, sp, "the hour of the day at the start of the run", "must be >= 0 and < 24, got %v", w.ProfileStart)
	}
}

// workloadCurve is a workload's rate over [0, dur]: its diurnal profile
// when it has one, else its rate and schedule.
func workloadCurve(w Workload, dur Duration) models.RateCurve {
	if len(w.Profile) == profileHours {
		return profileCurve(w.Rate, w.Profile, w.ProfileStart, engine.Duration(dur))
	}
	return rateCurve(w)
}

// profileCurve is the piecewise-constant rate rate × profile[hour of day]
// over [0, dur], the run starting at hour start: a step at each hour
// boundary where the value changes, and nothing after dur.
func profileCurve(rate float64, profile []float64, start float64, dur engine.Duration) models.RateCurve {
	hour := int(start)
	at := engine.Time(0)
	// The first boundary is the next full hour after start.
	next := engine.Time(engine.FromSeconds((float64(hour+1) - start) * 3600))
	curve := models.RateCurve{{At: 0, Rate: rate * profile[hour]}}
	for next <= engine.Time(dur) && next > at {
		hour = (hour + 1) % profileHours
		r := rate * profile[hour]
		if prev := curve[len(curve)-1].Rate; r != prev {
			curve = append(curve, models.RatePoint{At: next, Rate: prev}, models.RatePoint{At: next, Rate: r})
		}
		at, next = next, next.Add(engine.Hour)
	}
	return curve
}
