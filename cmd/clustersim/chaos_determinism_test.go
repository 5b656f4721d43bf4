package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestChaosScenariosDeterministic: the chaos scenarios (cache flush with
// coalescing, feature flags, region failover, crash-looping and leaking
// releases, edge faults, a bad push to a share; every variant) give
// byte-identical summary.json and timeseries.csv across two runs.
func TestChaosScenariosDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs six scenarios twice")
	}
	for _, name := range []string{"cache-flush", "feature-flag", "region-failover", "crash-loop-release", "fault-injection", "bad-push"} {
		t.Run(name, func(t *testing.T) {
			a, b := t.TempDir(), t.TempDir()
			for _, o := range []string{a, b} {
				if _, stderr, code := run(t, "run", "../../scenarios/"+name+".toml", "--out", o, "--quiet"); code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
			}
			files, _ := filepath.Glob(filepath.Join(a, "*", "summary.json"))
			more, _ := filepath.Glob(filepath.Join(a, "*", "timeseries.csv"))
			files = append(files, more...)
			if len(files) < 4 {
				t.Fatalf("%d outputs, want 2 per variant: %v", len(files), files)
			}
			for _, f := range files {
				rel, _ := filepath.Rel(a, f)
				other, err := os.ReadFile(filepath.Join(b, rel))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(read(t, f), other) {
					t.Errorf("%s differs between two runs", rel)
				}
			}
		})
	}
}
