package cost_test

import (
	"math"
	"testing"

	"github.com/clustersim/clustersim/sim/policies/cost"
)

// Worked by hand from the AWS Lambda price list (us-east-1):
// 10 million requests × 100 ms × 512 MB = 10e6 × 0.1 s × 0.5 GB =
// 500,000 GB-s. x86: 500,000 × $0.0000166667 = $8.33 compute + 10 ×
// $0.20 = $2.00 requests = $10.33. arm64: 500,000 × $0.0000133334 = $6.67
// + $2.00 = $8.67. No free tier.
func TestFunctionUSDWorkedExample(t *testing.T) {
	tab := cost.Default()
	const reqs = 10_000_000
	billed := int64(reqs) * cost.BilledMillis(100_000_000) // 100 ms each
	cases := []struct {
		arch          cost.Arch
		compute, want float64
	}{
		{cost.X86, 8.33, 10.33},
		{cost.ARM, 6.67, 8.67},
	}
	for _, c := range cases {
		t.Run(c.arch.String(), func(t *testing.T) {
			got := tab.FunctionUSD(c.arch, 0.5, billed, reqs)
			if cost.Round(got) != c.want {
				t.Errorf("total = %.4f, want %.2f", got, c.want)
			}
			if comp := tab.FunctionUSD(c.arch, 0.5, billed, 0); cost.Round(comp) != c.compute {
				t.Errorf("compute = %.4f, want %.2f", comp, c.compute)
			}
			if r := tab.FunctionUSD(c.arch, 0.5, 0, reqs); math.Abs(r-2) > 1e-9 {
				t.Errorf("requests = %v, want 2.00", r)
			}
		})
	}
}

// Lambda rounds duration up to the millisecond
// (https://aws.amazon.com/lambda/pricing/): 100.2 ms bills 101 ms.
func TestBilledMillis(t *testing.T) {
	cases := []struct {
		ns   int64
		want int64
	}{
		{100_200_000, 101}, // 100.2 ms
		{100_000_000, 100}, // exactly 100 ms
		{100_000_001, 101}, // one nanosecond more
		{1, 1},
		{0, 0},
		{-5, 0},
		{900_000_000_000, 900_000}, // the 15-minute maximum
	}
	for _, c := range cases {
		if got := cost.BilledMillis(c.ns); got != c.want {
			t.Errorf("BilledMillis(%d) = %d, want %d", c.ns, got, c.want)
		}
	}
}

// Provisioned concurrency, from the Lambda price list example shape: one
// environment of 1 GB configured for an hour costs 3,600 GB-s ×
// $0.0000041667 = $0.015; one hour of duration on it at the provisioned
// duration price is 3,600 × $0.0000097222 = $0.035.
func TestProvisionedUSD(t *testing.T) {
	tab := cost.Default()
	if got := tab.ProvisionedUSD(cost.X86, 1, 3600, 0); math.Abs(got-0.01500012) > 1e-8 {
		t.Errorf("configured hour = %v, want 0.0150", got)
	}
	if got := tab.ProvisionedUSD(cost.X86, 1, 0, 3_600_000); math.Abs(got-0.03499992) > 1e-8 {
		t.Errorf("hour of duration = %v, want 0.0350", got)
	}
}

// Fargate us-east-1 Linux/x86: $0.04048 per vCPU-hour and $0.004445 per
// GB-hour, so a 1 vCPU, 2 GB task for an hour is 0.04048 + 2 × 0.004445 =
// $0.04937.
func TestContainerUSD(t *testing.T) {
	tab := cost.Default()
	if got := tab.ContainerUSD(cost.X86, 1, 2, 3600); math.Abs(got-0.04937) > 1e-12 {
		t.Errorf("got %v, want 0.04937", got)
	}
	if got := cost.InstanceUSD(0.10, 7200); math.Abs(got-0.20) > 1e-12 {
		t.Errorf("instance: got %v, want 0.20", got)
	}
}

func TestParseArch(t *testing.T) {
	for _, s := range []string{"x86_64", "arm64"} {
		a, err := cost.ParseArch(s)
		if err != nil || a.String() != s {
			t.Errorf("ParseArch(%q) = %v, %v", s, a, err)
		}
	}
	if _, err := cost.ParseArch("sparc"); err == nil {
		t.Error("sparc accepted")
	}
}

// TestPricing: reserved and spot prices by hand from the example
// discounts: an m5.large at $0.096 on demand is $0.06 reserved (37.5%
// off, the one-year no-upfront rate) and $0.0288 on spot (70% off); a
// Fargate task of 1 vCPU and 2 GB ($0.04048 + 2 × $0.004445 = $0.04937 an
// hour) is $0.014811 on Fargate Spot at 70% off.
func TestPricing(t *testing.T) {
	for _, tc := range []struct {
		spelled string
		p       cost.Pricing
		price   float64
		want    float64
	}{
		{"", cost.OnDemand, 0.096, 0.096},
		{"on_demand", cost.OnDemand, 0.096, 0.096},
		{"reserved", cost.Reserved, 0.096, 0.06},
		{"spot", cost.Spot, 0.096, 0.0288},
		{"spot", cost.Spot, 0.04048 + 2*0.004445, 0.014811},
	} {
		p, err := cost.ParsePricing(tc.spelled)
		if err != nil || p != tc.p {
			t.Fatalf("ParsePricing(%q) = %v, %v; want %v", tc.spelled, p, err, tc.p)
		}
		if got := cost.Discounted(tc.price, cost.DefaultDiscount(p)); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%v of $%v: $%v, want $%v", p, tc.price, got, tc.want)
		}
	}
	if _, err := cost.ParsePricing("savings_plan"); err == nil {
		t.Error("ParsePricing accepted savings_plan")
	}
	if cost.Spot.String() != "spot" || cost.Pricing(9).String() != "Pricing(9)" {
		t.Error("Pricing.String")
	}
}
