package scenario

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies"
)

// TestDocsListEveryValue: the scenario reference (doc.go) and the README
// name every value the schema accepts for the enumerations users pick
// from, so the docs cannot drift from the one list each comes from.
func TestDocsListEveryValue(t *testing.T) {
	doc := readFile(t, "doc.go")
	readme := readFile(t, "../../README.md")
	tests := []struct {
		name   string
		values []string
		docs   map[string]string
	}{
		{"balancer algorithms", policies.Algorithms, map[string]string{"doc.go": doc, "README.md": readme}},
		{"autoscaler metrics", enums[reflect.TypeFor[Metric]()], map[string]string{"doc.go": doc}},
		{"assert aggregates", aggNames(), map[string]string{"doc.go": doc, "README.md": readme}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.values) == 0 {
				t.Fatal("no values")
			}
			for file, text := range tt.docs {
				for _, v := range tt.values {
					if !strings.Contains(text, `"`+v+`"`) && !strings.Contains(text, " "+v+" ") {
						t.Errorf("%s does not mention %s %q", file, tt.name, v)
					}
				}
			}
		})
	}
	if got := enums[reflect.TypeFor[Algorithm]()]; !reflect.DeepEqual(got, policies.Algorithms) {
		t.Errorf("the schema accepts algorithms %v, policies implements %v", got, policies.Algorithms)
	}
}

// TestDefaultReadinessIsModelsProbe: a service that sets no readiness
// probe gets the models' probe defaults once parsed and built.
func TestDefaultReadinessIsModelsProbe(t *testing.T) {
	src := `
[sim]
duration = "1m"

[[workload]]
name = "w"
target = "api"
rate = 1
service_time = { dist = "constant", mean = "10ms" }

[[service]]
name = "api"
`
	c, err := Parse("x.toml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	mc, _, err := Build(c)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := mc.Services[0].Readiness, models.DefaultProbe(); got != want {
		t.Errorf("built readiness %+v, models.DefaultProbe %+v", got, want)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
