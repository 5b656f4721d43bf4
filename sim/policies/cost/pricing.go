package cost

import "fmt"

// Pricing is how instance-hours are bought: on demand (the list price a
// service's cost_per_hour gives), reserved (a one- or three-year
// commitment billed whether used or not, at a discount) or spot (spare
// capacity at a discount, interrupted when AWS needs it back).
type Pricing uint8

// Pricings.
const (
	OnDemand Pricing = iota
	Reserved
	Spot
)

// Pricings lists the pricings as written in scenarios, in Pricing order.
var Pricings = []string{"on_demand", "reserved", "spot"}

// String returns the scenario spelling of p.
func (p Pricing) String() string {
	if int(p) < len(Pricings) {
		return Pricings[p]
	}
	return fmt.Sprintf("Pricing(%d)", p)
}

// ParsePricing returns the Pricing spelled s ("" is on_demand).
func ParsePricing(s string) (Pricing, error) {
	if s == "" {
		return OnDemand, nil
	}
	for i, n := range Pricings {
		if n == s {
			return Pricing(i), nil
		}
	}
	return OnDemand, fmt.Errorf("cost: unknown pricing %q (on_demand, reserved or spot)", s)
}

// Example discounts off the on-demand price, read 2025-12 (PricesAsOf).
// They are examples, not quotes: real discounts depend on the instance
// type, region, term and payment option, and spot prices move with supply.
//   - ReservedDiscount: a one-year Standard Reserved Instance with no
//     upfront payment, about 37.5% off for general-purpose instances
//     (m5.large: $0.060 an hour against $0.096 on demand); AWS advertises
//     "up to 72%" for three years paid upfront
//     (https://aws.amazon.com/ec2/pricing/reserved-instances/pricing/).
//   - SpotDiscount: 70% off, within the range of m5.large's spot price in
//     us-east-1 ($0.03 to $0.04 an hour in the spot price history); AWS
//     advertises "up to 90%" (https://aws.amazon.com/ec2/spot/pricing/).
//     Fargate Spot is likewise "up to 70%" off Fargate's price.
const (
	ReservedDiscount = 0.375
	SpotDiscount     = 0.70
)

// DefaultDiscount returns the example discount off the on-demand price
// of p: 0 for on_demand.
func DefaultDiscount(p Pricing) float64 {
	switch p {
	case Reserved:
		return ReservedDiscount
	case Spot:
		return SpotDiscount
	}
	return 0
}

// Discounted returns an hourly (or per-second) price after a discount,
// a share of it in [0, 1).
func Discounted(price, discount float64) float64 { return price * (1 - discount) }
