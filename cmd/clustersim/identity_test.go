package main_test

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestIdentityScenariosDeterministic: the endpoints/sessions scenarios
// (sessions drawn per user, sticky placement, lost-session counting)
// write byte-identical summary.json and timeseries.csv for one seed.
func TestIdentityScenariosDeterministic(t *testing.T) {
	for _, tc := range []struct{ file, dir string }{
		{"shop-sessions", ""},
		{"sticky-sessions-crash", "memory"},
		{"sticky-sessions-crash", "external"},
		{"ab-users", "canary"},
	} {
		a, b := t.TempDir(), t.TempDir()
		for _, o := range []string{a, b} {
			if _, stderr, code := run(t, "run", tc.file, "--out", o, "--quiet"); code != 0 {
				t.Fatalf("%s: exit %d: %s", tc.file, code, stderr)
			}
		}
		for _, f := range []string{"summary.json", "timeseries.csv"} {
			if !bytes.Equal(read(t, filepath.Join(a, tc.dir, f)), read(t, filepath.Join(b, tc.dir, f))) {
				t.Errorf("%s %s/%s differs between two runs", tc.file, tc.dir, f)
			}
		}
	}
}
