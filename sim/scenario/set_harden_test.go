package scenario_test

import (
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/scenario"
)

// hardenSrc has an assertion whose name holds "=" and an autoscaler with
// min and max, for the --set reproducers of issue 11.
const hardenSrc = `[sim]
name = "h"
duration = "30m"
warmup = "5m"

[[workload]]
name = "w"
target = "api"
rate = 10
service_time = { dist = "exponential", mean = "10ms" }

[[service]]
name = "api"
replicas = 2
autoscaler = { kind = "hpa", metric = "cpu", target = 0.5, min = 2, max = 6 }

[[assert]]
name = "mean = 1/(mu - lambda) = 50 ms"
metric = "latency_ms.mean"
max = 51.5

[[assert]]
name = "say \"hi\" = ok"
metric = "latency_ms.mean"
max = 9
`

// TestSetNameWithEquals: a quoted key part may hold "=" (and \" inside
// quotes); the first "=" outside quotes separates KEY from VALUE. Before
// issue 11 the argument was cut at the first "=" anywhere, so such an
// assertion could not be addressed at all.
func TestSetNameWithEquals(t *testing.T) {
	cfg, err := scenario.Parse("h.toml", []byte(hardenSrc), []string{
		`assert."mean = 1/(mu - lambda) = 50 ms".max=60`,
		`assert."say \"hi\" = ok".max=7`,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := *cfg.Asserts[0].Max; got != 60 {
		t.Errorf("first assertion max = %v, want 60", got)
	}
	if got := *cfg.Asserts[1].Max; got != 7 {
		t.Errorf("second assertion max = %v, want 7", got)
	}
	_, err = scenario.Parse("h.toml", []byte(hardenSrc), []string{`assert."mean = 1.max=60`})
	if err == nil || !strings.Contains(err.Error(), "unterminated quote") {
		t.Errorf("unterminated quote: got %v", err)
	}
}

// TestSetBlamesTheOverride: an error about two keys, one of them changed
// by --set, names the --set, not the file line of the key the user did
// not touch (issue 11: "a --set error is reported against the scenario's
// line instead of the --set"). Without a --set it stays on the file line.
func TestSetBlamesTheOverride(t *testing.T) {
	for _, tt := range []struct {
		set  []string
		want string
	}{
		{[]string{"service.api.autoscaler.max=1"},
			`--set service.api.autoscaler.max=1: service.api.autoscaler.max: min 2 is above max 1`},
		{[]string{"sim.duration=2m"},
			`--set sim.duration=2m: sim.duration: warmup 5m must be shorter than duration 2m`},
		{[]string{`assert."mean = 1/(mu - lambda) = 50 ms".min=70`},
			`--set assert."mean = 1/(mu - lambda) = 50 ms".min=70: assert."mean = 1/(mu - lambda) = 50 ms".min: min 70 is above max 51.5`},
		{nil, ``},
	} {
		src := hardenSrc
		if tt.set == nil {
			src = strings.Replace(src, "max = 6", "max = 1", 1)
			tt.want = `h.toml:15:60: service.api.autoscaler.min: min 2 is above max 1`
		}
		_, err := scenario.Parse("h.toml", []byte(src), tt.set)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want it to start with %s", tt.set, err, tt.want)
		}
	}
}
