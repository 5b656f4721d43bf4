package scenario_test

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/scenario"
)

func ExampleParse() {
	src := `
[sim]
duration = "10m"

[[workload]]
name = "shoppers"
target = "apii"
rate = -5
service_time = { dist = "exponential", mean = "50ms" }

[[service]]
name = "api"
concurency = 8
`
	_, err := scenario.Parse("scenarios/x.toml", []byte(src), []string{"service.api.replicas=five"})
	fmt.Println(err)
	// Output:
	// scenarios/x.toml:7:1: workload.shoppers.target: no service named "apii" (did you mean "api"?)
	// scenarios/x.toml:8:1: workload.shoppers.rate: must be >= 0, got -5
	// scenarios/x.toml:13:1: service.api.concurency: unknown key (did you mean "concurrency"?)
	// --set service.api.replicas=five: service.api.replicas: expected an integer, got string "five"
}
