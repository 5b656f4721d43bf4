package scenario_test

import (
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/scenario"
)

// TestRebalanceKey: service.rebalance reaches the models' spec (default
// false), and a value that is not a boolean is refused with its position.
func TestRebalanceKey(t *testing.T) {
	src := `
[sim]
duration = "10m"

[[workload]]
name = "ws"
target = "api"
rate = 10
lifetime = { dist = "exponential", mean = "50s" }
message_rate = 2
service_time = { dist = "constant", value = "1ms" }

[[service]]
name = "api"
`
	for _, tt := range []struct {
		extra string
		want  bool
	}{{"", false}, {"rebalance = true", true}, {"rebalance = false", false}} {
		cfg, err := scenario.Parse("x.toml", []byte(src+tt.extra+"\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := scenario.Build(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Services[0].Rebalance; got != tt.want {
			t.Errorf("%q: Rebalance %v, want %v", tt.extra, got, tt.want)
		}
	}
	_, err := scenario.Parse("x.toml", []byte(src+"rebalance = 1\n"), nil)
	if err == nil || !strings.Contains(err.Error(), "x.toml:15:1: service.api.rebalance: expected true or false") {
		t.Errorf("rebalance = 1: error %v, want one at x.toml:15:1 naming service.api.rebalance", err)
	}
	_, err = scenario.Parse("x.toml", []byte(src+"rebalanse = true\n"), nil)
	if err == nil || !strings.Contains(err.Error(), `"rebalance"`) {
		t.Errorf("rebalanse: error %v, want a suggestion of rebalance", err)
	}
}
