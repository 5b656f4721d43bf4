package scenario_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/scenario"
)

// TestAutoscalerErrorsWithTheOthers: errors the autoscale package finds in
// a policy's configuration are validation errors like the others: with
// file:line:col, reported together with the rest, for every service.
// Before issue 11 they came from Build, without a position, only once the
// file was otherwise valid, and for the first service only.
func TestAutoscalerErrorsWithTheOthers(t *testing.T) {
	src := `[sim]
duration = "1h"

[[workload]]
name = "w"
target = "b"
rate = -3
service_time = { dist = "exponential", mean = "10ms" }

[[service]]
name = "b"
replicas = 1
autoscaler = { kind = "hpa", metric = "cpu", target = 0.001, min = 1, max = 3 }

[[service]]
name = "d"
replicas = 0
autoscaler = { kind = "hpa", metric = "cpu", target = 0.5, max = 0 }
`
	_, err := scenario.Parse("as.toml", []byte(src), nil)
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`as.toml:7:1: workload.w.rate: must be >= 0, got -3`,
		`as.toml:13:1: service.b.autoscaler: hpa cpu target 0.001 is below 1%`,
		`as.toml:18:1: service.d.autoscaler: hpa bounds min 0 max 0: need 0 ≤ min ≤ max, max ≥ 1`,
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
