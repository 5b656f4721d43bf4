package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Leftovers of earlier runs. A run killed outright (SIGKILL, a power cut)
// cannot clean up: its staging folder (.NAME.tmp-DIGITS, see stageDir)
// stays beside --out, and if it died between the two renames of Commit,
// the previous outputs wait in .NAME.tmp-DIGITS.old while NAME is gone.
// Each run cleans what earlier runs into the same --out left: a staging
// folder that is older than the run and that no live run holds (every
// run holds an exclusive lock on its staging folder, released when the
// process ends however it ends; see lockDir), and a ".old" folder, which
// is put back as --out if --out is missing, removed otherwise. Nothing
// else is touched: only names of that exact pattern, for this --out's
// NAME.

// staleName matches the staging folders of base, and their ".old" twins.
func staleName(base string) *regexp.Regexp {
	return regexp.MustCompile(`^\.` + regexp.QuoteMeta(base) + `\.tmp-[0-9]+(\.old)?$`)
}

// cleanStale removes the leftovers of earlier runs into final (see
// above), skipping own, the running staging folder. Errors are ignored:
// a leftover that cannot be removed now is tried again next run.
func cleanStale(final, own string, started time.Time) {
	parent, base := filepath.Dir(final), filepath.Base(final)
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	re := staleName(base)
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(parent, name)
		if !e.IsDir() || !re.MatchString(name) || path == own {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(started) {
			continue // made during this run: not a leftover of an earlier one
		}
		if strings.HasSuffix(name, ".old") {
			twin := strings.TrimSuffix(path, ".old")
			if _, err := os.Lstat(twin); err == nil {
				unlock, ok := tryLockDir(twin)
				if !ok {
					continue // a live run is swapping its outputs in
				}
				unlock()
			}
			if _, err := os.Lstat(final); os.IsNotExist(err) {
				os.Rename(path, final) // the previous outputs, back in place
				continue
			}
			os.RemoveAll(path)
			continue
		}
		if unlock, ok := tryLockDir(path); ok {
			os.RemoveAll(path)
			unlock()
		}
	}
}

// atomicLeftover matches the temporary file of an atomic write
// (reports.CreateAtomic: .tmp-NAME-DIGITS).
var atomicLeftover = regexp.MustCompile(`^\.tmp-.+-[0-9]+$`)

// onlyLeftovers reports whether entries hold nothing but temporary files
// of atomic writes a dead run left (an interrupted run of an older
// version wrote them straight into --out): such a folder is as good as
// empty, and the run's outputs replace it, leftovers included.
func onlyLeftovers(entries []os.DirEntry) bool {
	for _, e := range entries {
		if e.IsDir() || !atomicLeftover.MatchString(e.Name()) {
			return false
		}
	}
	return true
}
