package main_test

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestFunctionScenariosDeterministic: the function and cost scenarios
// (every variant) give byte-identical summary.json and timeseries.csv on
// two runs: cold-start draws, throttle retries, environment reuse and
// spot interruptions depend on the seed alone.
func TestFunctionScenariosDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("runs four library scenarios twice")
	}
	scenarios := map[string][]string{
		"function-morning-spike":  {"on-demand", "provisioned", "scheduled", "keep-warm"},
		"function-burst-throttle": {"no-retry", "sdk-retry", "patient"},
		"cost-crossover":          {"function-spiky", "function-sustained", "instances-sustained"},
		"spot-fleet":              {"spot", "spot-no-warning"},
	}
	for _, name := range []string{"function-morning-spike", "function-burst-throttle", "cost-crossover", "spot-fleet"} {
		file := filepath.Join("../../scenarios", name+".toml")
		a, b := t.TempDir(), t.TempDir()
		for _, out := range []string{a, b} {
			if _, stderr, code := run(t, "run", file, "--out", out); code != 0 {
				t.Fatalf("%s: exit %d: %s", name, code, stderr)
			}
		}
		for _, v := range scenarios[name] {
			for _, f := range []string{"summary.json", "timeseries.csv"} {
				x, y := read(t, filepath.Join(a, v, f)), read(t, filepath.Join(b, v, f))
				if len(x) == 0 || !bytes.Equal(x, y) {
					t.Errorf("%s/%s/%s differs between two runs (or is empty)", name, v, f)
				}
			}
		}
	}
}
