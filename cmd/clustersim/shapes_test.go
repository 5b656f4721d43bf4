package main_test

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestShapesDeterminism: the traffic-shape and noisy-neighbour library
// scenarios (a diurnal profile, a streamed trace replay, a noisy
// neighbour and its dedicated-pool fix) give byte-identical outputs for
// every variant when run twice with the same seed.
func TestShapesDeterminism(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three library scenarios twice")
	}
	for _, tc := range []struct {
		name     string
		variants []string
	}{
		{"diurnal-profile", []string{"hpa", "fixed"}},
		{"trace-replay", []string{"recorded", "doubled"}},
		{"noisy-neighbour", []string{"shared", "dedicated"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outs := []string{t.TempDir(), t.TempDir()}
			for _, o := range outs {
				if _, stderr, code := run(t, "run", "../../scenarios/"+tc.name+".toml", "--out", o, "--quiet"); code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
			}
			for _, v := range tc.variants {
				for _, f := range []string{"summary.json", "timeseries.csv"} {
					a, b := read(t, filepath.Join(outs[0], v, f)), read(t, filepath.Join(outs[1], v, f))
					if len(a) == 0 || !bytes.Equal(a, b) {
						t.Errorf("%s/%s differs between two runs with the same seed (or is empty)", v, f)
					}
				}
			}
		})
	}
}
