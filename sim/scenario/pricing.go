package scenario

import (
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/cost"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// Pricing is how a service's instance-hours are bought: "on_demand"
// (default), "reserved" or "spot" (cost.Pricings).
type Pricing string

// SpotInterruptions interrupts a spot fleet's ready instances: a Poisson
// process of Rate interruptions per hour over the fleet between From and
// To (stream "service.NAME.spot.interruptions"), each an instance chosen
// uniformly among the ready ones (stream "service.NAME.spot.victims")
// that is told Warning ahead, drains, and is terminated at its end.
type SpotInterruptions struct {
	// Rate is the mean number of interruptions per hour; required, > 0.
	Rate float64 `toml:"rate"`
	// Warning is the notice before the instance dies, nanoseconds;
	// default 2m (EC2's two-minute warning).
	Warning Duration `toml:"warning,omitzero"`
	// From is when interruptions may start, nanoseconds; default 0.
	From Duration `toml:"from,omitzero"`
	// To is when they stop, nanoseconds; default (nil) the end of the run.
	To *Duration `toml:"to,omitempty"`
}

// maxSpotWarning bounds spot_interruptions.warning: an hour is far beyond
// EC2's two minutes and keeps drains finite.
const maxSpotWarning = Duration(engine.Hour)

// validatePricing checks a service's pricing, pricing_discount and
// spot_interruptions.
func (d *checker) validatePricing(s *Service, p tomlpos.Path) {
	if s.Platform == PlatformFunction {
		if s.Pricing != "" && s.Pricing != "on_demand" {
			d.Errorf(ErrInvalid, p.Child("pricing"), "functions are priced per GB-second and per request", "not for functions")
		}
		if s.SpotInterruptions != nil {
			d.Errorf(ErrInvalid, p.Child("spot_interruptions"), `set pricing = "spot" on an instance or container service`, "not for functions")
		}
	}
	if s.PricingDiscount != nil {
		if s.Pricing == "" || s.Pricing == "on_demand" {
			d.Errorf(ErrInvalid, p.Child("pricing_discount"), `set pricing = "reserved" or "spot"`, "applies to reserved and spot pricing only")
		} else if v := *s.PricingDiscount; !(v >= 0 && v < 1) {
			d.Errorf(ErrInvalid, p.Child("pricing_discount"), "a share off the on-demand price: 0.7 is 70% off", "must be in [0, 1), got %v", v)
		}
	}
	si := s.SpotInterruptions
	if si == nil {
		return
	}
	sp := p.Child("spot_interruptions")
	if s.Pricing != "spot" && s.Platform != PlatformFunction {
		d.Errorf(ErrInvalid, d.Blame(sp, p.Child("pricing")), `set pricing = "spot"`, "applies to spot pricing only")
	}
	if si.Rate <= 0 || si.Rate > 1e6 {
		d.Errorf(ErrInvalid, sp.Child("rate"), "interruptions per hour over the fleet", "must be > 0 and <= 1e6, got %v", si.Rate)
	}
	if si.Warning < 0 || si.Warning > maxSpotWarning {
		d.Errorf(ErrInvalid, sp.Child("warning"), `omit it for EC2's "2m"`, "must be in (0s, 1h], got %s", si.Warning)
	}
	if si.To != nil && *si.To < si.From {
		d.Errorf(ErrInvalid, sp.Child("to"), "", "must not be before from (%s)", si.From)
	}
}

// buildPricing fills a service spec's price factor and spot interruptions.
func buildPricing(spec *models.ServiceSpec, s Service) error {
	pr, err := cost.ParsePricing(string(s.Pricing))
	if err != nil {
		return err
	}
	discount := cost.DefaultDiscount(pr)
	if s.PricingDiscount != nil {
		discount = *s.PricingDiscount
	}
	spec.PriceFactor = 1 - discount
	if si := s.SpotInterruptions; si != nil {
		spec.Spot = models.SpotSpec{Rate: si.Rate / 3600, Warning: engine.Duration(si.Warning), From: engine.Time(si.From), To: engine.End}
		if si.To != nil {
			spec.Spot.To = engine.Time(*si.To)
		}
	}
	return nil
}
