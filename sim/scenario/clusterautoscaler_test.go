package scenario_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/policies/nodescale"
	"github.com/clustersim/clustersim/sim/scenario"
)

// pooled is the valid scenario with two node pools and a second service
// bound to the second pool; "api" names no pool.
const pooled = valid + `
[[service]]
name = "bound"
node_pool = "big"

[[node_pool]]
name = "small"
max = 3

[[node_pool]]
name = "big"
cpu = 16
memory = 64
`

// TestClusterAutoscalerBuild checks the [cluster_autoscaler] table's
// defaults (cluster-autoscaler's own flag defaults: --scan-interval 10s,
// --scale-down-delay-after-add 10m, --max-empty-bulk-delete 10; our
// expander default is least-waste), its overrides, and that a service
// without node_pool may use any pool.
func TestClusterAutoscalerBuild(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		set  []string
		want func(ca, def models.ClusterAutoscalerSpec) models.ClusterAutoscalerSpec
	}{
		{"defaults", pooled, nil, func(_, def models.ClusterAutoscalerSpec) models.ClusterAutoscalerSpec { return def }},
		{"table", pooled + "\n[cluster_autoscaler]\nexpander = \"random\"\nscan_interval = \"30s\"\nscale_down_delay_after_add = \"0s\"\nmax_empty_bulk_delete = 1\n", nil,
			func(_, def models.ClusterAutoscalerSpec) models.ClusterAutoscalerSpec {
				return models.ClusterAutoscalerSpec{ScanInterval: 30 * engine.Second, Expander: nodescale.Random, MaxEmptyBulkDelete: 1}
			}},
		{"--set", pooled, []string{"cluster_autoscaler.expander=random", "cluster_autoscaler.scale_down_delay_after_add=2m"},
			func(_, def models.ClusterAutoscalerSpec) models.ClusterAutoscalerSpec {
				def.Expander, def.ScaleDownDelayAfterAdd = nodescale.Random, 2*engine.Minute
				return def
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := scenario.Parse("x.toml", []byte(tc.src), tc.set)
			if err != nil {
				t.Fatal(err)
			}
			mc, _, err := scenario.Build(cfg)
			if err != nil {
				t.Fatal(err)
			}
			def := models.ClusterAutoscalerSpec{ScanInterval: 10 * engine.Second, ScaleDownDelayAfterAdd: 10 * engine.Minute, Expander: nodescale.LeastWaste, MaxEmptyBulkDelete: 10}
			if want := tc.want(mc.ClusterAutoscaler, def); mc.ClusterAutoscaler != want {
				t.Errorf("cluster autoscaler %+v, want %+v", mc.ClusterAutoscaler, want)
			}
			if got := []int{mc.Services[0].Pool, mc.Services[1].Pool}; got[0] != -1 || got[1] != 1 {
				t.Errorf("service pools %v, want [-1 1] (api any, bound on big)", got)
			}
		})
	}
}

// TestClusterAutoscalerErrors checks that bad [cluster_autoscaler] values
// are reported with file, line and key.
func TestClusterAutoscalerErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		kind      error
		want      string
	}{
		{"unknown expander", "expander = \"least_waste\"\n", scenario.ErrInvalid, `x.toml:27:1: cluster_autoscaler.expander: unknown value "least_waste" (did you mean "least-waste"?)`},
		{"zero scan interval", "scan_interval = \"0s\"\n", scenario.ErrInvalid, `x.toml:27:1: cluster_autoscaler.scan_interval: must be > 0`},
		{"negative delay", "scale_down_delay_after_add = \"-1m\"\n", scenario.ErrInvalid, `x.toml:27:1: cluster_autoscaler.scale_down_delay_after_add: "-1m": durations cannot be negative`},
		{"no bulk delete", "max_empty_bulk_delete = 0\n", scenario.ErrInvalid, `x.toml:27:1: cluster_autoscaler.max_empty_bulk_delete: must be >= 1, got 0`},
		{"unknown key", "expandr = \"random\"\n", scenario.ErrUnknownKey, `x.toml:27:1: cluster_autoscaler.expandr: unknown key (did you mean "expander"?)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scenario.Parse("x.toml", []byte(pooled+"\n[cluster_autoscaler]\n"+tc.src), nil)
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, tc.kind) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q (%v), want prefix %q", err, errors.Is(err, tc.kind), tc.want)
			}
		})
	}
}
