package scenario_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/scenario"
)

// TestPricingKeysRejected: bad pricing keys are errors naming the key.
func TestPricingKeysRejected(t *testing.T) {
	cases := []struct{ keys, key, msg string }{
		{`pricing = "savings"`, "pricing", "on_demand"},
		{"platform = \"function\"\nmemory = 0.5\npricing = \"spot\"", "pricing", "not for functions"},
		{`pricing_discount = 0.5`, "pricing_discount", "applies to reserved and spot pricing only"},
		{"pricing = \"spot\"\npricing_discount = 1", "pricing_discount", "must be in [0, 1)"},
		{"pricing = \"reserved\"\npricing_discount = -0.1", "pricing_discount", "must be in [0, 1)"},
		{`spot_interruptions = { rate = 1 }`, "spot_interruptions", "applies to spot pricing only"},
		{"pricing = \"spot\"\nspot_interruptions = { rate = 0 }", "rate", "must be > 0"},
		{"pricing = \"spot\"\nspot_interruptions = { rate = 1, warning = \"2h\" }", "warning", "must be in (0s, 1h]"},
		{"pricing = \"spot\"\nspot_interruptions = { rate = 1, from = \"10s\", to = \"5s\" }", "to", "must not be before from"},
		{"pricing = \"spot\"\nspot_interruptions = { rate = 1, warnig = \"1m\" }", "warnig", "warning"},
	}
	for _, c := range cases {
		t.Run(c.keys, func(t *testing.T) { wantRejected(t, fnBase+c.keys+"\n", "x.toml:", c.key, c.msg) })
	}
}

// TestPricingBuilt: pricing turns into the price factor (1 − the example
// discount, or pricing_discount) and spot_interruptions into a rate per
// second with EC2's two-minute warning by default.
func TestPricingBuilt(t *testing.T) {
	for _, tc := range []struct {
		keys   string
		factor float64
		spot   models.SpotSpec
	}{
		{"", 1, models.SpotSpec{}},
		{`pricing = "on_demand"`, 1, models.SpotSpec{}},
		{`pricing = "reserved"`, 0.625, models.SpotSpec{}},
		{"pricing = \"reserved\"\npricing_discount = 0.6", 0.4, models.SpotSpec{}},
		{"pricing = \"spot\"\nspot_interruptions = { rate = 36 }", 0.3, models.SpotSpec{Rate: 0.01, To: engine.End}},
		{"pricing = \"spot\"\nspot_interruptions = { rate = 3.6, warning = \"30s\", from = \"1m\", to = \"2m\" }", 0.3,
			models.SpotSpec{Rate: 0.001, Warning: 30 * engine.Second, From: engine.Time(engine.Minute), To: engine.Time(2 * engine.Minute)}},
	} {
		cfg, err := scenario.Parse("x.toml", []byte(fnBase+tc.keys+"\n"), nil)
		if err != nil {
			t.Fatalf("%q: %v", tc.keys, err)
		}
		mc, _, err := scenario.Build(cfg)
		if err != nil {
			t.Fatal(err)
		}
		s := mc.Services[0]
		if math.Abs(s.PriceFactor-tc.factor) > 1e-12 || math.Abs(s.Spot.Rate-tc.spot.Rate) > 1e-15 ||
			s.Spot.Warning != tc.spot.Warning || s.Spot.From != tc.spot.From || s.Spot.To != tc.spot.To {
			t.Errorf("%q: factor %v spot %+v, want %v %+v", tc.keys, s.PriceFactor, s.Spot, tc.factor, tc.spot)
		}
	}
}
