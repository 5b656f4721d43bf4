package scenario_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/scenario"
)

// variantBase is a scenario without variants; tests append [[variant]] and
// [[assert]] entries. Line numbers in expected errors count from here.
const variantBase = `[sim]
name = "v"
duration = "1m"
seed = 3

[[workload]]
name = "users"
target = "api"
rate = 10
service_time = { dist = "exponential", mean = "10ms" }

[[service]]
name = "api"
replicas = 2
autoscaler = { kind = "hpa", metric = "cpu", target = 0.7, min = 1, max = 5 }
`

// TestVariantsResolve: each variant is the scenario with the command
// line's overrides, then its own, applied; assertions naming a variant go
// to that variant only; the variant's run is named SCENARIO/VARIANT.
func TestVariantsResolve(t *testing.T) {
	src := variantBase + `
[[variant]]
name = "base"

[[variant]]
name = "low"
set = ["service.api.autoscaler.target=0.4", "service.api.replicas=3"]

[[assert]]
name = "all"
metric = "latency_ms.p99"
max = 100

[[assert]]
name = "only low"
variant = "low"
metric = "services.api.replicas.max"
max = 5
`
	cfg, err := scenario.Parse("v.toml", []byte(src), []string{"service.api.replicas=4"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Variants) != 2 {
		t.Fatalf("got %d variants", len(cfg.Variants))
	}
	tests := []struct {
		variant  string
		name     string
		target   float64
		replicas int
		asserts  []string
	}{
		{"base", "v/base", 0.7, 4, []string{"all"}},
		{"low", "v/low", 0.4, 3, []string{"all", "only low"}},
	}
	for i, tt := range tests {
		v := cfg.Variants[i]
		c := v.Config
		if v.Name != tt.variant || c == nil || c.Variant != tt.variant {
			t.Fatalf("variant %d: %+v", i, v)
		}
		var asserts []string
		for _, a := range c.Asserts {
			asserts = append(asserts, a.Name)
		}
		if c.Sim.Name != tt.name || c.Services[0].Autoscaler.Target != tt.target || c.Services[0].Replicas != tt.replicas ||
			strings.Join(asserts, ",") != strings.Join(tt.asserts, ",") || c.Variants != nil || c.Sim.Seed != 3 {
			t.Errorf("variant %s: name %q target %v replicas %d asserts %v variants %v seed %d", tt.variant,
				c.Sim.Name, c.Services[0].Autoscaler.Target, c.Services[0].Replicas, asserts, c.Variants, c.Sim.Seed)
		}
	}
	if cfg.Services[0].Replicas != 4 || cfg.Variant != "" {
		t.Errorf("the scenario as written changed: replicas %d, variant %q", cfg.Services[0].Replicas, cfg.Variant)
	}
}

// TestVariantErrors: bad variants are reported with the file, the line of
// the entry and a key naming the variant; an override that fails is checked
// exactly as --set is.
func TestVariantErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      string
		kind      error
	}{
		{"unknown key in set", `
[[variant]]
name = "a"
set = ["service.api.autoscalr.target=0.4"]
`, `v.toml:19: variant.a.set[0]: unknown key "autoscalr" in service.api (did you mean "autoscaler"?)`, scenario.ErrOverride},
		{"invalid value in set", `
[[variant]]
name = "a"
set = [
  "service.api.replicas=2",
  "service.api.replicas=-1",
]
`, `v.toml:21: variant.a.set[1]: service.api.replicas: must be >= 0, got -1`, scenario.ErrInvalid},
		{"not key=value", `
[[variant]]
name = "a"
set = ["service.api.replicas"]
`, `v.toml:19: variant.a.set[0]: expected KEY=VALUE (for example --set service.api.replicas=5)`, scenario.ErrOverride},
		{"duplicate name", `
[[variant]]
name = "a"
[[variant]]
name = "a"
`, `v.toml:20:1: variant.a.name: duplicate name "a" (first used at line 18)`, scenario.ErrInvalid},
		{"name not a folder name", `
[[variant]]
name = "../x"
`, `v.toml:18:1: variant."../x".name: invalid name "../x" (use letters, digits, '_' and '-')`, scenario.ErrInvalid},
		{"missing name", `
[[variant]]
set = []
`, `v.toml:17:1: variant[0].name: required`, scenario.ErrMissing},
		{"changes the seed", `
[[variant]]
name = "a"
set = ["sim.seed=4"]
`, `v.toml:19:8: variant.a.set[0]: a variant may not change sim.seed (variants share the seed, the clock and entry names so that they see the same random draws)`, scenario.ErrVariant},
		{"renames a workload", `
[[variant]]
name = "a"
set = ["workload.users.name=u2"]
`, `v.toml:19:8: variant.a.set[0]: a variant may not rename an entry (workload.users.name): random streams are named after entries (variants share the seed, the clock and entry names so that they see the same random draws)`, scenario.ErrVariant},
		{"error written by the set", `
[[variant]]
name = "a"
set = ["service.api.autoscaler.min=9"]
`, `v.toml:19: variant.a.set[0]: service.api.autoscaler.min: min 9 is above max 5`, scenario.ErrInvalid},
		// min from the file, max from the variant's set: the error names
		// the set that changed it (issue 11: a relation between keys is
		// blamed on the override, as with --set).
		{"error from the combination", `
[[variant]]
name = "a"
set = ["service.api.autoscaler.max=0"]
`, `v.toml:19: variant.a.set[0]: service.api.autoscaler.max: min 1 is above max 0`, scenario.ErrInvalid},
		{"assert names no variant", `
[[variant]]
name = "fast"
[[assert]]
name = "x"
variant = "fats"
metric = "latency_ms.p99"
max = 1
`, `v.toml:21:1: assert.x.variant: no [[variant]] named "fats" (did you mean "fast"?)`, scenario.ErrReference},
		{"assert variant without variants", `
[[assert]]
name = "x"
variant = "fast"
metric = "latency_ms.p99"
max = 1
`, `v.toml:19:1: assert.x.variant: no [[variant]] named "fast": the scenario has no variants (declare [[variant]] entries, or drop the key)`, scenario.ErrReference},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenario.Parse("v.toml", []byte(variantBase+tt.src), nil)
			if err == nil {
				t.Fatal("accepted")
			}
			if err.Error() != tt.want {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("error is not %v", tt.kind)
			}
		})
	}
}
