package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// TestReusedOutFolder: a reused --out holds only the new run's files (a
// stale nodes.png from an earlier run is gone), no temporary folder is
// left beside it, and a failed run leaves the previous outputs as they
// were.
func TestReusedOutFolder(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	file := writeScenario(t, okScenario)
	if _, stderr, code := run(t, "run", file, "--out", out, "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	first := names(t, out)
	stale := filepath.Join(out, "nodes.png")
	if err := os.WriteFile(stale, []byte("from an earlier run"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, "run", file, "--out", out, "-q", "--seed", "9"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := names(t, out); !slices.Equal(got, first) {
		t.Errorf("reused folder holds %v, want only the new run's %v", got, first)
	}
	if got := names(t, parent); !slices.Equal(got, []string{"out"}) {
		t.Errorf("left beside the output folder: %v", got)
	}
	before := read(t, filepath.Join(out, "summary.json"))

	crash := writeScenario(t, strings.Replace(okScenario, "concurrency = 2", `concurrency = 2
autoscaler = { kind = "external", command = ["sh", "-c", "exit 3"], min = 1, max = 5 }`, 1))
	if _, _, code := run(t, "run", crash, "--out", out, "-q"); code != 1 {
		t.Fatalf("crashing run: exit %d, want 1", code)
	}
	if got := names(t, out); !slices.Equal(got, first) || !bytes.Equal(read(t, filepath.Join(out, "summary.json")), before) {
		t.Errorf("a failed run changed the previous outputs: %v", got)
	}
	if got := names(t, parent); !slices.Equal(got, []string{"out"}) {
		t.Errorf("a failed run left %v", got)
	}
}

// TestCheckSameNames: scenarios with the same file name get distinct
// folders, the first its name and the next NAME-2, in argument order.
func TestCheckSameNames(t *testing.T) {
	d1, d2 := t.TempDir(), t.TempDir()
	for i, d := range []string{d1, d2} {
		body := strings.Replace(okScenario, "rate = 50", []string{"rate = 50", "rate = 70"}[i], 1)
		if err := os.WriteFile(filepath.Join(d, "x.toml"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	if _, stderr, code := run(t, "check", filepath.Join(d1, "x.toml"), filepath.Join(d2, "x.toml"), "--out", out, "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := names(t, out); !slices.Equal(got, []string{"x", "x-2"}) {
		t.Fatalf("folders %v, want [x x-2]", got)
	}
	a, b := read(t, filepath.Join(out, "x", "summary.json")), read(t, filepath.Join(out, "x-2", "summary.json"))
	if bytes.Equal(a, b) {
		t.Error("x and x-2 hold the same run")
	}
}
