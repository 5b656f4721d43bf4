//go:build unix

package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestCleanStale: a run removes the staging folders earlier runs into the
// same --out left (issue 11: "stale .tmp-* files are never cleaned"), puts
// back previous outputs a run killed mid-swap left in a ".old" folder,
// and touches nothing else: not a live run's staging folder (locked), not
// one made after the run started, not another --out's, not a name that
// only looks alike, not the user's files.
func TestCleanStale(t *testing.T) {
	parent := t.TempDir()
	final := filepath.Join(parent, "out")
	past := time.Now().Add(-time.Hour)
	mk := func(name string, when time.Time) string {
		p := filepath.Join(parent, name)
		if err := os.MkdirAll(filepath.Join(p, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "summary.json"), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mk("out", past)
	mk(".out.tmp-111", past)         // a dead run's staging folder: removed
	mk(".out.tmp-222.old", past)     // a dead swap's old outputs, out exists: removed
	live := mk(".out.tmp-333", past) // a live run's: kept
	unlock, err := lockDir(live)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	mk(".out.tmp-444", time.Now().Add(time.Hour)) // newer than this run: kept
	mk(".out.tmp-abc", past)                      // not our pattern: kept
	mk(".other.tmp-555", past)                    // another --out's: kept
	mk("notes", past)                             // the user's: kept
	if err := os.WriteFile(filepath.Join(parent, ".out.tmp-666"), nil, 0o644); err != nil {
		t.Fatal(err) // a file, not a staging folder: kept
	}

	st, err := stageDir(final)
	if err != nil {
		t.Fatal(err)
	}
	st.Abort()
	got := names(t, parent)
	want := []string{".other.tmp-555", ".out.tmp-333", ".out.tmp-444", ".out.tmp-666", ".out.tmp-abc", "notes", "out"}
	if !slices.Equal(got, want) {
		t.Errorf("left\n\t%v\nwant\n\t%v", got, want)
	}

	// Killed between Commit's two renames: out is gone, its outputs are
	// in .out.tmp-N.old: they are put back.
	if err := os.RemoveAll(final); err != nil {
		t.Fatal(err)
	}
	mk(".out.tmp-777.old", past)
	st, err = stageDir(final)
	if err != nil {
		t.Fatal(err)
	}
	st.Abort()
	if _, err := os.Stat(filepath.Join(final, "summary.json")); err != nil {
		t.Errorf("previous outputs not put back: %v", err)
	}
}

// TestOutHoldingOnlyLeftovers: an --out holding only the temporary files
// of a dead atomic write (.tmp-NAME-DIGITS) is as good as empty: the run
// replaces it, leftovers included. A folder with any other file is still
// refused.
func TestOutHoldingOnlyLeftovers(t *testing.T) {
	final := filepath.Join(t.TempDir(), "out")
	if err := os.Mkdir(final, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{".tmp-summary.json-123", ".tmp-latency.png-456"} {
		if err := os.WriteFile(filepath.Join(final, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, err := stageDir(final)
	if err != nil {
		t.Fatalf("refused a folder of leftovers: %v", err)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := names(t, final); len(got) != 0 {
		t.Errorf("leftovers survived the swap: %v", got)
	}
	if err := os.WriteFile(filepath.Join(final, "mine.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := stageDir(final); err == nil || exitCode(err) != 2 {
		t.Errorf("a folder with the user's file: %v, want a usage error", err)
	}
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}
