package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestClientScenariosDeterministic: the scenarios of closed-loop users,
// retries, call graphs and caches (issue 13) give byte-identical
// summary.json and timeseries.csv for every variant across two runs with
// the same seed; their random draws (think times, backoff jitter, cache
// keys) are on named streams.
func TestClientScenariosDeterministic(t *testing.T) {
	for _, name := range clientScenarios {
		t.Run(name, func(t *testing.T) {
			a, b := t.TempDir(), t.TempDir()
			for _, o := range []string{a, b} {
				if _, stderr, code := run(t, "run", name, "--out", o, "--quiet"); code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
			}
			files, _ := filepath.Glob(filepath.Join(a, "*", "summary.json"))
			more, _ := filepath.Glob(filepath.Join(a, "*", "timeseries.csv"))
			files = append(files, more...)
			if len(files) == 0 {
				files = []string{filepath.Join(a, "summary.json"), filepath.Join(a, "timeseries.csv")}
			}
			for _, f := range files {
				rel, _ := filepath.Rel(a, f)
				x, err1 := os.ReadFile(f)
				y, err2 := os.ReadFile(filepath.Join(b, rel))
				if err1 != nil || err2 != nil {
					t.Fatalf("%s: %v %v", rel, err1, err2)
				}
				if !bytes.Equal(x, y) {
					t.Errorf("%s differs between two runs with the same seed", rel)
				}
			}
		})
	}
}

// clientScenarios are the library scenarios of issue 13.
var clientScenarios = []string{"open-vs-closed", "retry-storm", "slow-dependency", "cache", "hedging", "sidecar-overhead"}
