// Package cost is the price arithmetic of every kind of compute a scenario
// runs on: instances billed by the hour, containers billed per vCPU-second
// and GB-second (AWS Fargate), and functions billed per GB-second by the
// millisecond plus a price per request (AWS Lambda), with provisioned
// concurrency. It is pure arithmetic on quantities the models measure; it
// knows nothing of the simulation.
//
// Default returns the built-in price table: AWS us-east-1 (N. Virginia)
// list prices, Linux, on-demand, no free tier, as published on
// https://aws.amazon.com/lambda/pricing/ and
// https://aws.amazon.com/fargate/pricing/ (read 2025-12; prices change, the
// date is in PricesAsOf). Lambda duration is the first pricing tier (up to
// 6 billion GB-seconds a month); the free tier (400,000 GB-seconds and one
// million requests a month) is not applied.
package cost

import (
	"fmt"
	"math"
)

// PricesAsOf is when the default prices were read.
const PricesAsOf = "2025-12"

// Arch is a processor architecture, which sets function and container
// prices.
type Arch uint8

// Architectures.
const (
	X86 Arch = iota // x86_64
	ARM             // arm64 (Graviton)
)

// String returns the scenario spelling of a.
func (a Arch) String() string {
	if a == ARM {
		return "arm64"
	}
	return "x86_64"
}

// ParseArch returns the Arch spelled s ("x86_64" or "arm64").
func ParseArch(s string) (Arch, error) {
	switch s {
	case "x86_64", "":
		return X86, nil
	case "arm64":
		return ARM, nil
	}
	return X86, fmt.Errorf("cost: unknown architecture %q (x86_64 or arm64)", s)
}

// Table is a price list in US dollars. Arrays are indexed by Arch.
type Table struct {
	// Function (AWS Lambda) prices.
	FunctionGBSecond            [2]float64 // on-demand duration, per GB-second
	FunctionRequest             float64    // per request (invocation)
	ProvisionedGBSecond         [2]float64 // provisioned concurrency, per GB-second configured
	ProvisionedDurationGBSecond [2]float64 // duration on provisioned environments, per GB-second
	// Container (AWS Fargate, Linux) prices.
	ContainerVCPUHour [2]float64 // per vCPU-hour, billed per second
	ContainerGBHour   [2]float64 // per GB of memory per hour, billed per second
}

// Default returns the built-in us-east-1 list prices (see the package
// documentation for the sources and date).
func Default() Table {
	return Table{
		FunctionGBSecond:            [2]float64{0.0000166667, 0.0000133334},
		FunctionRequest:             0.20 / 1e6,
		ProvisionedGBSecond:         [2]float64{0.0000041667, 0.0000033334},
		ProvisionedDurationGBSecond: [2]float64{0.0000097222, 0.0000077778},
		ContainerVCPUHour:           [2]float64{0.04048, 0.03238},
		ContainerGBHour:             [2]float64{0.004445, 0.00356},
	}
}

// BilledMillis returns the billed duration of one function invocation
// lasting ns nanoseconds: rounded up to the next whole millisecond, as
// Lambda bills (100.2 ms is billed as 101 ms). Negative spans bill 0.
func BilledMillis(ns int64) int64 {
	if ns <= 0 {
		return 0
	}
	return (ns-1)/1e6 + 1
}

// FunctionUSD returns the on-demand cost of invocations on an arch
// function with memGiB of memory (Lambda's GB is 1,024 MB, so 512 MB is
// 0.5) that were billed billedMs milliseconds in total, plus requests
// invocations.
func (t Table) FunctionUSD(a Arch, memGiB float64, billedMs, requests int64) float64 {
	return float64(billedMs)/1e3*memGiB*t.FunctionGBSecond[a] + float64(requests)*t.FunctionRequest
}

// ProvisionedUSD returns the cost of provisioned concurrency: envSeconds
// environment-seconds configured (environments × seconds) at memGiB each,
// plus billedMs milliseconds of duration run on those environments at the
// reduced provisioned duration price. Requests are charged by FunctionUSD.
func (t Table) ProvisionedUSD(a Arch, memGiB, envSeconds float64, billedMs int64) float64 {
	return envSeconds*memGiB*t.ProvisionedGBSecond[a] + float64(billedMs)/1e3*memGiB*t.ProvisionedDurationGBSecond[a]
}

// ContainerUSD returns the cost of seconds of one container with vcpu
// cores and memGiB of memory on arch a, billed per second.
func (t Table) ContainerUSD(a Arch, vcpu, memGiB, seconds float64) float64 {
	return seconds / 3600 * (vcpu*t.ContainerVCPUHour[a] + memGiB*t.ContainerGBHour[a])
}

// InstanceUSD returns the cost of instanceSeconds of instances priced
// perHour US dollars per instance-hour.
func InstanceUSD(perHour, instanceSeconds float64) float64 {
	return instanceSeconds / 3600 * perHour
}

// Round returns usd rounded to the cent, for display and tests.
func Round(usd float64) float64 { return math.Round(usd*100) / 100 }
