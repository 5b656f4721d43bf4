package main_test

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestBalancingDeterminism: the balancing scenarios — keys drawn on
// their own stream, random balancers, response-time feedback, DNS
// clocks — give byte-identical outputs for every variant on the same
// seed.
func TestBalancingDeterminism(t *testing.T) {
	if testing.Short() {
		t.Skip("runs four scenarios twice")
	}
	cases := map[string][]string{
		"fast-failure":       {"round_robin", "p2c", "weighted_response_time"},
		"consistent-hashing": {"ring_hash", "maglev", "sticky", "bounded"},
		"dns-clients":        {"dns"},
		"subsetting":         {"random", "deterministic"},
	}
	for _, name := range []string{"fast-failure", "consistent-hashing", "dns-clients", "subsetting"} {
		a, b := t.TempDir(), t.TempDir()
		for _, o := range []string{a, b} {
			if _, stderr, code := run(t, "run", "../../scenarios/"+name+".toml", "--out", o, "--quiet"); code != 0 {
				t.Fatalf("%s: exit %d: %s", name, code, stderr)
			}
		}
		for _, v := range cases[name] {
			for _, f := range []string{"summary.json", "timeseries.csv"} {
				if !bytes.Equal(read(t, filepath.Join(a, v, f)), read(t, filepath.Join(b, v, f))) {
					t.Errorf("%s/%s/%s differs between two runs with the same seed", name, v, f)
				}
			}
		}
	}
}
