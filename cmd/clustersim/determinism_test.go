package main_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/clustersim/clustersim/scenarios"
)

// TestLibraryDeterministic: every library scenario, run twice on its own
// seed, gives byte-identical summary.json and timeseries.csv for every
// variant (DESIGN.md, "Determinism"): each random draw is on a named
// stream, and nothing that reaches an output depends on map order or the
// wall clock. TestDeterminism checks that another seed changes them.
func TestLibraryDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole library twice")
	}
	for _, name := range scenarios.Names() {
		t.Run(name, func(t *testing.T) {
			a, b := t.TempDir(), t.TempDir()
			for _, o := range []string{a, b} {
				if _, stderr, code := run(t, "run", "../../scenarios/"+name+".toml", "--out", o, "--quiet"); code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
			}
			files := outputsUnder(t, a)
			if len(files) < 2 {
				t.Fatalf("only %d outputs: %v", len(files), files)
			}
			for _, rel := range files {
				x := read(t, filepath.Join(a, rel))
				y, err := os.ReadFile(filepath.Join(b, rel))
				if err != nil {
					t.Fatal(err)
				}
				if len(x) == 0 || !bytes.Equal(x, y) {
					t.Errorf("%s differs between two runs with the same seed (or is empty)", rel)
				}
			}
		})
	}
}

// outputsUnder lists the summary.json and timeseries.csv files below dir
// (one pair per variant), relative to it.
func outputsUnder(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if n := d.Name(); !d.IsDir() && (n == "summary.json" || n == "timeseries.csv") {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
