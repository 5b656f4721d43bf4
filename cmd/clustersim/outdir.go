package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// A run's outputs are one set, committed together: they are written into
// a temporary sibling of the output folder (.NAME.tmp-RANDOM), which then
// replaces the folder. A failed or interrupted run removes the temporary
// folder and leaves the output folder as it was; a successful one leaves
// only its own files there, never a previous run's.

// stagedDir is an output folder being written.
type stagedDir struct {
	final   string // the output folder
	tmp     string // where the outputs are written until Commit
	untrack func() // ends the forced-exit cleanup of tmp (interrupt.go)
	unlock  func() // releases tmp's lock (stale.go)
}

// outputMarkers are files that show a folder holds clustersim outputs and
// may be replaced.
var outputMarkers = []string{"summary.json", "compare.csv", "sweep.json"}

// stageDir starts writing the output folder final. It refuses a folder
// that exists and is neither empty nor a previous run's outputs, so that
// --out never replaces a folder of other files.
func stageDir(final string) (*stagedDir, error) {
	started := time.Now()
	final = filepath.Clean(final)
	base := filepath.Base(final)
	if base == "." || base == ".." || base == string(filepath.Separator) {
		return nil, badInput(fmt.Errorf("--out %s: name a folder for the outputs, such as out/run1", final))
	}
	if err := replaceable(final); err != nil {
		return nil, err
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	unlock, err := lockDir(tmp)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	cleanStale(final, tmp, started)
	return &stagedDir{final: final, tmp: tmp, untrack: interrupts.track(tmp), unlock: unlock}, nil
}

// replaceable reports, as a bad-input error, why dir may not be replaced
// by a run's outputs; nil when it does not exist, is empty or holds a
// previous run's outputs.
func replaceable(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		var pe *os.PathError
		if errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "not a directory") {
			return badInput(fmt.Errorf("--out %s: exists and is not a folder", dir))
		}
		return err
	case onlyLeftovers(entries):
		return nil // empty, or only the temporary files of a dead write
	}
	for _, m := range outputMarkers {
		if _, err := os.Stat(filepath.Join(dir, m)); err == nil {
			return nil
		}
	}
	return badInput(fmt.Errorf("--out %s: the folder holds files that are not clustersim outputs (no %s); choose another folder", dir, strings.Join(outputMarkers, " or ")))
}

// Commit replaces the output folder with the staged one. The old folder
// is moved aside first and removed after, so the folder always holds
// either the old set or the new one.
func (s *stagedDir) Commit() error {
	interrupts.commit.Lock()
	defer interrupts.commit.Unlock()
	if err := interrupts.err(); err != nil {
		s.Abort()
		return err
	}
	defer s.untrack()
	defer s.unlock() // held across the renames: no other run cleans tmp meanwhile
	old := ""
	if _, err := os.Lstat(s.final); err == nil {
		old = s.tmp + ".old"
		if err := os.Rename(s.final, old); err != nil {
			s.Abort()
			return fmt.Errorf("replacing %s: %w", s.final, err)
		}
	}
	if err := os.Rename(s.tmp, s.final); err != nil {
		if old != "" {
			os.Rename(old, s.final) // put the previous outputs back
		}
		s.Abort()
		return fmt.Errorf("replacing %s: %w", s.final, err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	syncDir(filepath.Dir(s.final))
	return nil
}

// Abort removes the staged outputs; the output folder is untouched.
func (s *stagedDir) Abort() {
	os.RemoveAll(s.tmp)
	s.unlock()
	s.untrack()
}

// syncDir makes renames in dir durable where the file system allows.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// checkDirNames gives each checked scenario its folder under check's
// --out: its file name without ".toml"; when several scenarios share a
// name, the first (in argument order) keeps it and the others get
// NAME-2, NAME-3, ... (skipping names already taken).
func checkDirNames(files []string) []string {
	names := make([]string, len(files))
	taken := map[string]bool{}
	for i, f := range files {
		taken[scenarioBase(f)] = true
		names[i] = scenarioBase(f)
	}
	first := map[string]bool{}
	for i, n := range names {
		if !first[n] {
			first[n] = true
			continue
		}
		for k := 2; ; k++ {
			c := n + "-" + strconv.Itoa(k)
			if !taken[c] {
				taken[c], names[i] = true, c
				break
			}
		}
	}
	return names
}

// scenarioBase is the folder name of a checked scenario: its file name
// without ".toml", or "scenario" when that leaves no usable folder name
// ("...toml" would give "..", the parent of --out).
func scenarioBase(file string) string {
	name := strings.TrimSuffix(filepath.Base(file), ".toml")
	if strings.Trim(name, ".") == "" || strings.ContainsAny(name, `/\`) {
		return "scenario"
	}
	return name
}
