package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestDatabaseScenarioDeterministic: the read-scaling ladder (database
// tier, issue 13) gives byte-identical summary.json and timeseries.csv
// for every variant across two runs with the same seed: its read/write,
// key and write-time draws are on named streams.
func TestDatabaseScenarioDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, o := range []string{a, b} {
		if _, stderr, code := run(t, "run", "read-scaling", "--out", o, "--quiet"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	files, _ := filepath.Glob(filepath.Join(a, "*", "summary.json"))
	more, _ := filepath.Glob(filepath.Join(a, "*", "timeseries.csv"))
	files = append(files, more...)
	if len(files) != 12 {
		t.Fatalf("%d output files, want summary and series of 6 variants", len(files))
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
}
