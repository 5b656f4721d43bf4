package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestConnectionScenariosDeterministic: the connection, fault and health
// scenarios (keep-alive pools, long-lived connections with jittered ages,
// error faults drawing from their own streams) give byte-identical
// summary.json and timeseries.csv for every variant across two runs.
func TestConnectionScenariosDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs four scenarios twice")
	}
	for _, name := range []string{"l4-vs-l7", "websocket-scaleout", "crash-detection", "protocols", "balancer-spof", "edge-termination", "connection-age-grace"} {
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
				t.Fatalf("only %d outputs: %v", len(files), files)
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
